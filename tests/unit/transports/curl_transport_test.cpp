// CurlTransport against a cpp-httplib server started in-process on a free loopback port: what is
// particular to libcurl (limits, connection reuse, shutdown, lifetimes, URL and TLS failures,
// proxies). What every transport promises is the conformance suite's (conformance_curl_test.cpp).
// Waits are bounded (kWait) and event-driven: a stalled handler blocks on a latch the test
// releases, never on a sleep.

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "curl_loopback.hpp"
#include "restbox/core/client.hpp"
#include "restbox/core/future.hpp"
#include "restbox/core/pipeline.hpp"
#include "restbox/transports/curl_transport.hpp"
#include "transport_conformance.hpp"

namespace restbox::transports {
namespace {

using core::ErrorKind;
using core::HttpRequest;
using core::HttpResponse;
using core::Method;
using core::Result;
using std::chrono::milliseconds;

using restbox::testing::Counter;
using restbox::testing::Inbox;
using restbox::testing::kWait;
using restbox::testing::Latch;
using restbox::testing::LoopbackOptions;
using TestServer = restbox::testing::LoopbackServer;

// Members are destroyed bottom-up: the transport (and its keep-alive connections) goes before
// the server, so the server's threads are not left waiting on idle connections.
class CurlTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Routes();
    server_.Start();
    transport_ = std::make_unique<CurlTransport>(LoopbackOptions());
  }
  void TearDown() override {
    stall_.Open();
    transport_.reset();
    server_.Stop();
  }

  void Routes() {
    auto& s = server_.http();
    s.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Body-Size", std::to_string(req.body.size()));
      res.set_content(req.body, "application/octet-stream");
    });
    s.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("{\"hello\":\"world\"}", "application/json");
    });
    s.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(1 << 20, 'z'), "application/octet-stream");
    });
    // 1 MiB without Content-Length (chunked): its size is known only while it arrives.
    s.Get("/big-chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("application/octet-stream",
                                       [](std::size_t offset, httplib::DataSink& sink) {
                                         if (offset >= (std::size_t{1} << 20)) {
                                           sink.done();
                                           return true;
                                         }
                                         std::string chunk(64 * 1024, 'c');
                                         return sink.write(chunk.data(), chunk.size());
                                       });
    });
    s.Get("/port", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(ports_mutex_);
        client_ports_.insert(req.remote_port);
      }
      res.set_content("ok", "text/plain");
    });
    s.Get("/stall", [this](const httplib::Request&, httplib::Response& res) {
      stalled_.Add();
      stall_.Wait();
      res.set_content("late", "text/plain");
    });
  }

  Result<HttpResponse> Exchange(HttpRequest request, const core::Context& context = {}) {
    Inbox inbox;
    transport_->Send(std::move(request), context, inbox.Completion());
    return inbox.Wait();
  }
  HttpRequest Request(Method method, const std::string& path, std::string body = {}) {
    HttpRequest r;
    r.method = method;
    r.url = server_.Url(path);
    r.body = std::move(body);
    return r;
  }

  TestServer server_;
  std::unique_ptr<CurlTransport> transport_;
  Latch stall_;
  Counter stalled_;
  std::mutex ports_mutex_;
  std::set<int> client_ports_;
};

TEST_F(CurlTransportTest, LargeBodiesBothWays) {
  std::string upload(1 << 20, 'a');
  for (std::size_t i = 0; i < upload.size(); i += 997) upload[i] = static_cast<char>('a' + i % 26);
  auto up = Exchange(Request(Method::kPost, "/echo", upload));
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_EQ(up->headers.GetOr("X-Body-Size", ""), std::to_string(upload.size()));
  EXPECT_TRUE(up->body == upload);
  auto down = Exchange(Request(Method::kGet, "/big"));
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_EQ(down->body.size(), std::size_t{1} << 20);
  EXPECT_EQ(down->headers.GetOr("CONTENT-LENGTH", ""), "1048576");
  EXPECT_EQ(down->body.find_first_not_of('z'), std::string::npos);
}

