#include "restbox/wasm/fetch_transport.hpp"

// Redirects: fetch_library.js asks fetch() for redirect: "manual", so a 3xx is never followed
// with the request's credentials (Authorization, X-API-Key/X-API-Secret, wncms's api_token in a
// 307/308 body) to another URL. Under node the 3xx is a response value with its Location, like the
// native transport's; a browser hides a manual redirect entirely (an "opaqueredirect" answer), so
// there the call fails with kProtocol and a message saying a redirect was refused.

#include <emscripten/emscripten.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <string_view>

#include "restbox/core/pipeline.hpp"

// Implemented in wasm/js/fetch_library.js.
extern "C" {
void restbox_fetch_start(std::uint32_t id, int fetch_function, const char* method, const char* url,
                         const char* headers, const char* body, std::size_t body_length,
                         const char* credentials, int diagnose);
void restbox_fetch_abort(std::uint32_t id);
}

namespace restbox::wasm {
namespace {

// A request whose answer has not been delivered yet. The browser runs everything on one thread,
// so the table needs no lock.
struct Pending {
  core::TransportCompletion done;
  std::shared_ptr<core::Scheduler> scheduler;
  core::TimerId timer = 0;
  std::shared_ptr<core::CancellationSource> cancellation;
  std::uint64_t cancel_id = 0;
};

std::map<std::uint32_t, Pending>& Table() {
  static std::map<std::uint32_t, Pending> table;
  return table;
}

// Delivers the outcome of request `id` once; later calls (a late answer after a timeout or a
// cancellation) find nothing and are ignored.
void Finish(std::uint32_t id, core::Result<core::HttpResponse> outcome, bool abort_request) {
  auto& table = Table();
  auto it = table.find(id);
  if (it == table.end()) return;
  Pending pending = std::move(it->second);
  table.erase(it);
  if (pending.timer) pending.scheduler->Cancel(pending.timer);
  if (pending.cancellation && pending.cancel_id)
    pending.cancellation->Unregister(pending.cancel_id);
  if (abort_request) restbox_fetch_abort(id);
  pending.done(std::move(outcome));
}

core::Headers ParseHeaderBlock(std::string_view block) {
  core::Headers headers;
  while (!block.empty()) {
    std::size_t end = block.find("\r\n");
    std::string_view line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view() : block.substr(end + 2);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    headers.Add(line.substr(0, colon), value);
  }
  return headers;
}

// Takes ownership of a buffer allocated by restbox_fetch_alloc.
std::string Adopt(char* data, std::size_t length) {
  std::string out(data, length);
  std::free(data);
  return out;
}

}  // namespace

FetchTransport::FetchTransport(FetchOptions options) : options_(std::move(options)) {
  if (!options_.scheduler) options_.scheduler = core::DefaultScheduler();
}

void FetchTransport::Send(core::HttpRequest request, const core::Context& context,
                          core::TransportCompletion completion) {
  if (context.cancelled()) {
    completion(core::MakeError(core::ErrorKind::kCancelled, "cancelled before sending"));
    return;
  }
  static std::uint32_t next_id = 1;
  const std::uint32_t id = next_id++;
  auto timeout = context.TimeoutOr(core::Duration(30'000));

  Pending& pending = Table()[id];
  pending.done = std::move(completion);
  pending.scheduler = options_.scheduler;
  pending.cancellation = context.cancellation;
  pending.timer = options_.scheduler->Schedule(timeout, [id, timeout] {
    Finish(id,
           core::MakeError(core::ErrorKind::kTimeout,
                           "no answer within " + std::to_string(timeout.count()) + " ms"),
           true);
  });
  if (context.cancellation) {
    pending.cancel_id = context.cancellation->OnCancel(
        [id] { Finish(id, core::MakeError(core::ErrorKind::kCancelled, "cancelled"), true); });
  }

  std::string header_block;
  for (const auto& [name, value] : request.headers) header_block += name + ": " + value + "\r\n";
  std::string method(core::ToString(request.method));
  restbox_fetch_start(id, options_.fetch_function, method.c_str(), request.url.c_str(),
                      header_block.c_str(), request.body.data(), request.body.size(),
                      options_.credentials.c_str(), options_.diagnose_failures ? 1 : 0);
}

}  // namespace restbox::wasm

// Called from fetch_library.js. Buffers come from restbox_fetch_alloc and are freed here.
extern "C" {

EMSCRIPTEN_KEEPALIVE char* restbox_fetch_alloc(std::size_t size) {
  return static_cast<char*>(std::malloc(size > 0 ? size : 1));
}

EMSCRIPTEN_KEEPALIVE void restbox_fetch_complete(std::uint32_t id, int status, char* headers,
                                                 std::size_t headers_length, char* body,
                                                 std::size_t body_length) {
  restbox::core::HttpResponse response;
  response.status = status;
  response.headers = restbox::wasm::ParseHeaderBlock(restbox::wasm::Adopt(headers, headers_length));
  response.body = restbox::wasm::Adopt(body, body_length);
  restbox::wasm::Finish(id, std::move(response), false);
}

EMSCRIPTEN_KEEPALIVE void restbox_fetch_fail(std::uint32_t id, int kind, char* message,
                                             std::size_t message_length) {
  using restbox::core::ErrorKind;
  ErrorKind error_kind = kind == 1   ? ErrorKind::kConnection
                         : kind == 3 ? ErrorKind::kInvalidArgument
                                     : ErrorKind::kProtocol;
  restbox::wasm::Finish(
      id, restbox::core::MakeError(error_kind, restbox::wasm::Adopt(message, message_length)),
      false);
}

}  // extern "C"
