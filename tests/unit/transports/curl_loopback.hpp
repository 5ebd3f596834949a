#pragma once
// What the libcurl tests share: a cpp-httplib server on a free loopback port, started inside the
// test, and the CurlOptions for talking to it.

#include <httplib.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "restbox/transports/curl_transport.hpp"
#include "transport_conformance.hpp"

namespace restbox::testing {

class LoopbackServer final {
 public:
  LoopbackServer() {
    server_.set_tcp_nodelay(true);
    server_.set_keep_alive_max_count(1000);
    // Bounds how long Stop() waits on a client's idle keep-alive connection.
    server_.set_keep_alive_timeout(1);
    server_.new_task_queue = [] { return new httplib::ThreadPool(24); };
  }
  ~LoopbackServer() { Stop(); }

  httplib::Server& http() { return server_; }
  int port() const { return port_; }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // Binds a free loopback port (listening from here on) and serves on a thread.
  void Start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // The socket already accepts connections, but stop() is a no-op until the accept loop runs
    // (it would then block forever): wait for it, bounded.
    auto deadline = std::chrono::steady_clock::now() + kWait;
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
    ASSERT_TRUE(server_.is_running());
  }
  void Stop() {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

inline transports::CurlOptions LoopbackOptions() {
  transports::CurlOptions o;
  o.no_proxy = "127.0.0.1";  // a proxy from the environment must not intercept loopback tests
  // cpp-httplib listens with a backlog of 5 and serves one connection per thread: a burst of
  // more connections would wait for SYN retransmits (1 s) or behind idle keep-alive ones.
  o.max_host_connections = 4;
  return o;
}

}  // namespace restbox::testing
