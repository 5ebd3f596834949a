#include "restbox/mock/http_front.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "restbox/core/masking.hpp"
#include "restbox/core/url.hpp"
#include "restbox/mock/admin.hpp"
#include "restbox/mock/landing.hpp"
#include "restbox/mock/router.hpp"
#include "restbox/mock/static_files.hpp"
#include "restbox/mock/trust.hpp"

namespace restbox::mock {
namespace {

using SteadyClock = std::chrono::steady_clock;

// cpp-httplib's compiled limit for one request or header line (CPPHTTPLIB_HEADER_MAX_LENGTH and
// CPPHTTPLIB_REQUEST_URI_MAX_LENGTH in Debian's build).
constexpr std::size_t kLineLimit = 8192;
// Chunked framing (sizes, extensions, CRLFs) allowed on top of max_body_bytes.
constexpr std::size_t kChunkFramingSlack = 64 * 1024;
// Output is sent in one send() per response (headers and body together) unless it grows past this.
constexpr std::size_t kFlushThreshold = 64 * 1024;
// After answering a request whose body was not read, keep reading (and discarding) this long so
// the close does not turn into a reset that destroys the answer in flight.
constexpr auto kLingerTime = std::chrono::milliseconds(1000);
constexpr std::size_t kLingerBytes = 16 * 1024 * 1024;
// How often waits on idle connections look at the stop flag.
constexpr int kStopPollMs = 100;

constexpr const char* kExposedHeaders =
    "Retry-After, X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, "
    "X-Restbox-Error, Allow, WWW-Authenticate";
constexpr const char* kAllowedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
constexpr const char* kPreflightMaxAge = "600";

bool IsBodyMethod(std::string_view method) {
  // The methods cpp-httplib reads a body for (detail::expect_content).
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE" ||
         method == "PRI";
}

bool IsWriteMethod(core::Method method) {
  return method != core::Method::kGet && method != core::Method::kHead &&
         method != core::Method::kOptions;
}

// Headers cpp-httplib adds to every request for its own use.
bool IsLibraryHeader(std::string_view name) {
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
         name == "LOCAL_PORT";
}

// Framing and hop-by-hop headers are the front's business, whatever a handler set.
bool IsFramingHeader(std::string_view name) {
  return core::EqualsIgnoreCase(name, "Content-Length") ||
         core::EqualsIgnoreCase(name, "Transfer-Encoding") ||
         core::EqualsIgnoreCase(name, "Connection") || core::EqualsIgnoreCase(name, "Keep-Alive");
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() <= 19 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int Millis(std::chrono::nanoseconds d) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return static_cast<int>(std::clamp<long long>(ms, 0, 1 << 30));
}

enum class Failure {
  kNone,
  kTimeout,
  kRequestLineTooLong,
  kHeadersTooLarge,
  kBodyTooLarge,
  // Line endings cpp-httplib would read differently from any other HTTP parser (it skips header
  // lines that do not end in CRLF): refused, never guessed at.
  kBareLineFeed,
  kBareCarriageReturn,
  kFoldedLine,
};

struct Limits {
  std::size_t max_body_bytes;
  std::size_t max_header_bytes;
  std::chrono::milliseconds read_timeout;
  std::chrono::milliseconds request_timeout;
};

// One accepted socket as cpp-httplib's Stream: buffered reads, one send per response, the
// per-request limits (header size, body size, deadlines) and the fault outcome (drop).
class Connection final : public httplib::Stream {
 public:
  // What the current request has done so far; reset by BeginRequest().
  struct RequestState {
    SteadyClock::time_point start;
    SteadyClock::time_point deadline;
    Failure failure = Failure::kNone;
    bool in_headers = true;
    bool first_line = true;
    std::size_t header_bytes = 0;
    std::size_t line_bytes = 0;
    std::uint32_t tail = 0;  // last four header bytes, to spot the blank line
    std::size_t body_bytes = 0;
    std::size_t written = 0;
    bool routed = false;       // the front's handler produced the answer
    bool drop = false;         // close without answering (fault rule)
    bool close = false;        // close after this answer
    bool body_unread = false;  // the client may still be sending a body we refused
    std::optional<core::HttpResponse> rejection;  // answer this instead of asking the mock
    // Headers hidden from cpp-httplib (so it neither parses forms nor decompresses) and handed
    // to the mock as sent.
    std::vector<std::pair<std::string, std::string>> hidden;
  };

  Connection(int fd, const Limits& limits) : fd_(fd), limits_(limits) {}

  RequestState& state() { return state_; }
  const RequestState& state() const { return state_; }
  int fd() const { return fd_; }

