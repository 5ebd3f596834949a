// restbox-mock's HTTP front, the translation half: HTTP requests to MockServer requests and its
// answers back, with the trust boundary (Host, Origin, admin token, admin writes: trust.hpp),
// CORS, --static files, the landing document, gzip for large admin answers and the access log.
// Connections (the event loop, the request reader, the writer) are connection_loop.hpp's.
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <utility>
#include <vector>

#include "connection_loop.hpp"
#include "restbox/core/masking.hpp"
#include "restbox/core/url.hpp"
#include "restbox/mock/admin.hpp"
#include "restbox/mock/http_front.hpp"
#include "restbox/mock/landing.hpp"
#include "restbox/mock/static_files.hpp"
#include "restbox/mock/trust.hpp"

namespace restbox::mock {

std::size_t DefaultWorkerThreads() {
  return std::max<std::size_t>(4,
                               2 * static_cast<std::size_t>(std::thread::hardware_concurrency()));
}

namespace {

constexpr const char* kExposedHeaders =
    "Retry-After, X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, "
    "X-Restbox-Error, Allow, WWW-Authenticate";
constexpr const char* kAllowedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
constexpr const char* kPreflightMaxAge = "600";
// Admin answers at least this large are gzipped for clients that accept it (the console reads
// /__restbox/state and the journal, which grow to megabytes).
constexpr std::size_t kGzipMinBytes = 1024;

// The methods whose body the mock gets; the body of any other request is read (so the next
// request starts where the client meant) and dropped.
bool IsBodyMethod(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool IsWriteMethod(core::Method method) {
  return method != core::Method::kGet && method != core::Method::kHead &&
         method != core::Method::kOptions;
}

// scheme://host[:port] as the client wrote it in Host (links in the landing document must work
// from where it stands), or `fallback` when Host is missing or is not a plain host name.
std::string ClientBaseUrl(const RequestHead& head, const std::string& fallback) {
  const std::string_view host = head.Get("Host");
  if (host.empty()) return fallback;
  for (char c : host) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return fallback;
  }
  return "http://" + std::string(host);
}

// What the engine answers as the admin API (MockServer::Process makes the same test).
bool IsAdminTarget(std::string_view target) {
  if (target.find(kAdminPrefix.substr(0, kAdminPrefix.size() - 1)) == std::string_view::npos)
    return false;
  auto parts = core::ParseUrl(target);
  return parts && IsAdminPath(parts->path);
}

std::string_view MediaType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  return media;
}

// application/json, whatever its parameters ("application/json; charset=utf-8").
bool IsJsonMediaType(std::string_view content_type) {
  return core::EqualsIgnoreCase(MediaType(content_type), "application/json");
}

bool ConstantTimeEquals(std::string_view given, std::string_view token) {
  if (token.empty() || given.size() != token.size()) return false;  // the length is no secret
  unsigned char diff = 0;
  for (std::size_t i = 0; i < token.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^ token[i]);
  return diff == 0;
}

// A Host header as an --allow-host argument: the name without its port.
std::string AllowHostArgument(const std::string& host_header) {
  auto a = ParseAuthority(host_header);
  if (!a) return host_header;
  return a->host.find(':') != std::string::npos ? "[" + a->host + "]" : a->host;
}

// True when an Accept-Encoding value admits gzip: "gzip" or "*" with a weight above 0.
bool AcceptsGzip(std::string_view value) {
  bool gzip = false, star = false, gzip_refused = false;
  while (!value.empty()) {
    std::size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    std::size_t semi = item.find(';');
    std::string_view coding = MediaType(item.substr(0, semi));
    bool zero = false;
    if (semi != std::string_view::npos) {
      std::string_view param = MediaType(item.substr(semi + 1));
      zero = param.size() >= 3 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=' &&
             param.substr(2).find_first_not_of("0.") == std::string_view::npos;
    }
    if (core::EqualsIgnoreCase(coding, "gzip")) (zero ? gzip_refused : gzip) = true;
    if (coding == "*" && !zero) star = true;
  }
  return gzip || (star && !gzip_refused);
}

bool Compressible(std::string_view content_type) {
  std::string_view media = MediaType(content_type);
  return media.starts_with("text/") || core::EqualsIgnoreCase(media, "application/json") ||
         core::EqualsIgnoreCase(media, "application/javascript");
}

// `data` as a gzip member, or nullopt when zlib fails.
std::optional<std::string> Gzip(std::string_view data) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return std::nullopt;
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

}  // namespace