TEST_F(CurlTransportTest, AResponseOverMaxResponseBytesIsAProtocolError) {
  EXPECT_EQ(CurlOptions{}.max_response_bytes, std::size_t{64} << 20);
  CurlOptions options = LoopbackOptions();
  options.max_response_bytes = 512 * 1024;
  CurlTransport capped(options);
  // Announced (Content-Length: refused before the body is read) and unannounced (chunked).
  for (const char* path : {"/big", "/big-chunked"}) {
    SCOPED_TRACE(path);
    Inbox inbox;
    capped.Send(Request(Method::kGet, path), {}, inbox.Completion());
    auto r = inbox.Wait();
    ASSERT_FALSE(r.ok()) << r->status;
    EXPECT_EQ(r.error().kind, ErrorKind::kProtocol);
    EXPECT_EQ(r.error().message,
              "response body larger than the 524288-byte limit (CurlOptions::max_response_bytes)");
  }
  // The transport stays usable, and a body of exactly the limit passes.
  options.max_response_bytes = std::size_t{1} << 20;
  CurlTransport exact(options);
  for (const char* path : {"/big", "/big-chunked", "/hello"}) {
    SCOPED_TRACE(path);
    Inbox inbox;
    exact.Send(Request(Method::kGet, path), {}, inbox.Completion());
    auto r = inbox.Wait();
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 200);
  }
}

TEST_F(CurlTransportTest, ConnectionsAreReused) {
  for (int i = 0; i < 10; ++i) {
    auto r = Exchange(Request(Method::kGet, "/port"));
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  std::lock_guard lock(ports_mutex_);
  EXPECT_EQ(client_ports_.size(), 1u);  // one client port = one TCP connection
  EXPECT_EQ(transport_->Stats().connections_opened, 1u);
  EXPECT_EQ(transport_->Stats().completed, 10u);
}

// The suite checks the outcome; this checks that libcurl's real timer, not the server, ended it.
TEST_F(CurlTransportTest, StalledServerTimesOutAfterTheTimeout) {
  core::Context context;
  context.timeout = milliseconds(200);
  auto started = std::chrono::steady_clock::now();
  auto r = Exchange(Request(Method::kGet, "/stall"), context);
  auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTimeout) << r.error().message;
  EXPECT_GE(elapsed, milliseconds(190));  // curl's millisecond timers may fire a little early
  EXPECT_LT(elapsed, std::chrono::seconds(10));  // the timeout, not the server, ended the call
}

// The suite checks the outcome and that nothing is sent; curl also promises it inline.
TEST_F(CurlTransportTest, CancelledContextCompletesInline) {
  core::Context context;
  context.cancellation = std::make_shared<core::CancellationSource>();
  context.cancellation->Cancel();
  Inbox inbox;
  transport_->Send(Request(Method::kGet, "/port"), context, inbox.Completion());
  ASSERT_EQ(inbox.count(), 1u);
  EXPECT_EQ(inbox.Wait().error().kind, ErrorKind::kCancelled);
}

TEST_F(CurlTransportTest, HundredConcurrentRequestsCompleteExactlyOnce) {
  constexpr int kRequests = 100;
  std::vector<std::atomic<int>> calls(kRequests);
  Counter done;
  std::atomic<int> ok{0};
  for (int i = 0; i < kRequests; ++i) {
    auto request = Request(Method::kPost, "/echo", "n=" + std::to_string(i));
    transport_->Send(request, {}, [&, i](Result<HttpResponse> r) {
      if (r.ok() && r->body == "n=" + std::to_string(i)) ++ok;
      ++calls[static_cast<std::size_t>(i)];
      done.Add();
    });
  }
  bool all_done = done.WaitFor(kRequests);
  transport_.reset();  // nothing may complete again on shutdown (and nothing outlives `calls`)
  ASSERT_TRUE(all_done);
  EXPECT_EQ(ok.load(), kRequests);
  for (int i = 0; i < kRequests; ++i) EXPECT_EQ(calls[static_cast<std::size_t>(i)].load(), 1) << i;
}