  void BeginRequest() {
    state_ = RequestState{};
    state_.start = SteadyClock::now();
    state_.deadline = state_.start + limits_.request_timeout;
  }

  // Waits until the next request starts arriving. False: idle for `timeout`, closed, or stopping
  // (a request already buffered is still served).
  bool WaitForRequest(std::chrono::milliseconds timeout, const std::atomic<bool>& stopping) {
    if (in_pos_ < in_len_) return true;
    auto until = SteadyClock::now() + timeout;
    for (;;) {
      int slice = stopping ? 0 : std::min(kStopPollMs, Millis(until - SteadyClock::now()));
      pollfd p{fd_, POLLIN, 0};
      int r = ::poll(&p, 1, slice);
      if (r > 0) return (p.revents & POLLIN) != 0;
      if (r < 0 && errno != EINTR) return false;
      if (stopping || SteadyClock::now() >= until) return false;
    }
  }

  bool is_readable() const override {
    return in_pos_ < in_len_ || PollFor(POLLIN, limits_.read_timeout) > 0;
  }
  bool is_writable() const override { return PollFor(POLLOUT, limits_.read_timeout) > 0; }

  ssize_t read(char* ptr, std::size_t size) override {
    // cpp-httplib reads the request line and headers one byte per call: keep that path short.
    if (size == 1 && in_pos_ < in_len_ && state_.in_headers && out_.empty() && !state_.drop &&
        state_.failure == Failure::kNone) {
      if (ScanHeaderBytes(1) == 0) return -1;
      *ptr = in_[in_pos_++];
      return 1;
    }
    if (state_.drop || state_.failure != Failure::kNone) return -1;
    // A "100 Continue" must reach the client before we wait for the body it announced.
    if (!out_.empty() && !Flush()) return -1;
    if (in_pos_ == in_len_) {
      int filled = Fill();
      if (filled <= 0) return filled;
    }
    std::size_t n = std::min(size, in_len_ - in_pos_);
    if (state_.in_headers) {
      n = ScanHeaderBytes(n);
    } else {
      state_.body_bytes += n;
      if (state_.body_bytes > limits_.max_body_bytes + kChunkFramingSlack)
        state_.failure = Failure::kBodyTooLarge;
    }
    if (state_.failure != Failure::kNone) return -1;
    std::memcpy(ptr, in_ + in_pos_, n);
    in_pos_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, std::size_t size) override {
    if (state_.drop || broken_) return -1;
    out_.append(ptr, size);
    state_.written += size;
    if (out_.size() >= kFlushThreshold && !Flush()) return -1;
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    if (!peer_known_) {
      Describe(::getpeername, peer_ip_, peer_port_);
      peer_known_ = true;
    }
    ip = peer_ip_;
    port = peer_port_;
  }

  void get_local_ip_and_port(std::string& ip, int& port) const override {
    if (!local_known_) {
      Describe(::getsockname, local_ip_, local_port_);
      local_known_ = true;
    }
    ip = local_ip_;
    port = local_port_;
  }

  // cpp-httplib only uses this to refuse descriptors that select() cannot watch; every wait here
  // uses poll(), so a high descriptor number is no reason to fail.
  int socket() const override { return fd_ < FD_SETSIZE ? fd_ : 0; }

  // Sends what the response wrote. False when the peer is gone or stopped reading.
  bool Flush() {
    std::size_t off = 0;
    while (off < out_.size() && !broken_) {
      ssize_t n = ::send(fd_, out_.data() + off, out_.size() - off, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0)
        broken_ = true;  // EAGAIN here means the send timeout (SO_SNDTIMEO) expired
      else
        off += static_cast<std::size_t>(n);
    }
    out_.clear();
    return !broken_;
  }

  // Reads and throws away `length` body bytes (a GET with a body: cpp-httplib never reads it).
  bool Discard(std::size_t length) {
    state_.in_headers = false;
    char buf[4096];
    while (length > 0) {
      ssize_t n = read(buf, std::min(length, sizeof(buf)));
      if (n <= 0) return false;
      length -= static_cast<std::size_t>(n);
    }
    return true;
  }

  // Half-closes, then drains what the client is still sending for a bounded time, so that a
  // refused upload does not make the kernel reset the connection before our answer is read.
  void LingeringClose() {
    ::shutdown(fd_, SHUT_WR);
    auto until = SteadyClock::now() + kLingerTime;
    std::size_t drained = 0;
    char buf[16384];
    while (drained < kLingerBytes) {
      int left = Millis(until - SteadyClock::now());
      if (left <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, left) <= 0) break;
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) break;
      drained += static_cast<std::size_t>(n);
    }
  }