bool IsLocalOrigin(std::string_view origin) {
  std::string_view rest;
  if (origin.starts_with("http://"))
    rest = origin.substr(7);
  else if (origin.starts_with("https://"))
    rest = origin.substr(8);
  else
    return false;
  // An origin is scheme://authority, nothing after it ("http://localhost/" is not one).
  if (rest.empty() || rest.back() == ':') return false;
  auto authority = ParseAuthority(rest);
  return authority && IsLoopbackName(authority->host);
}

// ---------------------------------------------------------------------------------------------
class HttpFront::Impl final : public ConnectionHandler {
 public:
  Impl(std::shared_ptr<MockServer> server, HttpFrontOptions options)
      : server_(std::move(server)), options_(std::move(options)), loop_(*this, Limits(options_)) {
    if (!options_.static_dir.empty()) static_files_.emplace(options_.static_dir);
  }

  ~Impl() override { Stop(); }

  std::optional<std::string> Bind() {
    if (port_ != 0) return std::nullopt;
    if (AdminTokenRequired(options_.host) && options_.admin_token.empty()) {
      return "listening on " + options_.host +
             " (not a loopback address) needs an admin token for /__restbox/ (--admin-token)";
    }
    if (auto error = loop_.Listen(options_.host, options_.port)) return error;
    port_ = loop_.port();
    trust_ = TrustPolicy(
        TrustOptions{options_.host, port_, options_.allow_hosts, options_.allow_origins});
    return std::nullopt;
  }

  int port() const { return port_; }

  std::string url() const {
    std::string host =
        options_.host.find(':') != std::string::npos ? "[" + options_.host + "]" : options_.host;
    return "http://" + host + ":" + std::to_string(port_);
  }

  void Serve() { loop_.Run(); }

  std::optional<std::string> Start() {
    if (auto error = Bind()) return error;
    thread_ = std::thread([this] { Serve(); });
    return std::nullopt;
  }

  void Stop() {
    loop_.Stop();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }

  // The trust boundary, decided on the head before any body is read.
  std::optional<core::HttpResponse> Screen(const RequestHead& head) override { return Admit(head); }

  Answer Respond(Incoming& in) override {
    Answer answer;
    const RequestHead& head = in.head;
    if (in.failure) {
      answer.response = RestboxErrorResponse(in.failure->status, in.failure->message);
    } else if (in.screened) {
      answer.response = std::move(*in.screened);
    } else {
      Handle(in, answer);
      MaybeGzip(head, answer.response);
    }
    AddCors(head, answer.response);
    Log(in, answer);
    return answer;
  }

 private:
  static ConnectionLimits Limits(const HttpFrontOptions& o) {
    ConnectionLimits limits;
    limits.reader.max_body_bytes = o.max_body_bytes;
    limits.reader.max_header_bytes = o.max_header_bytes;
    limits.read_timeout = o.read_timeout;
    limits.request_timeout = o.request_timeout;
    limits.keep_alive_timeout = o.keep_alive_timeout;
    limits.keep_alive_max_requests = o.keep_alive_max_requests;
    limits.workers = o.threads;
    return limits;
  }

