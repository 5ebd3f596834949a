#include "connection_loop.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace restbox::mock {
namespace {

using Clock = std::chrono::steady_clock;
constexpr SteadyTime kNever = SteadyTime::max();

// Bytes one recv() asks for. A shorter answer means the socket was drained at that moment.
constexpr std::size_t kReadChunk = 64 * 1024;
// Bytes read from one connection before the loop turns to the others (it comes back to it).
constexpr std::size_t kReadBudget = 256 * 1024;
// After the last answer of a connection (a refusal, Connection: close), the loop half-closes and
// keeps reading and discarding at most this long and this much (a refused upload, pipelined
// requests), so the close does not become a reset that destroys the answer before the client
// has read it. A client that closes on its own ends it at once.
constexpr auto kLingerTime = std::chrono::milliseconds(1000);
constexpr std::size_t kLingerBytes = 16 * 1024 * 1024;
// Connections accepted per turn of the loop, and the pause after accept() ran out of
// descriptors (the pending connections stay in the backlog meanwhile).
constexpr int kAcceptsPerTurn = 64;
constexpr auto kAcceptPause = std::chrono::milliseconds(100);
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

bool IsTokenChar(char ch) {
  auto c = static_cast<unsigned char>(ch);
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("!#$%&'*+-.^_`|~").find(ch) != std::string_view::npos;
}

bool IsFramingHeader(std::string_view name) {
  return core::EqualsIgnoreCase(name, "Content-Length") ||
         core::EqualsIgnoreCase(name, "Transfer-Encoding") ||
         core::EqualsIgnoreCase(name, "Connection") || core::EqualsIgnoreCase(name, "Keep-Alive");
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() <= 19 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int MillisUntil(SteadyTime t, SteadyTime now) {
  if (t == kNever) return -1;
  if (t <= now) return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(t - now).count();
  return static_cast<int>(std::min<long long>(ms, 1 << 30));
}

}  // namespace

std::string ResponseHead(const core::HttpResponse& response, const ResponseFraming& framing,
                         std::size_t& body_bytes) {
  const int status = response.status;
  std::string out;
  out.reserve(256);
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += core::ReasonPhrase(status);
  out += "\r\n";
  bool has_type = false;
  std::optional<std::string_view> declared_length;
  for (const auto& [name, value] : response.headers) {
    if (core::EqualsIgnoreCase(name, "Content-Length")) declared_length = value;
    if (IsFramingHeader(name)) continue;
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar) ||
        value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
      continue;  // a header the client could read as two: left out
    has_type = has_type || core::EqualsIgnoreCase(name, "Content-Type");
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  const bool no_body = (status >= 100 && status < 200) || status == 204 || status == 304;
  body_bytes = no_body || framing.head_request ? 0 : response.body.size();
  if (!no_body) {
    if (!has_type && !response.body.empty()) out += "Content-Type: text/plain\r\n";
    out += "Content-Length: ";
    // HEAD: the length of the body a GET would have (the mock says it), else of this body.
    if (framing.head_request && declared_length && AllDigits(*declared_length))
      out += *declared_length;
    else
      out += std::to_string(response.body.size());
    out += "\r\n";
  }
  if (framing.close) {
    out += "Connection: close\r\n";
  } else {
    if (framing.http10) out += "Connection: keep-alive\r\n";
    out += "Keep-Alive: timeout=" + std::to_string(framing.keep_alive_timeout.count()) +
           ", max=" + std::to_string(framing.keep_alive_max) + "\r\n";
  }
  out += "\r\n";
  return out;
}

std::size_t RaiseFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return static_cast<std::size_t>(limit.rlim_cur);
}

// ---------------------------------------------------------------------------------------------
class ConnectionLoop::Impl {
 public:
  Impl(ConnectionHandler& handler, ConnectionLimits limits) : handler_(handler), limits_(limits) {
    limits_.workers = std::max<std::size_t>(1, limits_.workers);
    limits_.keep_alive_max_requests = std::max<std::size_t>(1, limits_.keep_alive_max_requests);
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &wake_fd_;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  }

