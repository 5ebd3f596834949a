#include <fcntl.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "restbox/core/http.hpp"
#include "restbox/mock/http_front.hpp"
#include "restbox/mock/trust.hpp"

namespace restbox::mock {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Job {
  WebhookRequest request;
  std::function<void(int)> done;
};

// What one delivery may still spend: time until its deadline, and bytes of the receiver's answer.
struct Budget {
  SteadyClock::time_point deadline;
  std::size_t max_read = 0;
  std::size_t read = 0;

  int RemainingMs() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now())
                    .count();
    return static_cast<int>(std::clamp<long long>(left, 0, 1 << 30));
  }
};

// The socket of one delivery as cpp-httplib's Stream, plain or TLS: every wait ends at the
// delivery's deadline (cpp-httplib's own timeouts are per read, so a receiver dripping a byte at a
// time could hold a worker, and shutdown, indefinitely), and at most Budget::max_read bytes of
// the answer are read (status line and headers: the body is never read).
class BoundedStream final : public httplib::Stream {
 public:
  BoundedStream(int fd, SSL* ssl, Budget& budget) : fd_(fd), ssl_(ssl), budget_(budget) {
    // Non-blocking: a TLS record that arrives in pieces must not block SSL_read past the deadline.
    int flags = ::fcntl(fd_, F_GETFL, 0);
    if (flags >= 0) ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
  }

  bool is_readable() const override { return (ssl_ && SSL_pending(ssl_) > 0) || Wait(POLLIN); }
  bool is_writable() const override { return Wait(POLLOUT); }

  ssize_t read(char* ptr, std::size_t size) override {
    if (budget_.read >= budget_.max_read) return -1;  // the answer is larger than we read
    size = std::min(size, budget_.max_read - budget_.read);
    for (;;) {
      ssize_t n;
      if (ssl_) {
        int r = SSL_read(ssl_, ptr, static_cast<int>(std::min<std::size_t>(size, 1 << 20)));
        if (r > 0) {
          n = r;
        } else {
          int e = SSL_get_error(ssl_, r);
          if (e == SSL_ERROR_WANT_READ && Wait(POLLIN)) continue;
          if (e == SSL_ERROR_WANT_WRITE && Wait(POLLOUT)) continue;
          return e == SSL_ERROR_ZERO_RETURN ? 0 : -1;
        }
      } else {
        n = ::recv(fd_, ptr, size, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
          if (Wait(POLLIN)) continue;
          return -1;
        }
        if (n <= 0) return n;
      }
      budget_.read += static_cast<std::size_t>(n);
      return n;
    }
  }

  ssize_t write(const char* ptr, std::size_t size) override {
    for (;;) {
      if (ssl_) {
        int r = SSL_write(ssl_, ptr, static_cast<int>(std::min<std::size_t>(size, 1 << 20)));
        if (r > 0) return r;
        int e = SSL_get_error(ssl_, r);
        if (e == SSL_ERROR_WANT_WRITE && Wait(POLLOUT)) continue;
        if (e == SSL_ERROR_WANT_READ && Wait(POLLIN)) continue;
        return -1;
      }
      ssize_t n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (Wait(POLLOUT)) continue;
        return -1;
      }
      return n;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip.clear();
    port = 0;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip.clear();
    port = 0;
  }
  int socket() const override { return fd_; }

 private:
  // Waits for `events` until the deadline; false when it passes (or the socket fails).
  bool Wait(short events) const {
    for (;;) {
      pollfd p{fd_, events, 0};
      int r = ::poll(&p, 1, budget_.RemainingMs());
      if (r < 0 && errno == EINTR) continue;
      return r > 0;
    }
  }

  int fd_;
  SSL* ssl_;
  Budget& budget_;
};

// cpp-httplib's client (plain or TLS) talking through a BoundedStream. cpp-httplib opens the
// socket (to the address set with set_hostname_addr_map: no name resolution of its own) and does
// the TLS handshake (within the connection timeout); every byte after that goes through the
// stream. process_socket is a private virtual of cpp-httplib's clients: overriding it is allowed.
template <class Base>
class BoundedClient final : public Base {
 public:
  BoundedClient(const std::string& host, int port, Budget& budget)
      : Base(host, port), budget_(budget) {}

 private:
  bool process_socket(const typename Base::Socket& socket,
                      std::function<bool(httplib::Stream& strm)> callback) override {
    BoundedStream stream(socket.sock, socket.ssl, budget_);
    return callback(stream);
  }

  Budget& budget_;
};

