#include "restbox/mock/record.hpp"

#include <cstdlib>
#include <future>
#include <utility>
#include <variant>

#include "restbox/check/answer.hpp"
#include "restbox/core/masking.hpp"
#include "restbox/core/url.hpp"
#include "restbox/mock/admin.hpp"
#include "restbox/transports/curl_transport.hpp"
#include "restbox/transports/recording_transport.hpp"

namespace restbox::mock {
namespace {

// Hop-by-hop headers (RFC 9110 7.6.1): they concern one connection, never the next hop.
bool IsHopByHop(std::string_view name) {
  for (std::string_view h :
       {"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade"}) {
    if (core::EqualsIgnoreCase(name, h)) return true;
  }
  return false;
}

// The names a Connection header lists ("Connection: close, X-Foo"): hop-by-hop too.
std::vector<std::string> ConnectionOptions(const core::Headers& headers) {
  std::vector<std::string> out;
  for (const auto& [name, value] : headers) {
    if (!core::EqualsIgnoreCase(name, "Connection")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string_view token = rest.substr(0, comma);
      while (!token.empty() && (token.front() == ' ' || token.front() == '\t'))
        token.remove_prefix(1);
      while (!token.empty() && (token.back() == ' ' || token.back() == '\t'))
        token.remove_suffix(1);
      if (!token.empty()) out.emplace_back(token);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  return out;
}

core::Headers WithoutHopByHop(const core::Headers& headers,
                              std::initializer_list<std::string_view> also = {}) {
  const auto listed = ConnectionOptions(headers);
  core::Headers out;
  for (const auto& [name, value] : headers) {
    bool drop = IsHopByHop(name);
    for (const auto& l : listed) drop = drop || core::EqualsIgnoreCase(name, l);
    for (std::string_view a : also) drop = drop || core::EqualsIgnoreCase(name, a);
    if (!drop) out.Add(name, value);
  }
  return out;
}

std::shared_ptr<core::Transport> DefaultUpstreamTransport() {
  transports::CurlOptions curl;
  // Proxy environment variables apply to real upstreams, never to one on this machine.
  curl.no_proxy = "127.0.0.1,localhost,::1";
  if (const char* env = std::getenv("no_proxy"); env && *env)
    curl.no_proxy = *curl.no_proxy + "," + env;
  return std::make_shared<transports::CurlTransport>(curl);
}

// Waits for one answer of an asynchronous transport (native: the caller is a worker thread).
core::Result<core::HttpResponse> SendAndWait(core::Transport& transport, core::HttpRequest request,
                                             core::Duration timeout) {
  auto promise = std::make_shared<std::promise<core::Result<core::HttpResponse>>>();
  auto answer = promise->get_future();
  core::Context context;
  context.timeout = timeout;
  transport.Send(std::move(request), context,
                 core::CallOnce([promise](core::Result<core::HttpResponse> r) {
                   promise->set_value(std::move(r));
                 }));
  return answer.get();
}

std::string ProblemLine(const std::string& service, const std::string& endpoint,
                        const core::HttpRequest& request, int status,
                        const std::vector<check::Problem>& problems) {
  std::string line = core::FormatIso8601(std::chrono::system_clock::now()) + " problems " +
                     service + " " + (endpoint.empty() ? std::string("-") : endpoint) + " " +
                     std::string(core::ToString(request.method)) + " " +
                     core::MaskUrl(request.url) + " " + std::to_string(status) + ": ";
  for (std::size_t i = 0; i < problems.size(); ++i)
    line += (i ? "; " : "") + check::ToString(problems[i]);
  // One exchange stays one line, whatever the upstream sent.
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return line;
}

}  // namespace

std::optional<Upstream> ParseUpstream(std::string_view text, std::string& error) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    error = "--proxy needs ID=URL (e.g. inventory=https://inventory.example.test), got '" +
            std::string(text) + "'";
    return std::nullopt;
  }
  Upstream up{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
  while (up.base_url.size() > 1 && up.base_url.back() == '/') up.base_url.pop_back();
  auto parts = core::ParseUrl(up.base_url);
  const bool ok = parts && (parts->scheme == "http" || parts->scheme == "https") &&
                  !parts->host.empty() && parts->query.empty() &&
                  up.base_url.find('#') == std::string::npos &&
                  up.base_url.find('@') == std::string::npos;
  if (!ok) {
    error = "--proxy " + up.service +
            "=URL needs an http(s) URL without query, fragment or user information "
            "(http(s)://host[:port][/path]), got '" +
            up.base_url + "'";
    return std::nullopt;
  }
  return up;
}

core::HttpResponse UpstreamFailure(const core::Error& error, const std::string& service,
                                   const std::string& upstream_url) {
  const bool timeout = error.kind == core::ErrorKind::kTimeout;
  const std::string who = service.empty() ? std::string("the upstream")
                                          : "the " + service + " upstream " + upstream_url;
  return RestboxErrorResponse(
      timeout ? 504 : 502,
      "restbox-mock could not " + std::string(timeout ? "get an answer from " : "reach ") + who +
          ": " + error.message,
      {{"upstream", upstream_url}, {"kind", std::string(core::ToString(error.kind))}});
}

Proxy::Proxy(ProxyOptions options) : options_(std::move(options)) {
  for (const auto& u : options_.upstreams) upstreams_[u.service] = u.base_url;
  if (!options_.transport) options_.transport = DefaultUpstreamTransport();
  if (options_.record) {
    transports::RecordingOptions recording;
    recording.file = options_.record;
    recording.keep_in_memory = false;  // a long-running proxy: the file is the recording
    options_.transport =
        std::make_shared<transports::RecordingTransport>(options_.transport, recording);
  }
}

core::HttpRequest Proxy::Forwarded(const core::HttpRequest& request, const std::string& base_url) {
  core::HttpRequest out;
  out.method = request.method;
  // The request's own path and query (origin form; an absolute target keeps only those).
  std::string target = request.url;
  if (auto parts = core::ParseUrl(request.url); parts && !parts->scheme.empty())
    target = parts->path + (parts->query.empty() ? "" : "?" + parts->query);
  out.url = base_url + target;
  out.headers = WithoutHopByHop(request.headers,
                                {"Host", "Content-Length", "Expect", "Accept-Encoding", "Via"});
  std::string via = "1.1 restbox-mock";
  if (auto previous = request.headers.Get("Via")) via = *previous + ", " + via;
  out.headers.Add("Via", via);
  out.body = request.body;
  return out;
}

std::optional<PassThroughAnswer> Proxy::Answer(const core::HttpRequest& request,
                                               const std::string& service,
                                               const std::string& endpoint) {
  auto upstream = upstreams_.find(service);
  if (upstream == upstreams_.end()) return std::nullopt;
  core::HttpRequest forwarded = Forwarded(request, upstream->second);
  PassThroughAnswer answer;
  answer.source = core::MaskUrl(forwarded.url);
  auto outcome = SendAndWait(*options_.transport, std::move(forwarded), options_.timeout);
  if (!outcome.ok()) {
    answer.response = UpstreamFailure(outcome.error(), service, answer.source);
    return answer;
  }
  answer.response.status = outcome->status;
  answer.response.headers = WithoutHopByHop(outcome->headers);
  answer.response.body = std::move(outcome->body);
  if (request.method != core::Method::kHead) {
    auto checked = check::CheckExchange(service, endpoint, request, answer.response);
    answer.checked = true;
    answer.problems = std::move(checked.problems);
    if (!answer.problems.empty() && options_.log) {
      options_.log(
          ProblemLine(service, endpoint, request, answer.response.status, answer.problems));
    }
  }
  return answer;
}

Replayer::Replayer(transports::Cassette cassette, std::string source)
    : matcher_(std::make_shared<transports::CassetteMatcher>(std::move(cassette))),
      source_("cassette " + std::move(source)) {}

std::optional<PassThroughAnswer> Replayer::Answer(const core::HttpRequest& request,
                                                  const std::string& service,
                                                  const std::string& /*endpoint*/) {
  PassThroughAnswer answer;
  answer.source = source_;
  auto found = matcher_->Find(request);
  if (auto* miss = std::get_if<transports::ReplayMiss>(&found)) {
    answer.response.status = 501;
    answer.response.headers.Set("Content-Type", "application/json; charset=utf-8");
    answer.response.headers.Set("X-Restbox-Error", "1");
    answer.response.body = core::DumpJson(miss->ToJson());
    return answer;
  }
  const transports::CassetteEntry& entry =
      *std::get<transports::CassetteMatcher::Match>(found).entry;
  answer.source += " #" + std::to_string(std::get<transports::CassetteMatcher::Match>(found).index);
  if (entry.response) {
    answer.response = *entry.response;
  } else {
    // The proxy's answer to the failure it recorded.
    answer.response = UpstreamFailure(entry.error, service, entry.request.url);
  }
  return answer;
}

}  // namespace restbox::mock