TEST_F(CurlTransportTest, DestructorCancelsPendingRequests) {
  std::vector<Inbox> inboxes(3);
  for (auto& inbox : inboxes)
    transport_->Send(Request(Method::kGet, "/stall"), {}, inbox.Completion());
  ASSERT_TRUE(stalled_.WaitFor(3));
  transport_.reset();
  for (auto& inbox : inboxes) {
    ASSERT_EQ(inbox.count(), 1u);
    auto r = inbox.Wait();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kCancelled);
  }
}

// The lifetime rule of core/client.hpp over a real transport: the client and the application's
// reference to the transport may go while a call is on the wire; the call keeps the transport,
// completes with the answer, and releases the transport afterwards (on the worker thread).
TEST_F(CurlTransportTest, ACallOutlivesItsClientAndTheApplicationsTransport) {
  static const core::ServiceSpec spec = [] {
    core::ServiceSpec s;
    s.id = "stalling";
    core::EndpointSpec stall;
    stall.id = "stall";
    stall.path = "/stall";
    stall.success = {200};
    s.endpoints = {stall};
    // The answer's body as a JSON string, whatever it is.
    s.interpret = [](const core::EndpointSpec&, const HttpResponse& r) -> Result<core::Json> {
      return core::Json(r.body);
    };
    return s;
  }();
  std::shared_ptr<CurlTransport> shared(transport_.release());
  std::weak_ptr<CurlTransport> weak = shared;
  core::ClientOptions o;
  o.transport = shared;
  o.base_url = server_.Url("");
  o.retry.max_attempts = 1;
  auto client = std::make_unique<core::ServiceClient>(spec, std::move(o));
  core::CallSpec call;
  call.endpoint = &client->Endpoint("stall");
  auto decode = [](const core::Json& body) -> Result<std::string> {
    return body.get<std::string>();
  };
  auto body = client->Call<std::string>(std::move(call), decode).Then([](Result<std::string> r) {
    return "got " + r.value();
  });
  ASSERT_TRUE(stalled_.WaitFor(1));  // on the wire
  client.reset();
  shared.reset();
  EXPECT_FALSE(weak.expired());  // the call keeps it
  stall_.Open();
  ASSERT_TRUE(body.WaitFor(kWait));
  auto r = body.Get();
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(*r, "got late");
  auto deadline = std::chrono::steady_clock::now() + kWait;
  while (!weak.expired() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  EXPECT_TRUE(weak.expired());  // released with the last call
}

TEST_F(CurlTransportTest, DestroyedFromItsOwnCompletion) {
  Inbox inbox;
  std::shared_ptr<CurlTransport> shared(transport_.release());
  std::weak_ptr<CurlTransport> weak = shared;
  auto holder = std::make_shared<std::shared_ptr<CurlTransport>>(shared);
  shared.reset();
  auto completion = inbox.Completion();
  (*holder)->Send(Request(Method::kGet, "/hello"), {},
                  [holder, completion](Result<HttpResponse> r) {
                    holder->reset();  // the last reference goes away on the worker thread
                    completion(std::move(r));
                  });
  auto r = inbox.Wait();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(weak.expired());
}

TEST_F(CurlTransportTest, HeaderFieldsWithLineBreaksAreRefused) {
  auto request = Request(Method::kGet, "/port");
  request.headers.Set("X-Evil", "a\r\nX-Injected: 1");
  auto r = Exchange(request);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument);
  std::lock_guard lock(ports_mutex_);
  EXPECT_TRUE(client_ports_.empty());
}

TEST_F(CurlTransportTest, OnlyHttpAndHttpsUrlsAreFetched) {
  for (std::string url : {"file:///etc/hostname", "ftp://127.0.0.1/x", "not a url"}) {
    HttpRequest request;
    request.url = url;
    auto r = Exchange(request);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument) << url << ": " << r.error().message;
  }
}