  // The trust boundary (mock-server/README.md, "Security"): who may be answered at all (Host),
  // who may cause side effects or use the admin API (Origin, admin token), and what an admin
  // write must look like (Content-Type). Nullopt: go on.
  std::optional<core::HttpResponse> Admit(const RequestHead& head) const {
    const std::size_t hosts = head.Count("Host");
    if (hosts > 1) return RestboxErrorResponse(400, "more than one Host header");
    const std::string host(head.Get("Host"));
    if (hosts == 0 && head.minor_version == 1)
      return RestboxErrorResponse(400, "an HTTP/1.1 request needs a Host header (RFC 9112 3.2)");
    if (hosts == 1 && !trust_.HostAllowed(host)) {
      const std::string shown = host.substr(0, 255);
      return RestboxErrorResponse(
          403,
          "Host \"" + shown +
              "\" is not served: restbox-mock answers only requests for localhost, a loopback "
              "address or the address it listens on (" +
              options_.host +
              "), so that a web page on another name "
              "(DNS rebinding) cannot reach it. To accept this name, start restbox-mock with "
              "--allow-host " +
              AllowHostArgument(shown),
          {{"host", shown}});
    }
    const bool admin = IsAdminTarget(head.target);
    const bool safe_method =
        head.method == "GET" || head.method == "HEAD" || head.method == "OPTIONS";
    const std::size_t origins = head.Count("Origin");
    const std::string origin(head.Get("Origin"));
    if (origins > 0 && (admin || !safe_method) &&
        (origins > 1 || !trust_.OriginAllowed(origin, host))) {
      const std::string shown = origin.substr(0, 255);
      return RestboxErrorResponse(
          403,
          "Origin \"" + shown +
              "\" may not call restbox-mock: the admin API (/__restbox/) and requests with side "
              "effects are open only to pages from http(s)://localhost, 127.0.0.1 or [::1] (any "
              "port) and to the "
              "mock's own pages. To admit this page, start restbox-mock with --allow-origin " +
              shown,
          {{"origin", shown}});
    }
    if (!admin) return std::nullopt;
    if (head.method == "OPTIONS" && origins > 0 && head.Find("Access-Control-Request-Method"))
      return std::nullopt;  // a CORS preflight carries no credentials; Preflight answers it
    if (!options_.admin_token.empty() && !HasAdminToken(head)) {
      auto answer = RestboxErrorResponse(401,
                                         "the admin API (/__restbox/) needs the admin token: send "
                                         "\"Authorization: Bearer <token>\" or "
                                         "\"X-Restbox-Admin-Token: <token>\" (restbox-mock prints "
                                         "it at start, or takes it from --admin-token)");
      answer.headers.Set("WWW-Authenticate", "Bearer realm=\"restbox-mock admin\"");
      return answer;
    }
    const bool write = head.method == "POST" || head.method == "PUT" || head.method == "PATCH" ||
                       head.method == "DELETE";
    const std::string_view content_type = head.Get("Content-Type");
    if (write && (head.has_body() || head.Find("Content-Type")) && !IsJsonMediaType(content_type)) {
      // The "simple" cross-site requests a page can send without a preflight (a form, text/plain)
      // never have this type; a request without body and type is no form either.
      return RestboxErrorResponse(
          415,
          "admin writes need Content-Type: application/json (got " +
              (content_type.empty() ? std::string("none")
                                    : "\"" + std::string(content_type.substr(0, 255)) + "\"") +
              "), so that no other web page can send them as a plain form or text POST",
          {{"content_type", std::string(content_type.substr(0, 255))}});
    }
    return std::nullopt;
  }

  bool HasAdminToken(const RequestHead& head) const {
    const std::string& token = options_.admin_token;
    for (const auto& [name, value] : head.headers) {
      std::string_view v = value;
      if (core::EqualsIgnoreCase(name, "Authorization")) {
        if (v.size() < 7 || !core::EqualsIgnoreCase(v.substr(0, 7), "Bearer ")) continue;
        v.remove_prefix(7);
      } else if (!core::EqualsIgnoreCase(name, "X-Restbox-Admin-Token")) {
        continue;
      }
      if (ConstantTimeEquals(v, token)) return true;
    }
    return false;
  }

  void Handle(Incoming& in, Answer& answer) {
    const RequestHead& head = in.head;
    if (head.method == "OPTIONS" && head.Find("Origin") &&
        head.Find("Access-Control-Request-Method")) {
      answer.response = Preflight(head);
      return;
    }
    if (head.method == "GET" || head.method == "HEAD") {
      // For HEAD, the writer sends the headers of these answers (Content-Length of the body
      // included) and leaves the body out.
      const std::string_view path = std::string_view(head.target).substr(0, head.target.find('?'));
      if (static_files_ && !IsAdminPath(path) && !server_->IsServicePath(path)) {
        answer.response = static_files_->Serve(path);
        return;
      }
      if (!static_files_ && path == "/") {
        // Without a console, a browser opening the printed URL learns where everything is.
        answer.response = JsonResponse(200, LandingDocument(*server_, ClientBaseUrl(head, url())));
        answer.response.headers.Set("Cache-Control", "no-store");
        return;
      }
    }
    auto method = core::ParseMethod(head.method);
    if (!method) {
      answer.response = RestboxErrorResponse(
          501, "method " + head.method.substr(0, 32) + " is not supported by restbox-mock");
      return;
    }
    core::HttpRequest request;
    request.method = *method;
    request.url = head.target;
    for (const auto& [name, value] : head.headers) request.headers.Add(name, value);
    if (IsBodyMethod(head.method)) request.body = std::move(in.body);
    MockOutcome outcome = server_->Process(std::move(request));
    // The connection loop waits out the latency (no worker is held) and drops or sends then.
    answer.delay = outcome.delay;
    answer.drop = outcome.drop;
    answer.response = std::move(outcome.response);
    if (IsWriteMethod(*method) && options_.on_write) options_.on_write();
  }