// One POST to one checked address. `connected` tells whether a connection was made (if not,
// the next address may be tried).
template <class Client>
int Attempt(Client& client, const WebhookDestination& d, const std::string& address,
            const WebhookRequest& request, Budget& budget, bool& connected) {
  client.set_hostname_addr_map({{d.host, address}});
  const auto left = std::chrono::milliseconds(budget.RemainingMs());
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
  client.set_connection_timeout(
      seconds.count(),
      std::chrono::duration_cast<std::chrono::microseconds>(left - seconds).count());
  client.set_keep_alive(false);
  client.set_follow_location(false);
  client.set_decompress(false);
  httplib::Request req;
  req.method = "POST";
  req.path = d.target;
  std::string content_type = "application/json";
  for (const auto& [name, value] : request.headers) {
    if (core::EqualsIgnoreCase(name, "Content-Type")) {
      content_type = value;
    } else if (IsSafeWebhookHeaderName(name)) {
      req.headers.emplace(name, value);  // framing and routing headers are cpp-httplib's alone
    }
  }
  req.headers.emplace("Content-Type", content_type);
  req.body = request.body;
  int status = 0;
  // The status is all a delivery reports: the body of the answer is never read.
  req.response_handler = [&status](const httplib::Response& res) {
    status = res.status;
    return false;
  };
  auto result = client.send(req);
  connected = result.error() != httplib::Error::Connection;
  if (result && status == 0) status = result->status;  // 204: no body, so no response handler
  return status;
}

}  // namespace

class HttpWebhookSender::Impl {
 public:
  explicit Impl(HttpWebhookOptions options) : options_(std::move(options)) {
    for (std::size_t i = 0; i < std::max<std::size_t>(1, options_.workers); ++i) {
      workers_.emplace_back([this] { Work(); });
    }
  }

  ~Impl() { Shutdown(); }

  std::optional<std::string> Refusal(const std::string& url) const {
    auto checked = CheckWebhookUrl(url, Policy(options_.timeout));
    if (auto* why = std::get_if<std::string>(&checked)) return *why;
    return std::nullopt;
  }

  void Post(WebhookRequest request, std::function<void(int)> done) {
    {
      std::lock_guard lock(mutex_);
      if (!stopping_ && queue_.size() < options_.max_queue) {
        queue_.push_back({std::move(request), std::move(done)});
        ready_.notify_one();
        return;
      }
    }
    done(0);  // shut down or overloaded: a failed attempt, which the service retries later
  }

  void Shutdown() {
    std::lock_guard once(shutdown_mutex_);  // joins happen once, whoever calls
    std::deque<Job> cancelled;
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      cancelled.swap(queue_);
    }
    ready_.notify_all();
    for (auto& job : cancelled) job.done(0);
    for (auto& w : workers_) {
      if (w.joinable()) w.join();
    }
    workers_.clear();
  }

 private:
  WebhookPolicy Policy(core::Duration resolve_timeout) const {
    WebhookPolicy policy = options_.policy;
    policy.resolve_timeout = std::min(policy.resolve_timeout, resolve_timeout);
    return policy;
  }

  // One delivery, all of it (resolution, connection, TLS, request, answer) within the timeout.
  int Deliver(const WebhookRequest& request) const {
    Budget budget{SteadyClock::now() + options_.timeout, options_.max_response_bytes, 0};
    // Checked again at delivery time (the name may resolve differently than when the request
    // was accepted); the connection goes to an address this check accepted, never to a fresh
    // resolution of the name.
    auto checked = CheckWebhookUrl(request.url, Policy(options_.timeout));
    auto* destination = std::get_if<WebhookDestination>(&checked);
    if (!destination) return 0;
    for (const auto& address : destination->addresses) {
      if (budget.RemainingMs() <= 0) break;
      bool connected = false;
      int status = 0;
      if (destination->scheme == "https") {
        BoundedClient<httplib::SSLClient> client(destination->host, destination->port, budget);
        status = Attempt(client, *destination, address, request, budget, connected);
      } else {
        BoundedClient<httplib::ClientImpl> client(destination->host, destination->port, budget);
        status = Attempt(client, *destination, address, request, budget, connected);
      }
      if (connected) return status;
    }
    return 0;
  }

  void Work() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      int status = Deliver(job.request);
      job.done(status);
    }
  }

  HttpWebhookOptions options_;
  std::mutex shutdown_mutex_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

HttpWebhookSender::HttpWebhookSender(HttpWebhookOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpWebhookSender::~HttpWebhookSender() = default;
void HttpWebhookSender::Post(WebhookRequest request, std::function<void(int)> done) {
  impl_->Post(std::move(request), std::move(done));
}
std::optional<std::string> HttpWebhookSender::Refusal(const std::string& url) {
  return impl_->Refusal(url);
}
void HttpWebhookSender::Shutdown() {
  impl_->Shutdown();
}

}  // namespace restbox::mock