TEST_F(CurlTransportTest, TlsFailureIsAProtocolError) {
  // A TLS handshake against a plain-HTTP server fails on the first bytes it gets back.
  HttpRequest request;
  request.url = "https://127.0.0.1:" + std::to_string(server_.port()) + "/hello";
  auto r = Exchange(request);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kProtocol) << r.error().message;
  EXPECT_FALSE(r.error().message.empty());
}

// A loopback socket bound to a port but not listening: connecting to it is refused.
class ClosedPort final {
 public:
  ClosedPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error(std::string("ClosedPort: cannot bind: ") + std::strerror(errno));
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~ClosedPort() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(CurlTransport, ConnectionRefusedIsAConnectionError) {
  ClosedPort closed;
  ASSERT_GT(closed.port(), 0);
  CurlTransport transport(LoopbackOptions());
  Inbox inbox;
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(closed.port()) + "/x";
  transport.Send(request, {}, inbox.Completion());
  auto r = inbox.Wait();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kConnection);
  EXPECT_NE(r.error().message.find("onnect"), std::string::npos) << r.error().message;
}

TEST(CurlTransport, ServerClosingWithoutAnswerIsAConnectionError) {
  // Accepts one connection, reads the request, closes without a byte of answer.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::thread closer([fd] {
    int client = ::accept(fd, nullptr, nullptr);
    char buffer[4096];
    (void)::recv(client, buffer, sizeof buffer, 0);
    ::close(client);
  });
  CurlTransport transport(LoopbackOptions());
  Inbox inbox;
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/x";
  transport.Send(request, {}, inbox.Completion());
  auto r = inbox.Wait();
  closer.join();
  ::close(fd);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kConnection) << r.error().message;
}

// Sets an environment variable for the scope of a test, restoring the previous value.
class ScopedEnv final {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(CurlTransport, HonoursTheHttpProxyEnvironmentVariable) {
  // The "proxy" is a local server: a proxied request arrives in absolute form.
  TestServer proxy;
  std::mutex mutex;
  std::string seen_target;
  proxy.http().set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    seen_target = req.target;
    res.set_content("via proxy", "text/plain");
    return httplib::Server::HandlerResponse::Handled;
  });
  proxy.Start();
  ScopedEnv http_proxy("http_proxy", ("http://127.0.0.1:" + std::to_string(proxy.port())).c_str());
  ScopedEnv no_proxy("no_proxy", nullptr);
  ScopedEnv no_proxy_upper("NO_PROXY", nullptr);
  {
    CurlTransport transport;  // default options: proxies come from the environment
    Inbox inbox;
    HttpRequest request;
    request.url = "http://upstream.invalid/through?proxy=1";
    transport.Send(request, {}, inbox.Completion());
    auto r = inbox.Wait();
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->body, "via proxy");
  }
  std::lock_guard lock(mutex);
  EXPECT_EQ(seen_target, "http://upstream.invalid/through?proxy=1");
}

TEST(CurlTransport, IsTheDefaultTransportOfPipelinesWithoutOne) {
  auto installed = core::InstalledDefaultTransport();
  ASSERT_NE(installed, nullptr);
  EXPECT_EQ(installed, DefaultTransport());
  EXPECT_NE(dynamic_cast<CurlTransport*>(installed.get()), nullptr);

  TestServer server;
  server.http().Get("/hello", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.get_header_value("User-Agent"), "text/plain");
  });
  server.Start();
  ScopedEnv no_proxy("no_proxy", "127.0.0.1");
  core::PipelineOptions options;  // no transport set
  core::Pipeline pipeline(options);
  auto call = std::make_shared<core::CallState>();
  HttpRequest request;
  request.url = server.Url("/hello");
  // The shared transport outlives this server: leave no idle connection for Stop() to wait on.
  request.headers.Set("Connection", "close");
  core::Promise<HttpResponse> promise;
  auto future = promise.GetFuture();
  pipeline.Send(request, call, [promise](Result<HttpResponse> r) { promise.Set(std::move(r)); });
  auto r = future.Get();  // the SDK's blocking wait works on the curl worker's completion
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "restbox-cpp/0.1");
}

}  // namespace
}  // namespace restbox::transports