 private:
  int PollFor(short events, std::chrono::milliseconds timeout) const {
    pollfd p{fd_, events, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count()));
  }

  // Refills the input buffer. 1: data, 0: orderly close, -1: error or timeout (failure set).
  int Fill() {
    // Usually the data is already there (WaitForRequest polled): one recv, no second poll.
    ssize_t got = ::recv(fd_, in_, sizeof(in_), MSG_DONTWAIT);
    if (got > 0) {
      in_pos_ = 0;
      in_len_ = static_cast<std::size_t>(got);
      return 1;
    }
    if (got == 0) return 0;
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
    for (;;) {
      auto now = SteadyClock::now();
      if (now >= state_.deadline) {
        state_.failure = Failure::kTimeout;
        return -1;
      }
      int wait =
          std::min(Millis(state_.deadline - now), static_cast<int>(limits_.read_timeout.count()));
      pollfd p{fd_, POLLIN, 0};
      int r = ::poll(&p, 1, wait);
      if (r < 0 && errno == EINTR) continue;
      if (r == 0) {
        state_.failure = Failure::kTimeout;
        return -1;
      }
      if (r < 0) return -1;
      ssize_t n = ::recv(fd_, in_, sizeof(in_), 0);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) return n == 0 ? 0 : -1;
      in_pos_ = 0;
      in_len_ = static_cast<std::size_t>(n);
      return 1;
    }
  }

  // Accounts for up to `n` buffered bytes of the request line and headers; returns how many of
  // them belong to the header block (a body may follow in the same buffer).
  std::size_t ScanHeaderBytes(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      auto c = static_cast<unsigned char>(in_[in_pos_ + i]);
      const unsigned char previous = state_.tail & 0xff;
      ++state_.header_bytes;
      ++state_.line_bytes;
      state_.tail = (state_.tail << 8) | c;
      if (state_.line_bytes > kLineLimit || state_.header_bytes > limits_.max_header_bytes) {
        state_.failure =
            state_.first_line ? Failure::kRequestLineTooLong : Failure::kHeadersTooLarge;
        return 0;
      }
      // RFC 9112 2.2 and 5.2: every line ends in CRLF; a bare CR or LF, or a folded line, is
      // refused (cpp-httplib would skip the line, another parser would not: a desync).
      if (c == '\n' && previous != '\r') {
        state_.failure = Failure::kBareLineFeed;
        return 0;
      }
      if (previous == '\r' && c != '\n') {
        state_.failure = Failure::kBareCarriageReturn;
        return 0;
      }
      if (state_.line_bytes == 1 && !state_.first_line && (c == ' ' || c == '\t')) {
        state_.failure = Failure::kFoldedLine;
        return 0;
      }
      if (c == '\n') {
        state_.first_line = false;
        state_.line_bytes = 0;
        if (state_.tail == 0x0d0a0d0a) {
          state_.in_headers = false;
          return i + 1;
        }
      }
    }
    return n;
  }

  template <typename NameFn>
  void Describe(NameFn fn, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    if (fn(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
      auto* a = reinterpret_cast<sockaddr_in*>(&addr);
      ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof(text));
      port = ntohs(a->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
      ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof(text));
      port = ntohs(a->sin6_port);
    }
    ip = text;
  }

  int fd_;
  const Limits& limits_;
  RequestState state_;
  char in_[16384];
  std::size_t in_pos_ = 0;
  std::size_t in_len_ = 0;
  std::string out_;
  bool broken_ = false;
  mutable bool peer_known_ = false;
  mutable bool local_known_ = false;
  mutable std::string peer_ip_, local_ip_;
  mutable int peer_port_ = 0, local_port_ = 0;
};

// The connection the calling worker thread is serving (handlers run on that thread).
thread_local Connection* t_connection = nullptr;

void ApplyResponse(core::HttpResponse from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [name, value] : from.headers) {
    if (!IsFramingHeader(name)) to.set_header(name, value);  // set_header drops CR/LF values
  }
  to.body = std::move(from.body);
}

// The mock answers HEAD without a body but with the Content-Length of the GET it stands for
// (MockServer::Process); cpp-httplib would otherwise announce the empty body's length, 0.
void ApplyHeadResponse(core::HttpResponse from, httplib::Response& to) {
  std::optional<std::string> length = from.headers.Get("Content-Length");
  ApplyResponse(std::move(from), to);
  if (length && AllDigits(*length)) to.set_header("Content-Length", *length);
}