  core::HttpResponse Preflight(const RequestHead& head) const {
    if (!trust_.OriginAllowed(head.Get("Origin"), head.Get("Host"))) {
      return RestboxErrorResponse(403,
                                  "CORS: only pages from http(s)://localhost, 127.0.0.1 and [::1] "
                                  "(any port), the mock's own pages and --allow-origin origins "
                                  "may call restbox-mock from a browser");
    }
    core::HttpResponse r;
    r.status = 204;
    r.headers.Set("Access-Control-Allow-Methods", kAllowedMethods);
    const std::string_view requested = head.Get("Access-Control-Request-Headers");
    if (!requested.empty()) r.headers.Set("Access-Control-Allow-Headers", requested);
    r.headers.Set("Access-Control-Max-Age", kPreflightMaxAge);
    return r;
  }

  // Pages from allowed origins may read every answer (ours included).
  void AddCors(const RequestHead& head, core::HttpResponse& r) const {
    const std::string_view origin = head.Get("Origin");
    if (origin.empty() || head.Count("Origin") != 1 ||
        !trust_.OriginAllowed(origin, head.Get("Host")))
      return;
    r.headers.Set("Access-Control-Allow-Origin", origin);
    const std::string vary = r.headers.GetOr("Vary", "");
    r.headers.Set("Vary", vary.empty() ? "Origin" : vary + ", Origin");
    r.headers.Set("Access-Control-Expose-Headers", kExposedHeaders);
  }

  // Large admin answers (state, journal, OpenAPI) go out gzipped to clients that accept it.
  static void MaybeGzip(const RequestHead& head, core::HttpResponse& r) {
    if (head.method != "GET" || r.body.size() < kGzipMinBytes || !IsAdminTarget(head.target) ||
        r.headers.Has("Content-Encoding") || !Compressible(r.headers.GetOr("Content-Type", "")) ||
        !AcceptsGzip(head.Get("Accept-Encoding")))
      return;
    auto packed = Gzip(r.body);
    if (!packed) return;
    r.body = std::move(*packed);
    r.headers.Set("Content-Encoding", "gzip");
    r.headers.Set("Vary", "Accept-Encoding");
  }

  // One line per request: time, method, target (secrets masked), status, duration, request id.
  void Log(const Incoming& in, const Answer& answer) const {
    if (!options_.log) return;
    const auto elapsed = std::chrono::steady_clock::now() - in.start + answer.delay;
    char duration[32];
    std::snprintf(duration, sizeof(duration), "%.2fms",
                  std::chrono::duration<double, std::milli>(elapsed).count());
    const RequestHead& head = in.head;
    std::string line = core::FormatIso8601(std::chrono::system_clock::now());
    line += ' ';
    // Whatever the client sent, one request stays one line: control characters are escaped.
    line += head.method.empty() ? std::string("-") : EscapeForLog(head.method);
    line += ' ';
    line += head.target.empty() ? std::string("-") : EscapeForLog(core::MaskUrl(head.target));
    line += ' ';
    line += answer.drop ? std::string("dropped") : std::to_string(answer.response.status);
    line += ' ';
    line += duration;
    line += " rid=";
    const std::string rid = answer.response.headers.GetOr("X-Request-Id", "");
    line += rid.empty() ? std::string("-") : EscapeForLog(rid);
    options_.log(line);
  }

  std::shared_ptr<MockServer> server_;
  HttpFrontOptions options_;
  std::optional<StaticFiles> static_files_;  // options_.static_dir, when set
  TrustPolicy trust_;                        // set by Bind() (it knows the port)
  ConnectionLoop loop_;
  int port_ = 0;
  std::thread thread_;
};

HttpFront::HttpFront(std::shared_ptr<MockServer> server, HttpFrontOptions options)
    : impl_(std::make_unique<Impl>(std::move(server), std::move(options))) {}
HttpFront::~HttpFront() = default;
std::optional<std::string> HttpFront::Bind() {
  return impl_->Bind();
}
int HttpFront::port() const {
  return impl_->port();
}
std::string HttpFront::url() const {
  return impl_->url();
}
void HttpFront::Serve() {
  impl_->Serve();
}
std::optional<std::string> HttpFront::Start() {
  return impl_->Start();
}
void HttpFront::Stop() {
  impl_->Stop();
}

}  // namespace restbox::mock