  ~Impl() {
    for (auto& c : conns_) {
      if (c) ::close(c->fd);
    }
    if (listen_fd_ >= 0) ::close(listen_fd_);
    ::close(wake_fd_);
    ::close(epoll_fd_);
  }

  std::optional<std::string> Listen(const std::string& host, int port) {
    if (listen_fd_ >= 0) return std::nullopt;
    RaiseFileLimit();
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0)
      return "cannot listen on " + host + ":" + service + " (" + ::gai_strerror(rc) + ")";
    int error = 0;
    for (addrinfo* a = found; a; a = a->ai_next) {
      int fd =
          ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0) {
        error = errno;
        continue;
      }
      int yes = 1, no = 0;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
      if (a->ai_family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof(no));
      // The backlog: clients connecting all at once must not see their SYNs dropped.
      if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 1024) == 0) {
        listen_fd_ = fd;
        break;
      }
      error = errno;
      ::close(fd);
    }
    ::freeaddrinfo(found);
    if (listen_fd_ < 0) {
      return "cannot listen on " + host + ":" + service + " (" + std::strerror(error) +
             "; is the port in use?)";
    }
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = addr.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
                                       : ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    return std::nullopt;
  }

  int port() const { return port_; }
  bool stopping() const { return stopping_; }

  void Stop() {
    stopping_ = true;
    Wake();
  }

  void Run() {
    if (listen_fd_ < 0) return;
    if (!stopping_) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.ptr = &listen_fd_;
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
    }
    StartWorkers();
    std::vector<epoll_event> events(256);
    for (;;) {
      if (stopping_ && !stop_begun_) BeginStop();
      if (stop_begun_ && live_ == 0) break;
      SteadyTime now = Clock::now();
      SteadyTime next = std::min(next_deadline_, accept_resume_);
      int timeout = ready_.empty() ? MillisUntil(next, now) : 0;
      int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), timeout);
      if (n < 0 && errno != EINTR) break;
      for (int i = 0; i < n; ++i) {
        void* tag = events[i].data.ptr;
        if (tag == &listen_fd_) {
          Accept();
        } else if (tag == &wake_fd_) {
          std::uint64_t count;
          while (::read(wake_fd_, &count, sizeof(count)) > 0) {
          }
        } else {
          OnEvent(static_cast<Conn*>(tag), events[i].events);
        }
      }
      TakeReturned();
      now = Clock::now();
      if (accept_resume_ <= now) ResumeAccepting();
      if (next_deadline_ <= now) Scan(now);
      RunReady();
      graveyard_.clear();
    }
    StopWorkers();
    if (listen_fd_ >= 0) {
      ::close(listen_fd_);
      listen_fd_ = -1;
    }
  }

 private:
  enum class Phase {
    kIdle,        // waiting for the first byte of a request
    kReading,     // a request is being received
    kProcessing,  // a worker has it: the loop only notes events
    kDelayed,     // the answer waits for its latency fault
    kWriting,     // the answer's rest waits for room in the socket (EPOLLOUT)
    kLingering,   // answered, half-closed: reading and discarding until the client closes
  };

  struct Conn {
    Conn(int socket, const RequestReaderLimits& limits) : fd(socket), reader(limits) {}
    int fd;
    Phase phase = Phase::kIdle;
    bool closed = false;
    bool queued = false;  // in ready_ (at most once)
    RequestReader reader;
    std::string in;  // bytes received after the request being served (pipelining)
    // Readiness as epoll reported it (edge-triggered): data may be waiting, the peer sent FIN,
    // the socket failed.
    bool readable = true;
    bool rdhup = false;
    bool broken = false;
    SteadyTime deadline = kNever;
    SteadyTime request_start{};
    SteadyTime request_deadline = kNever;
    std::size_t served = 0;
    // The exchange in progress. While kProcessing, a worker owns these and the loop leaves them.
    Incoming incoming;
    std::string out_head, out_body;
    std::size_t out_off = 0;  // bytes of out_head + out_body already sent
    bool close_after = false;
    bool drop = false;
    SteadyTime send_at{};
    core::HttpResponse response;  // the answer until it is framed
    ResponseFraming framing;
    std::size_t lingered = 0;
  };

  // ---- workers ---------------------------------------------------------------------------------

  void StartWorkers() {
    for (std::size_t i = 0; i < limits_.workers; ++i) workers_.emplace_back([this] { Work(); });
  }

  void StopWorkers() {
    {
      std::lock_guard lock(jobs_mutex_);
      quit_workers_ = true;
    }
    jobs_cv_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  void Work() {
    for (;;) {
      Conn* c;
      {
        std::unique_lock lock(jobs_mutex_);
        jobs_cv_.wait(lock, [this] { return quit_workers_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        c = jobs_.front();
        jobs_.pop_front();
      }
      Process(*c);
      Return(c);
    }
  }

  // On a worker: the answer, framed and sent at once; or kept for the loop when it waits for a
  // latency fault (framed when it goes out: a Stop() meanwhile makes it Connection: close).
  void Process(Conn& c) {
    Answer answer;
    try {
      answer = handler_.Respond(c.incoming);
    } catch (const std::exception& e) {
      answer.response = InternalError(e.what());
    } catch (...) {
      answer.response = InternalError("unknown error");
    }
    const Incoming incoming = std::exchange(c.incoming, Incoming{});
    const RequestHead& head = incoming.head;
    c.drop = answer.drop;
    c.send_at = answer.delay > core::Duration::zero() ? Clock::now() + answer.delay : SteadyTime{};
    if (c.drop) return;
    const bool refused = incoming.failure || incoming.screened;
    c.close_after = refused || !head.keep_alive || c.served + 1 >= limits_.keep_alive_max_requests;
    c.framing.head_request = head.method == "HEAD";
    c.framing.http10 = head.minor_version == 0;
    c.framing.keep_alive_timeout =
        std::max(std::chrono::seconds(1),
                 std::chrono::ceil<std::chrono::seconds>(limits_.keep_alive_timeout));
    c.framing.keep_alive_max = limits_.keep_alive_max_requests;
    c.response = std::move(answer.response);
    if (c.send_at == SteadyTime{}) {
      Frame(c);
      Send(c);
    }
  }

  // The answer kept in c.response, as bytes to send.
  void Frame(Conn& c) {
    c.close_after = c.close_after || stopping_;
    c.framing.close = c.close_after;
    std::size_t body_bytes = 0;
    c.out_head = ResponseHead(c.response, c.framing, body_bytes);
    c.out_body = std::move(c.response.body);
    c.out_body.resize(body_bytes);
    c.out_off = 0;
    c.response = core::HttpResponse{};
  }

  static core::HttpResponse InternalError(const std::string& what) {
    core::HttpResponse r;
    r.status = 500;
    r.headers.Set("Content-Type", "text/plain");
    r.body = "restbox-mock internal error: " + what;
    return r;
  }

  // A worker gives a connection back to the loop.
  void Return(Conn* c) {
    bool wake;
    {
      std::lock_guard lock(returned_mutex_);
      returned_.push_back(c);
      wake = !wake_pending_;
      wake_pending_ = true;
    }
    if (wake) Wake();
  }

  void Wake() {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof(one));
  }

  // ---- the loop -------------------------------------------------------------------------------

  void SetDeadline(Conn& c, SteadyTime t) {
    c.deadline = t;
    next_deadline_ = std::min(next_deadline_, t);
  }

  void Accept() {
    for (int i = 0; i < kAcceptsPerTurn; ++i) {
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors: stop watching the listener for a moment (it would report the
          // same pending connections at once, forever) and try again then.
          ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
          accept_resume_ = Clock::now() + kAcceptPause;
        }
        return;
      }
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      if (static_cast<std::size_t>(fd) >= conns_.size()) conns_.resize(fd + 1024);
      auto conn = std::make_unique<Conn>(fd, limits_.reader);
      Conn& c = *conn;
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
      ev.data.ptr = &c;
      if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
        ::close(fd);
        continue;
      }
      conns_[fd] = std::move(conn);
      ++live_;
      // Data already there is reported by the first epoll_wait.
      SetDeadline(c, Clock::now() + std::min(limits_.keep_alive_timeout, limits_.read_timeout));
    }
  }

  void ResumeAccepting() {
    accept_resume_ = kNever;
    if (listen_fd_ < 0 || stop_begun_) return;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &listen_fd_;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
  }

  void OnEvent(Conn* c, std::uint32_t events) {
    if (c->closed) return;
    if (events & (EPOLLERR | EPOLLHUP)) c->broken = true;
    if (events & EPOLLRDHUP) c->rdhup = true;
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) c->readable = true;
    switch (c->phase) {
      case Phase::kIdle:
      case Phase::kReading:
        return Read(*c);
      case Phase::kWriting:
        return Write(*c);
      case Phase::kLingering:
        return Linger(*c);
      case Phase::kDelayed:
        if (c->broken) Close(*c);
        return;
      case Phase::kProcessing:
        return;  // noted; looked at when the worker gives it back
    }
  }

  // Reads and parses until a request is complete, the socket is drained or the budget is spent.
  void Read(Conn& c) {
    if (!c.in.empty()) {
      std::string pending = std::move(c.in);
      c.in.clear();
      if (!Consume(c, pending)) return;
    }
    std::size_t budget = kReadBudget;
    while (c.readable) {
      if (budget == 0) {
        // More later: the others get their turn first. Queued once: a connection twice in
        // ready_ could be closed by its second entry after its first had queued it again.
        if (!c.queued) {
          c.queued = true;
          ready_.push_back(&c);
        }
        return;
      }
      ssize_t n = ::recv(c.fd, buffer_, sizeof(buffer_), 0);
      if (n > 0) {
        budget -= std::min<std::size_t>(budget, static_cast<std::size_t>(n));
        // Linux returns all it has up to the size asked: a short read drained the socket, and
        // the next data brings a new edge (a FIN seen by EPOLLRDHUP still has to be read).
        if (static_cast<std::size_t>(n) < sizeof(buffer_) && !c.rdhup) c.readable = false;
        if (!Consume(c, std::string_view(buffer_, static_cast<std::size_t>(n)))) return;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        c.readable = false;
        break;
      }
      // End of stream or error: a request not fully received is not answered.
      return Close(c);
    }
    if (c.broken) return Close(c);
  }

  // Feeds received bytes to the reader. False when the connection stops reading (a request went
  // to a worker, or the connection was closed).
  bool Consume(Conn& c, std::string_view data) {
    for (;;) {
      const bool was_started = c.reader.started();
      data.remove_prefix(c.reader.Feed(data));
      if (!was_started && c.reader.started()) {
        c.phase = Phase::kReading;
        c.request_start = Clock::now();
        c.request_deadline = c.request_start + limits_.request_timeout;
      }
      switch (c.reader.state()) {
        case RequestReader::State::kHeadDone:
          if (!OnHead(c)) return false;
          continue;  // a request without a body is done now
        case RequestReader::State::kDone:
          c.in.assign(data.data(), data.size());
          Dispatch(c);
          return false;
        case RequestReader::State::kFailed:
          Fail(c, c.reader.error());
          return false;
        default:
          break;
      }
      if (data.empty()) break;
    }
    if (c.phase == Phase::kReading)
      SetDeadline(c, std::min(Clock::now() + limits_.read_timeout, c.request_deadline));
    return true;
  }

  // A head is complete: the handler may refuse it; a body announced with 100-continue is asked
  // for. False when the connection stops reading.
  bool OnHead(Conn& c) {
    if (auto refusal = handler_.Screen(c.reader.head())) {
      c.incoming.screened = std::move(refusal);
      Dispatch(c);
      return false;
    }
    c.reader.ReadBody();
    if (c.reader.state() == RequestReader::State::kBody && c.reader.head().expect_continue) {
      ssize_t n = ::send(c.fd, kContinue.data(), kContinue.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n != static_cast<ssize_t>(kContinue.size())) {
        Close(c);  // a client that does not read even this much gets nothing more
        return false;
      }
    }
    return true;
  }

  void Fail(Conn& c, ReadError error) {
    c.incoming.failure = std::move(error);
    Dispatch(c);
  }

  // Hands the request (or its refusal) to a worker.
  void Dispatch(Conn& c) {
    c.phase = Phase::kProcessing;
    c.deadline = kNever;
    c.incoming.head = std::move(c.reader.head());
    c.incoming.body = std::move(c.reader.body());
    c.incoming.start = c.request_start;
    {
      std::lock_guard lock(jobs_mutex_);
      jobs_.push_back(&c);
    }
    jobs_cv_.notify_one();
  }

  void TakeReturned() {
    std::vector<Conn*> back;
    {
      std::lock_guard lock(returned_mutex_);
      back.swap(returned_);
      wake_pending_ = false;
    }
    for (Conn* c : back) OnReturned(*c);
  }

  void OnReturned(Conn& c) {
    if (c.broken) return Close(c);
    if (c.send_at != SteadyTime{}) {
      c.phase = Phase::kDelayed;
      SetDeadline(c, stop_begun_ ? Clock::now() : c.send_at);
      return;
    }
    if (c.drop) return Close(c);
    Write(c);
  }

  // Sends what is left of the answer; then the next request, or the close.
  void Write(Conn& c) {
    if (c.drop) return Close(c);
    const std::size_t before = c.out_off;
    if (!Send(c)) return Close(c);
    if (c.out_off < c.out_head.size() + c.out_body.size()) {
      // Only progress earns more time: a client that sends but never reads is closed.
      // Stopping: no more time for progress (BeginStop gave each writer one write_timeout).
      if (!stop_begun_ &&
          (c.phase != Phase::kWriting || c.out_off > before || c.deadline == kNever))
        SetDeadline(c, Clock::now() + limits_.write_timeout);
      c.phase = Phase::kWriting;
      return;
    }
    Finish(c);
  }

  // One sendmsg of what is left (head and body together). False when the socket failed.
  // Called by the worker first, then by the loop.
  static bool Send(Conn& c) {
    for (;;) {
      const std::size_t head = c.out_head.size(), total = head + c.out_body.size();
      if (c.out_off >= total) return true;
      iovec iov[2];
      int count = 0;
      if (c.out_off < head) {
        iov[count++] = {c.out_head.data() + c.out_off, head - c.out_off};
        if (!c.out_body.empty()) iov[count++] = {c.out_body.data(), c.out_body.size()};
      } else {
        iov[count++] = {c.out_body.data() + (c.out_off - head), total - c.out_off};
      }
      msghdr msg{};
      msg.msg_iov = iov;
      msg.msg_iovlen = static_cast<std::size_t>(count);
      ssize_t n = ::sendmsg(c.fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        c.out_off += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
  }

  // The answer is out: next request, lingering close or close.
  void Finish(Conn& c) {
    ++c.served;
    c.out_head.clear();
    c.out_body = std::string();
    c.out_off = 0;
    // Closing with unread bytes in the socket would send a reset, which can destroy the answer
    // before the client has read it: the close always lingers (bounded) for what may still come.
    // Once Stop() has begun, no connection goes back to idle, whatever the answer's framing said.
    if (c.close_after || stop_begun_) return StartLinger(c);
    c.reader.Next();
    c.phase = Phase::kIdle;
    SetDeadline(c, Clock::now() + limits_.keep_alive_timeout);
    Read(c);
  }

  // Half-closes and drains what the client still sends (bounded), then closes.
  void StartLinger(Conn& c) {
    ::shutdown(c.fd, SHUT_WR);
    c.phase = Phase::kLingering;
    c.in.clear();
    c.lingered = 0;
    c.readable = true;
    // Stopping: a shorter wait, so that Stop() is not held by clients that keep the socket open.
    SetDeadline(c, Clock::now() + (stop_begun_ ? kLingerTime / 5 : kLingerTime));
    Linger(c);
  }

  void Linger(Conn& c) {
    for (;;) {
      ssize_t n = ::recv(c.fd, buffer_, sizeof(buffer_), 0);
      if (n > 0) {
        c.lingered += static_cast<std::size_t>(n);
        if (c.lingered > kLingerBytes) return Close(c);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      return Close(c);
    }
  }

  void Close(Conn& c) {
    if (c.closed) return;
    c.closed = true;
    // Out of the epoll set first: close() alone removes the registration only once no other
    // reference to the socket remains, and an event already queued for it would then name this
    // Conn after the graveyard freed it (found by http_connection_fuzz under ASan).
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
    --live_;
    graveyard_.push_back(std::move(conns_[c.fd]));
  }

  // Connections whose deadline has passed; recomputes the next deadline.
  void Scan(SteadyTime now) {
    SteadyTime next = kNever;
    for (auto& slot : conns_) {
      if (!slot || slot->closed) continue;
      Conn& c = *slot;
      if (c.deadline > now) {
        next = std::min(next, c.deadline);
        continue;
      }
      c.deadline = kNever;
      switch (c.phase) {
        case Phase::kReading:
          Fail(c, ReadError{
                      408, "request not received in time (" +
                               std::to_string(limits_.read_timeout.count()) + " ms of silence or " +
                               std::to_string(limits_.request_timeout.count()) + " ms in total)"});
          break;
        case Phase::kDelayed:
          c.send_at = SteadyTime{};
          if (c.drop) {
            Close(c);
          } else {
            Frame(c);
            Write(c);
          }
          break;
        case Phase::kProcessing:
          break;
        case Phase::kIdle:
        case Phase::kWriting:
        case Phase::kLingering:
          Close(c);
          break;
      }
      if (!c.closed && c.deadline != kNever) next = std::min(next, c.deadline);
    }
    next_deadline_ = next;
  }

  void RunReady() {
    std::vector<Conn*> ready;
    ready.swap(ready_);
    for (Conn* c : ready) {
      c->queued = false;
      if (!c->closed && (c->phase == Phase::kIdle || c->phase == Phase::kReading)) Read(*c);
    }
  }

  // Stop(): no new connections; idle ones and those still sending a request close; answers in
  // the works (and those waiting for their latency) go out with Connection: close.
  void BeginStop() {
    stop_begun_ = true;
    if (listen_fd_ >= 0) {
      ::close(listen_fd_);
      listen_fd_ = -1;
    }
    const SteadyTime now = Clock::now();
    for (auto& slot : conns_) {
      if (!slot || slot->closed) continue;
      Conn& c = *slot;
      switch (c.phase) {
        case Phase::kIdle:
        case Phase::kReading:
          Close(c);
          break;
        case Phase::kLingering:
          // Still lingering, shorter: closing now could reset an answer the client has not read.
          SetDeadline(c, std::min(c.deadline, now + kLingerTime / 5));
          break;
        case Phase::kDelayed:
          SetDeadline(c, now);
          break;
        case Phase::kWriting:
          // One write_timeout in all: a client that reads a byte now and then cannot hold Stop().
          SetDeadline(c, now + limits_.write_timeout);
          break;
        case Phase::kProcessing:
          break;
      }
    }
  }

  ConnectionHandler& handler_;
  ConnectionLimits limits_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  bool stop_begun_ = false;
  // Loop-owned: every connection by descriptor, those waiting for another turn, those closed in
  // this turn (freed at its end, after every event that may still point at them).
  std::vector<std::unique_ptr<Conn>> conns_;
  std::size_t live_ = 0;
  std::vector<Conn*> ready_;
  std::vector<std::unique_ptr<Conn>> graveyard_;
  SteadyTime next_deadline_ = kNever;
  SteadyTime accept_resume_ = kNever;
  char buffer_[kReadChunk];
  // Loop -> workers.
  std::mutex jobs_mutex_;
  std::condition_variable jobs_cv_;
  std::deque<Conn*> jobs_;
  bool quit_workers_ = false;
  std::vector<std::thread> workers_;
  // Workers -> loop.
  std::mutex returned_mutex_;
  std::vector<Conn*> returned_;
  bool wake_pending_ = false;
};

ConnectionLoop::ConnectionLoop(ConnectionHandler& handler, ConnectionLimits limits)
    : impl_(std::make_unique<Impl>(handler, limits)) {}
ConnectionLoop::~ConnectionLoop() = default;
std::optional<std::string> ConnectionLoop::Listen(const std::string& host, int port) {
  return impl_->Listen(host, port);
}
int ConnectionLoop::port() const {
  return impl_->port();
}
void ConnectionLoop::Run() {
  impl_->Run();
}
void ConnectionLoop::Stop() {
  impl_->Stop();
}
bool ConnectionLoop::stopping() const {
  return impl_->stopping();
}

}  // namespace restbox::mock