// scheme://host[:port] as the client wrote it in Host (links in the landing document must work
// from where it stands), or `fallback` when Host is missing or is not a plain host name.
std::string ClientBaseUrl(const httplib::Request& req, const std::string& fallback) {
  const std::string host = req.get_header_value("Host");
  if (host.empty()) return fallback;
  for (char c : host) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return fallback;
  }
  return "http://" + host;
}

// Replaces whatever cpp-httplib put in an answer it produced itself by the mock's error shape.
void ReplaceWithError(httplib::Response& res, int status, const std::string& message) {
  res.headers.erase("Content-Length");
  res.headers.erase("Content-Type");
  ApplyResponse(RestboxErrorResponse(status, message), res);
  res.set_header("Content-Length", std::to_string(res.body.size()));
}

std::string FailureMessage(Failure failure, const Limits& limits, int& status) {
  switch (failure) {
    case Failure::kTimeout:
      status = 408;
      return "request not received in time (" + std::to_string(limits.read_timeout.count()) +
             " ms of silence or " + std::to_string(limits.request_timeout.count()) +
             " ms in total)";
    case Failure::kRequestLineTooLong:
      status = 414;
      return "request line longer than " + std::to_string(kLineLimit) + " bytes";
    case Failure::kHeadersTooLarge:
      status = 431;
      return "request headers larger than " + std::to_string(limits.max_header_bytes) +
             " bytes, or one header line over " + std::to_string(kLineLimit) + " bytes";
    case Failure::kBodyTooLarge:
      status = 413;
      return "request body larger than " + std::to_string(limits.max_body_bytes) + " bytes";
    case Failure::kBareLineFeed:
      status = 400;
      return "a line of the request head ends in a bare LF; HTTP/1.1 lines end in CRLF (RFC 9112)";
    case Failure::kBareCarriageReturn:
      status = 400;
      return "the request head has a CR that is not followed by LF (RFC 9112)";
    case Failure::kFoldedLine:
      status = 400;
      return "obsolete line folding (a header line starting with a space or tab) is not accepted "
             "(RFC 9112)";
    case Failure::kNone:
      break;
  }
  return {};
}

std::string MessageForLibraryStatus(int status) {
  switch (status) {
    case 400:
      return "malformed HTTP request";
    case 414:
      return "request line longer than " + std::to_string(kLineLimit) + " bytes";
    case 416:
      return "malformed Range header";
    case 413:
      return "request body too large";
    default:
      return std::string(core::ReasonPhrase(status));
  }
}

// The full text of an answer written without cpp-httplib (the request never got that far).
std::string SerializeResponse(const core::HttpResponse& r) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " +
                    std::string(core::ReasonPhrase(r.status)) + "\r\n";
  for (const auto& [name, value] : r.headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\nConnection: close\r\n\r\n";
  out += r.body;
  return out;
}

