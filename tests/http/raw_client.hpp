#pragma once
// Raw sockets for the HTTP front's tests: a client that sends exactly the bytes it is given, and
// a receiver that accepts connections and answers with exactly the bytes (and pacing) it is
// given. Loopback only; every read and wait is bounded, so a hung peer fails a test instead of
// hanging it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "restbox/core/http.hpp"

namespace restbox::mock::testing {

struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;

  // Value of a header (case-insensitive name), or "".
  std::string Header(const std::string& name) const {
    std::size_t pos = 0;
    while ((pos = head.find("\r\n", pos)) != std::string::npos) {
      pos += 2;
      std::size_t colon = head.find(':', pos);
      std::size_t end = head.find("\r\n", pos);
      if (colon == std::string::npos || colon > end) continue;
      if (core::EqualsIgnoreCase(head.substr(pos, colon - pos), name)) {
        std::size_t v = colon + 1;
        while (v < end && head[v] == ' ') ++v;
        return head.substr(v, end - v);
      }
    }
    return {};
  }
};

class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    timeval tv{10, 0};  // a bound on every read: a hung server fails the test instead of hanging it
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // One response (Content-Length framed); nullopt when the connection ends first.
  std::optional<RawResponse> Read() {
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    RawResponse r;
    r.head = buffer_.substr(0, end + 2);
    buffer_.erase(0, end + 4);
    r.status = std::atoi(r.head.substr(9, 3).c_str());
    std::size_t length = static_cast<std::size_t>(std::atoll(r.Header("Content-Length").c_str()));
    while (buffer_.size() < length) {
      if (!Fill()) return std::nullopt;
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }

  // True when the server closed the connection (orderly) with nothing more to read.
  bool ClosedByServer() {
    if (!buffer_.empty()) return false;
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

  // Everything until the server closes (empty: closed without a byte).
  std::string ReadAll() {
    while (Fill()) {
    }
    return std::exchange(buffer_, {});
  }

 private:
  bool Fill() {
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

// The number of HTTP responses in a byte stream a server sent, read one after the other by
// their Content-Length (-1 when the stream does not parse as responses).
inline int CountResponses(const std::string& stream) {
  int n = 0;
  std::size_t pos = 0;
  while (pos < stream.size()) {
    if (stream.compare(pos, 9, "HTTP/1.1 ") != 0) return -1;
    std::size_t end = stream.find("\r\n\r\n", pos);
    if (end == std::string::npos) return -1;
    RawResponse r;
    r.head = stream.substr(pos, end + 2 - pos);
    pos = end + 4 + static_cast<std::size_t>(std::atoll(r.Header("Content-Length").c_str()));
    ++n;
  }
  return n;
}

// A receiver on 127.0.0.1 that answers every connection with `answer(request_head)` after
// reading the request head (and body, by Content-Length), written in one piece or, with
// `drip`, one byte per `drip` interval. An empty answer holds the connection open, silent.
class RawReceiver {
 public:
  using Answer = std::function<std::string(const std::string& request)>;

  explicit RawReceiver(Answer answer, std::chrono::milliseconds drip = std::chrono::milliseconds(0))
      : answer_(std::move(answer)), drip_(drip) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(fd_, 16) != 0)
      throw std::runtime_error(std::string("RawReceiver: cannot listen: ") + std::strerror(errno));
    socklen_t len = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Run(); });
  }
  ~RawReceiver() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  RawReceiver(const RawReceiver&) = delete;
  RawReceiver& operator=(const RawReceiver&) = delete;

  int port() const { return port_; }
  int connections() const { return connections_; }
  // The last request head and body received.
  std::string last_request() const {
    std::lock_guard lock(mutex_);
    return last_request_;
  }

 private:
  bool Wait(int fd, short events, int ms) const {
    pollfd p{fd, events, 0};
    return ::poll(&p, 1, ms) > 0;
  }

  void Run() {
    while (!stop_) {
      if (!Wait(fd_, POLLIN, 50)) continue;
      int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) continue;
      ++connections_;
      Serve(conn);
      ::close(conn);
    }
  }

  void Serve(int conn) {
    std::string in;
    char buf[4096];
    std::size_t head_end = std::string::npos;
    std::size_t need = 0;
    while (!stop_) {
      if (head_end != std::string::npos && in.size() >= need) break;
      if (!Wait(conn, POLLIN, 50)) continue;
      ssize_t n = ::recv(conn, buf, sizeof(buf), 0);
      if (n <= 0) return;
      in.append(buf, static_cast<std::size_t>(n));
      if (head_end == std::string::npos && (head_end = in.find("\r\n\r\n")) != std::string::npos) {
        need = head_end + 4;
        RawResponse parsed;
        parsed.head = in.substr(0, head_end + 2);
        need += static_cast<std::size_t>(std::atoll(parsed.Header("Content-Length").c_str()));
      }
    }
    {
      std::lock_guard lock(mutex_);
      last_request_ = in;
    }
    const std::string out = answer_(in);
    if (out.empty()) {  // hold the connection, silent, until stopped or closed by the client
      while (!stop_) {
        if (Wait(conn, POLLIN, 50) && ::recv(conn, buf, sizeof(buf), 0) <= 0) return;
      }
      return;
    }
    if (drip_.count() == 0) {
      std::size_t off = 0;
      while (off < out.size() && !stop_) {
        ssize_t n = ::send(conn, out.data() + off, out.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return;
        off += static_cast<std::size_t>(n);
      }
      return;
    }
    for (char c : out) {
      if (stop_ || ::send(conn, &c, 1, MSG_NOSIGNAL) != 1) return;
      for (auto until = std::chrono::steady_clock::now() + drip_;
           std::chrono::steady_clock::now() < until && !stop_;)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  Answer answer_;
  std::chrono::milliseconds drip_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::string last_request_;
  std::thread thread_;
};

}  // namespace restbox::mock::testing
