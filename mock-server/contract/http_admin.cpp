#include "http_admin.hpp"

#include <stdexcept>

#include "restbox/core/future.hpp"
#include "restbox/core/url.hpp"

namespace restbox::contract {
namespace {

// {"restbox_error": "..."} -> the message; anything else -> the raw body.
std::string ErrorMessage(const core::HttpResponse& response) {
  auto parsed = core::ParseJson(response.body);
  if (parsed.ok() && parsed->is_object()) {
    auto message = core::JsonValueOr<std::string>(*parsed, "restbox_error", "");
    if (!message.empty()) return message;
  }
  return response.body;
}

}  // namespace

HttpAdmin::HttpAdmin(std::shared_ptr<core::Transport> transport, std::string base_url,
                     core::Duration timeout)
    : transport_(std::move(transport)), base_url_(std::move(base_url)), timeout_(timeout) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Task<core::HttpResponse> HttpAdmin::Call(core::Method method, std::string path,
                                         std::optional<core::Json> body) {
  core::HttpRequest request;
  request.method = method;
  request.url = base_url_ + path;
  request.headers.Set("Accept", "application/json");
  if (body) {
    request.headers.Set("Content-Type", "application/json");
    request.body = core::DumpJson(*body);
  }
  core::Context context;
  context.timeout = timeout_;
  core::Promise<core::HttpResponse> promise;
  auto future = promise.GetFuture();
  transport_->Send(std::move(request), context,
                   [promise](core::Result<core::HttpResponse> r) { promise.Set(std::move(r)); });
  auto result = co_await std::move(future);
  if (!result.ok()) {
    throw std::runtime_error("admin " + std::string(core::ToString(method)) + " " + path + ": " +
                             result.error().Describe());
  }
  co_return std::move(result.value());
}

core::Json HttpAdmin::Expect(const core::HttpResponse& response, int expected,
                             const std::string& what) {
  if (response.status != expected) {
    throw std::runtime_error(what + ": expected " + std::to_string(expected) + ", got " +
                             std::to_string(response.status) + ": " + ErrorMessage(response));
  }
  auto parsed = core::ParseJson(response.body);
  if (!parsed.ok()) throw std::runtime_error(what + ": answer is not JSON: " + response.body);
  return std::move(parsed.value());
}

Task<bool> HttpAdmin::Reset() {
  Expect(co_await Call(core::Method::kPost, "/__restbox/reset", std::nullopt), 200, "reset");
  co_return true;
}

Task<core::Json> HttpAdmin::Fixtures() {
  co_return Expect(co_await Call(core::Method::kGet, "/__restbox/fixtures", std::nullopt), 200,
                   "fixtures");
}

Task<core::Json> HttpAdmin::Health() {
  co_return Expect(co_await Call(core::Method::kGet, "/__restbox/health", std::nullopt), 200,
                   "health");
}

Task<std::optional<std::string>> HttpAdmin::ApplySettings(std::string service, core::Json patch) {
  auto response = co_await Call(core::Method::kPost,
                                "/__restbox/settings/" + core::EncodePathSegment(service), patch);
  if (response.status == 400 || response.status == 404) co_return ErrorMessage(response);
  Expect(response, 200, "settings " + service);
  co_return std::nullopt;
}

Task<bool> HttpAdmin::AdvanceClock(core::Duration by) {
  core::Json body = core::Json::object();
  body["ms"] = by.count();
  Expect(co_await Call(core::Method::kPost, "/__restbox/clock/advance", std::move(body)), 200,
         "clock/advance");
  co_return true;
}

Task<bool> HttpAdmin::AddFault(core::Json rule) {
  auto response = co_await Call(core::Method::kPost, "/__restbox/faults", rule);
  if (response.status == 400) throw std::invalid_argument(ErrorMessage(response));
  Expect(response, 201, "faults");
  co_return true;
}

}  // namespace restbox::contract