// The codings of a Transfer-Encoding value, lower case, in order ("gzip, Chunked" -> gzip,
// chunked); an empty element stays empty (and is refused).
std::vector<std::string> TransferCodings(std::string_view value) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (;;) {
    std::size_t comma = value.find(',', pos);
    std::string_view item =
        value.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    std::string coding(item);
    for (char& c : coding) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    out.push_back(std::move(coding));
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

// What the engine answers as the admin API (MockServer::Process makes the same test).
bool IsAdminTarget(std::string_view target) {
  if (target.find(kAdminPrefix.substr(0, kAdminPrefix.size() - 1)) == std::string_view::npos)
    return false;
  auto parts = core::ParseUrl(target);
  return parts && IsAdminPath(parts->path);
}

// application/json, whatever its parameters ("application/json; charset=utf-8").
bool IsJsonMediaType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  return core::EqualsIgnoreCase(media, "application/json");
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
class HttpFront::Impl {
 public:
  Impl(std::shared_ptr<MockServer> server, HttpFrontOptions options)
      : server_(std::move(server)),
        options_(std::move(options)),
        limits_{options_.max_body_bytes, options_.max_header_bytes, options_.read_timeout,
                options_.request_timeout},
        http_(*this) {
    Configure();
    if (!options_.static_dir.empty()) ConfigureStatic();
  }

  ~Impl() { Stop(); }

  std::optional<std::string> Bind() {
    if (port_ != 0) return std::nullopt;
    if (AdminTokenRequired(options_.host) && options_.admin_token.empty()) {
      return "listening on " + options_.host +
             " (not a loopback address) needs an admin token for /__restbox/ (--admin-token)";
    }
    int port = options_.port == 0
                   ? http_.bind_to_any_port(options_.host)
                   : (http_.bind_to_port(options_.host, options_.port) ? options_.port : -1);
    if (port <= 0) {
      return "cannot listen on " + options_.host + ":" + std::to_string(options_.port) + " (" +
             std::strerror(errno) + "; is the port in use?)";
    }
    http_.Relisten();
    port_ = port;
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

  void Serve() {
    if (!stopping_) http_.listen_after_bind();
  }

  std::optional<std::string> Start() {
    if (auto error = Bind()) return error;
    thread_ = std::thread([this] { Serve(); });
    return std::nullopt;
  }

  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    http_.Halt();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }

 private:
  // cpp-httplib's server with our connection loop in place of its own.
  class Server final : public httplib::Server {
   public:
    explicit Server(Impl& impl) : impl_(impl) {}
    // cpp-httplib listens with a backlog of 5; 64 clients connecting at once would see SYNs
    // dropped and retried a second later.
    void Relisten() { ::listen(svr_sock_, 1024); }
    // Closes the listening socket whether or not the accept loop has started (stop() only acts
    // once it runs, so a Stop() racing Serve() would be lost).
    void Halt() {
      int sock = svr_sock_.exchange(INVALID_SOCKET);
      if (sock != INVALID_SOCKET) {
        ::shutdown(sock, SHUT_RDWR);
        ::close(sock);
      }
    }
    using httplib::Server::process_request;

   private:
    bool process_and_close_socket(int sock) override {
      impl_.ServeConnection(sock);
      return true;
    }
    Impl& impl_;
  };

  void Configure() {
    std::size_t threads = std::max<std::size_t>(1, options_.threads);
    http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http_.set_tcp_nodelay(true);
    // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, which lets a second restbox-mock
    // silently share the port (the kernel then splits the requests between two mocks).
    http_.set_socket_options([](int sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    http_.set_keep_alive_max_count(std::max<std::size_t>(1, options_.keep_alive_max_requests));
    http_.set_keep_alive_timeout(std::max<time_t>(
        1, std::chrono::ceil<std::chrono::seconds>(options_.keep_alive_timeout).count()));
    http_.set_write_timeout(5, 0);
    http_.set_payload_max_length(options_.max_body_bytes);
    // Requests without a body are answered before cpp-httplib looks at its routes (no regex).
    http_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (IsBodyMethod(req.method)) return httplib::Server::HandlerResponse::Unhandled;
      Handle(req, res);
      return httplib::Server::HandlerResponse::Handled;
    });
    auto handle = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
    const std::string any = R"([\s\S]*)";
    http_.Post(any, handle).Put(any, handle).Patch(any, handle).Delete(any, handle);
    http_.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
          std::string what = "unknown error";
          try {
            if (ep) std::rethrow_exception(ep);
          } catch (const std::exception& e) {
            what = e.what();
          } catch (...) {
          }
          ApplyResponse(RestboxErrorResponse(500, "restbox-mock internal error: " + what), res);
        });
    http_.set_post_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { PostRouting(req, res); });
    if (options_.log) {
      http_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        if (t_connection)
          Log(req.method, req.target, res.status, res.get_header_value("X-Request-Id"),
              *t_connection);
      });
    }
  }

  // The routes of every service, to tell static paths from service paths.
  void ConfigureStatic() {
    static_files_.emplace(options_.static_dir);
    for (const auto& id : server_->ServiceIds()) {
      ServiceModule* module = server_->FindService(id);
      if (!module) continue;
      modules_.push_back(module);
      for (const auto& endpoint : module->Spec().endpoints)
        service_routes_.Add(id, endpoint, nullptr);
    }
  }

  // True when a service answers `path` (a route with any method, or a path it owns).
  bool IsServicePath(std::string_view path) const {
    RouteMatch match = service_routes_.Find(core::Method::kGet, path);
    if (match.route || !match.same_path_other_methods.empty()) return true;
    return std::any_of(modules_.begin(), modules_.end(),
                       [path](const ServiceModule* m) { return m->OwnsPath(path); });
  }

  void ServeConnection(int sock) {
    int one = 1;
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    Connection conn(sock, limits_);
    t_connection = &conn;
    const std::size_t max_requests = std::max<std::size_t>(1, options_.keep_alive_max_requests);
    bool linger = false;
    for (std::size_t served = 0; served < max_requests; ++served) {
      auto wait = served == 0 ? std::min(options_.keep_alive_timeout, options_.read_timeout)
                              : options_.keep_alive_timeout;
      if (!conn.WaitForRequest(wait, stopping_)) break;
      conn.BeginRequest();
      const bool last = stopping_ || served + 1 == max_requests;
      bool closed_by_client = false;
      bool ok = http_.process_request(conn, last, closed_by_client,
                                      [this, &conn](httplib::Request& req) { Setup(req, conn); });
      auto& st = conn.state();
      if (!ok && st.failure != Failure::kNone && st.written == 0 && !st.drop) AnswerUnparsed(conn);
      conn.Flush();
      linger = !st.drop && (st.failure != Failure::kNone || st.body_unread);
      if (!ok || closed_by_client || last || st.close || st.drop || st.failure != Failure::kNone)
        break;
    }
    t_connection = nullptr;
    if (linger) conn.LingeringClose();
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
  }

  // The request line or headers could not be read at all: answer without cpp-httplib.
  void AnswerUnparsed(Connection& conn) {
    int status = 400;
    std::string message = FailureMessage(conn.state().failure, limits_, status);
    std::string text = SerializeResponse(RestboxErrorResponse(status, message));
    conn.write(text.data(), text.size());
    Log("-", "-", status, "", conn);
  }

  // Runs once the headers are parsed, before cpp-httplib reads a body: framing rules, limits and
  // the trust boundary (Admit), so that a refused request never has its body read.
  void Setup(httplib::Request& req, Connection& conn) {
    auto& st = conn.state();
    // One pass over the headers (cpp-httplib's lookups compare names with tolower each time).
    // cpp-httplib keeps every header line (a multimap): repeated ones are all seen here.
    std::string_view te, content_type;
    std::size_t te_headers = 0;
    bool content_encoding = false, accept_encoding = false, framing_ok = true;
    std::size_t lengths = 0, length = 0;
    for (const auto& [name, value] : req.headers) {
      switch (name.empty() ? 0 : name[0] | 0x20) {
        case 't':
          if (core::EqualsIgnoreCase(name, "Transfer-Encoding")) {
            te = value;
            ++te_headers;
          }
          break;
        case 'c':
          if (core::EqualsIgnoreCase(name, "Content-Length")) {
            std::size_t v = AllDigits(value) ? static_cast<std::size_t>(std::stoull(value)) : 0;
            if (!AllDigits(value) || (lengths > 0 && v != length)) framing_ok = false;
            length = v;
            ++lengths;
          } else if (core::EqualsIgnoreCase(name, "Content-Type")) {
            content_type = value;
          } else if (core::EqualsIgnoreCase(name, "Content-Encoding")) {
            content_encoding = true;
          }
          break;
        case 'a':
          accept_encoding = accept_encoding || core::EqualsIgnoreCase(name, "Accept-Encoding");
          break;
        default:
          break;
      }
    }
    const bool has_te = te_headers > 0;
    auto reject_with = [&](core::HttpResponse answer) {
      st.rejection = std::move(answer);
      st.close = true;
      st.body_unread = true;
      // Nothing more is read: no "100 Continue", no body (and no multipart parsing of it).
      req.headers.erase("Expect");
      req.headers.erase("Transfer-Encoding");
      req.headers.erase("Content-Length");
      req.headers.erase("Content-Type");
      req.headers.emplace("Content-Length", "0");
    };
    auto reject = [&](int status, std::string message) {
      reject_with(RestboxErrorResponse(status, message));
    };
    // RFC 9112 6.1 and 6.3: the body length must be certain, or the next request would start
    // somewhere the client did not mean (request smuggling).
    if (te_headers > 1) return reject(400, "more than one Transfer-Encoding header");
    if (has_te) {
      std::vector<std::string> codings = TransferCodings(te);
      const auto chunked = std::count(codings.begin(), codings.end(), "chunked");
      if (codings.empty() || codings.back() != "chunked" || chunked != 1) {
        return reject(
            400, "Transfer-Encoding '" + std::string(te) +
                     "' does not end with chunked exactly once, so the body length is unknown");
      }
      if (codings.size() > 1) {
        return reject(
            501, "Transfer-Encoding '" + std::string(te) + "' is not supported (only chunked)");
      }
      // cpp-httplib recognises only the exact value: spell it so, whatever case or spacing came.
      req.headers.erase("Transfer-Encoding");
      req.headers.emplace("Transfer-Encoding", "chunked");
      te = {};
    }
    if (!framing_ok) return reject(400, "invalid Content-Length");
    if (has_te && lengths > 0) return reject(400, "both Content-Length and Transfer-Encoding");
    if (length > options_.max_body_bytes) {
      return reject(413, "request body of " + std::to_string(length) +
                             " bytes is larger than the " +
                             std::to_string(options_.max_body_bytes) + "-byte limit");
    }
    if (auto refused = Admit(req, content_type, has_te || length > 0))
      return reject_with(std::move(*refused));
    if (IsBodyMethod(req.method)) {
      // No length and not chunked means no body (RFC 9112 6.3); cpp-httplib would read until the
      // client closes.
      if (!has_te && lengths == 0) req.headers.emplace("Content-Length", "0");
    } else if (has_te) {
      return reject(400, req.method + " with a chunked body is not supported");
    } else if (length > 0 && !conn.Discard(length)) {
      st.close = true;  // the failure (timeout, close) answers for itself
    }
    // The mock sees these as sent; cpp-httplib must not parse forms, split multipart bodies,
    // decompress, compress small answers or cut answers into ranges.
    auto hide = [&](const char* name) {
      for (std::size_t i = 0; i < req.get_header_value_count(name); ++i)
        st.hidden.emplace_back(name, req.get_header_value(name, i));
      req.headers.erase(name);
    };
    if (content_type.starts_with("multipart/form-data") ||
        content_type.starts_with("application/x-www-form-urlencoded")) {
      hide("Content-Type");
    }
    if (content_encoding) hide("Content-Encoding");
    if (accept_encoding && !req.target.starts_with(kAdminPrefix))
      hide("Accept-Encoding");  // big admin answers may be gzipped
    req.ranges.clear();
  }

  // The trust boundary (mock-server/README.md, "Security"): who may be answered at all (Host),
  // who may cause side effects or use the admin API (Origin, admin token), and what an admin
  // write must look like (Content-Type). Nullopt: go on.
  std::optional<core::HttpResponse> Admit(const httplib::Request& req,
                                          std::string_view content_type, bool has_body) {
    const std::size_t hosts = req.get_header_value_count("Host");
    if (hosts > 1) return RestboxErrorResponse(400, "more than one Host header");
    const std::string host = req.get_header_value("Host");
    if (hosts == 0 && req.version == "HTTP/1.1")
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
    const bool admin = IsAdminTarget(req.target);
    const bool safe_method = req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS";
    const std::size_t origins = req.get_header_value_count("Origin");
    const std::string origin = req.get_header_value("Origin");
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
    if (req.method == "OPTIONS" && origins > 0 && req.has_header("Access-Control-Request-Method"))
      return std::nullopt;  // a CORS preflight carries no credentials; Preflight answers it
    if (!options_.admin_token.empty() && !HasAdminToken(req)) {
      auto answer = RestboxErrorResponse(401,
                                         "the admin API (/__restbox/) needs the admin token: send "
                                         "\"Authorization: Bearer <token>\" or "
                                         "\"X-Restbox-Admin-Token: <token>\" (restbox-mock prints "
                                         "it at start, or takes it from --admin-token)");
      answer.headers.Set("WWW-Authenticate", "Bearer realm=\"restbox-mock admin\"");
      return answer;
    }
    const bool write = req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
                       req.method == "DELETE";
    if (write && (has_body || !content_type.empty()) && !IsJsonMediaType(content_type)) {
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

  bool HasAdminToken(const httplib::Request& req) const {
    const std::string& token = options_.admin_token;
    for (const auto& [name, value] : req.headers) {
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

  void Handle(const httplib::Request& req, httplib::Response& res) {
    Connection& conn = *t_connection;
    auto& st = conn.state();
    st.routed = true;
    if (st.rejection) {
      ApplyResponse(std::move(*st.rejection), res);
      st.rejection.reset();
      return;
    }
    if (req.method == "OPTIONS" && req.has_header("Origin") &&
        req.has_header("Access-Control-Request-Method")) {
      return Preflight(req, res);
    }
    if (req.method == "GET" || req.method == "HEAD") {
      // For HEAD, cpp-httplib sends the headers of these answers (Content-Length included) and
      // leaves the body out.
      const std::string_view path = std::string_view(req.target).substr(0, req.target.find('?'));
      if (static_files_ && !IsAdminPath(path) && !IsServicePath(path)) {
        ApplyResponse(static_files_->Serve(path), res);
        return;
      }
      if (!static_files_ && path == "/") {
        // Without a console, a browser opening the printed URL learns where everything is.
        auto landing = JsonResponse(200, LandingDocument(*server_, ClientBaseUrl(req, url())));
        landing.headers.Set("Cache-Control", "no-store");
        ApplyResponse(std::move(landing), res);
        return;
      }
    }
    auto method = core::ParseMethod(req.method);
    if (!method) {
      ApplyResponse(
          RestboxErrorResponse(501, "method " + req.method + " is not supported by restbox-mock"),
          res);
      return;
    }
    core::HttpRequest request;
    request.method = *method;
    request.url = req.target;
    for (const auto& [name, value] : req.headers) {
      if (!IsLibraryHeader(name)) request.headers.Add(name, value);
    }
    for (const auto& [name, value] : st.hidden) request.headers.Add(name, value);
    request.body = req.body;
    MockOutcome outcome = server_->Process(std::move(request));
    if (outcome.delay > core::Duration::zero()) Sleep(outcome.delay);
    // A dropped answer is never sent, but its request id still goes to the log.
    st.drop = outcome.drop;
    if (*method == core::Method::kHead)
      ApplyHeadResponse(std::move(outcome.response), res);
    else
      ApplyResponse(std::move(outcome.response), res);
    if (st.drop && res.status <= 0) res.status = 500;
    if (IsWriteMethod(*method) && options_.on_write) options_.on_write();
  }

  void Preflight(const httplib::Request& req, httplib::Response& res) {
    if (!trust_.OriginAllowed(req.get_header_value("Origin"), req.get_header_value("Host"))) {
      ApplyResponse(
          RestboxErrorResponse(403,
                               "CORS: only pages from http(s)://localhost, 127.0.0.1 and [::1] "
                               "(any port), the mock's own pages and --allow-origin origins may "
                               "call restbox-mock from a browser"),
          res);
      return;
    }
    res.status = 204;
    res.set_header("Access-Control-Allow-Methods", kAllowedMethods);
    std::string requested = req.get_header_value("Access-Control-Request-Headers");
    if (!requested.empty()) res.set_header("Access-Control-Allow-Headers", requested);
    res.set_header("Access-Control-Max-Age", kPreflightMaxAge);
  }

  // Runs for every answer just before it is written (ours and cpp-httplib's own).
  void PostRouting(const httplib::Request& req, httplib::Response& res) {
    Connection* conn = t_connection;
    if (!conn) return;
    auto& st = conn->state();
    if (!st.routed) {
      // cpp-httplib answered by itself (parse error, 414, 416) or a limit tripped while it read.
      st.close = true;
      int status = res.status;
      std::string message = FailureMessage(st.failure, limits_, status);
      if (message.empty()) message = MessageForLibraryStatus(status);
      ReplaceWithError(res, status, message);
    }
    // cpp-httplib adds "Accept-Ranges: bytes" to HEAD answers only; ranges are never served here
    // (Setup clears them), and a HEAD must show the headers of its GET.
    if (req.method == "HEAD") res.headers.erase("Accept-Ranges");
    if (st.close) {
      res.headers.erase("Keep-Alive");
      res.headers.erase("Connection");
      res.set_header("Connection", "close");
    }
    const std::string origin = req.get_header_value("Origin");
    if (!origin.empty() && req.get_header_value_count("Origin") == 1 &&
        trust_.OriginAllowed(origin, req.get_header_value("Host"))) {
      res.set_header("Access-Control-Allow-Origin", origin);
      res.set_header("Vary", "Origin");
      res.set_header("Access-Control-Expose-Headers", kExposedHeaders);
    }
  }

  void Log(const std::string& method, const std::string& target, int status,
           const std::string& request_id, const Connection& conn) {
    if (!options_.log) return;
    const auto& st = conn.state();
    double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - st.start).count();
    char duration[32];
    std::snprintf(duration, sizeof(duration), "%.2fms", ms);
    std::string line = core::FormatIso8601(std::chrono::system_clock::now());
    line += ' ';
    // Whatever the client sent, one request stays one line: control characters are escaped.
    line += EscapeForLog(method);
    line += ' ';
    line += EscapeForLog(core::MaskUrl(target));
    line += ' ';
    line += st.drop ? std::string("dropped") : std::to_string(status);
    line += ' ';
    line += duration;
    line += " rid=";
    line += request_id.empty() ? std::string("-") : EscapeForLog(request_id);
    options_.log(line);
  }

  void Sleep(core::Duration delay) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, delay, [this] { return stopping_.load(); });
  }

  std::shared_ptr<MockServer> server_;
  HttpFrontOptions options_;
  std::optional<StaticFiles> static_files_;  // options_.static_dir, when set
  Router service_routes_;                    // with static files: every service's routes
  std::vector<const ServiceModule*> modules_;
  Limits limits_;
  TrustPolicy trust_;  // set by Bind() (it knows the port)
  Server http_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
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
