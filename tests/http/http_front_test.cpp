// The HTTP front of restbox-mock (mock-server/http): a front on a free loopback port per test,
// driven with cpp-httplib's client and with raw sockets for what no well-behaved client sends
// (malformed requests, huge headers, oversized or unannounced bodies, clients that stall).
// Nothing here sleeps for correctness: reads block on the socket with a bound.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "raw_client.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/mock/http_front.hpp"

namespace restbox::mock {
namespace {

using core::Json;
using std::chrono::milliseconds;
using std::chrono::steady_clock;
using ::testing::HasSubstr;
using ::testing::Not;

using testing::RawClient;
using testing::RawResponse;

class HttpFrontTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpFrontOptions options;
    options.max_body_bytes = 256 * 1024;  // small enough to test, larger than chikage's 100 KB
    options.read_timeout = milliseconds(500);
    options.request_timeout = milliseconds(5000);
    options.keep_alive_timeout = milliseconds(3000);
    options.threads = 16;
    options.log = [this](const std::string& line) {
      std::lock_guard lock(mutex_);
      log_.push_back(line);
    };
    options.on_write = [this] { ++writes_; };
    Start(options);
  }

  void Start(HttpFrontOptions options) {
    webhooks_ =
        std::make_shared<HttpWebhookSender>(HttpWebhookOptions{.timeout = milliseconds(3000)});
    MockOptions mock_options;
    mock_options.webhooks = webhooks_;
    server_ = MakeMockServer(mock_options);
    if (!server_->FindService("chikage")) GTEST_SKIP() << "chikage is not part of this build";
    fix_ = server_->Fixtures()["chikage"];
    options.host = "127.0.0.1";
    options.port = 0;
    front_ = std::make_unique<HttpFront>(server_, options);
    auto error = front_->Start();
    ASSERT_FALSE(error) << *error;
    port_ = front_->port();
    ASSERT_GT(port_, 0);
  }

  void TearDown() override {
    if (front_) front_->Stop();
    front_.reset();
    if (webhooks_) webhooks_->Shutdown();  // before the server goes (its callbacks reach into it)
  }

  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5, 0);
    c.set_read_timeout(10, 0);
    c.set_keep_alive(true);
    return c;
  }

  std::string Key() const { return fix_["test_key"].get<std::string>(); }
  std::string RecordPath() const {
    return "/api/v1/data/" + fix_["slug"].get<std::string>() + "/" +
           fix_["test_record_id"].get<std::string>();
  }
  std::string RawGet(const std::string& path, const std::string& extra_headers = {}) const {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + Key() +
           "\r\n" + extra_headers + "\r\n";
  }

  static Json Body(const std::string& text) {
    auto parsed = core::ParseJson(text);
    EXPECT_TRUE(parsed.ok()) << text;
    return parsed.ok() ? parsed.value() : Json();
  }
  // The front's own error shape, and it closes the connection after it.
  static void ExpectFrontError(const std::optional<RawResponse>& r, int status) {
    ASSERT_TRUE(r) << "no answer";
    EXPECT_EQ(r->status, status) << r->head << r->body;
    EXPECT_TRUE(Body(r->body).contains("restbox_error")) << r->body;
    EXPECT_EQ(r->Header("Connection"), "close");
  }

  std::vector<std::string> Log() {
    std::lock_guard lock(mutex_);
    return log_;
  }

  std::shared_ptr<HttpWebhookSender> webhooks_;
  std::shared_ptr<MockServer> server_;
  std::unique_ptr<HttpFront> front_;
  int port_ = 0;
  Json fix_;
  std::mutex mutex_;
  std::vector<std::string> log_;
  std::atomic<int> writes_{0};
};

TEST(LocalOrigin, OnlyLoopbackOriginsQualify) {
  // http and https, any port, the whole of 127.0.0.0/8 and names under .localhost (issue 11).
  for (const char* ok :
       {"http://localhost", "http://localhost:5173", "http://127.0.0.1:8080", "http://[::1]:3000",
        "http://[::1]", "https://localhost:5173", "http://127.0.0.2:80", "http://LOCALHOST:1",
        "http://app.localhost:3000"}) {
    EXPECT_TRUE(IsLocalOrigin(ok)) << ok;
  }
  for (const char* bad : {"http://localhost.evil.example", "http://127.0.0.1.evil:80",
                          "http://localhost:", "http://localhost:80a", "http://localhost:1234567",
                          "null", "", "http://example.com", "ftp://localhost", "http://localhost/",
                          "http://127.1", "http://evil.example#localhost", "http://0.0.0.0:8080"}) {
    EXPECT_FALSE(IsLocalOrigin(bad)) << bad;
  }
}

TEST_F(HttpFrontTest, ServesTheApisAndTheAdminApiOnOnePort) {
  auto client = Client();
  auto record = client.Get(RecordPath().c_str(), {{"Authorization", "Bearer " + Key()}});
  ASSERT_TRUE(record);
  EXPECT_EQ(record->status, 200);
  EXPECT_EQ(Body(record->body)["id"], fix_["test_record_id"]);
  EXPECT_FALSE(record->get_header_value("X-Request-Id").empty());
  EXPECT_THAT(record->get_header_value("Content-Type"), HasSubstr("application/json"));

  auto health = client.Get("/__restbox/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(Body(health->body)["services"], Json(server_->ServiceIds()));
}

TEST_F(HttpFrontTest, KeepAliveServesManyRequestsOnOneConnection) {
  RawClient raw(port_);
  ASSERT_TRUE(raw.connected());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(raw.Send(RawGet(RecordPath(), "X-Request-Id: keep-" + std::to_string(i) + "\r\n")));
    auto r = raw.Read();
    ASSERT_TRUE(r) << "request " << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->Header("X-Request-Id"), "keep-" + std::to_string(i));
    EXPECT_NE(r->Header("Connection"), "close");
  }
  // Pipelined: both answers come back, in order.
  ASSERT_TRUE(raw.Send(RawGet(RecordPath(), "X-Request-Id: p1\r\n") + RawGet("/__restbox/health")));
  auto first = raw.Read();
  auto second = raw.Read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->Header("X-Request-Id"), "p1");
  EXPECT_TRUE(Body(second->body).contains("services"));
}

TEST_F(HttpFrontTest, ABodyMethodWithoutLengthHasAnEmptyBodyAndIsAnsweredAtOnce) {
  RawClient raw(port_);
  ASSERT_TRUE(raw.Send("DELETE " + RecordPath() +
                       " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + Key() +
                       "\r\n\r\n"));
  auto r = raw.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202) << r->body;
  // The connection is still usable: nothing was taken for a body.
  ASSERT_TRUE(raw.Send(RawGet("/__restbox/health")));
  auto next = raw.Read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST_F(HttpFrontTest, ADropFaultClosesTheConnectionWithoutAnAnswer) {
  auto client = Client();
  auto added =
      client.Post("/__restbox/faults", R"({"action":"drop","path_prefix":"/api/","times":1})",
                  "application/json");
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 201) << added->body;

  RawClient raw(port_);
  ASSERT_TRUE(raw.Send(RawGet(RecordPath())));
  EXPECT_EQ(raw.ReadAll(), "");  // curl: "Empty reply from server"
  EXPECT_EQ(server_->Journal(1).at(0).fault, "drop");

  RawClient again(port_);  // the rule applied once
  ASSERT_TRUE(again.Send(RawGet(RecordPath())));
  auto r = again.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  auto log = Log();
  EXPECT_TRUE(std::any_of(log.begin(), log.end(), [](const std::string& l) {
    return l.find(" dropped ") != std::string::npos;
  }));
}

TEST_F(HttpFrontTest, ALatencyFaultDelaysTheAnswerWithoutHoldingAWorker) {
  server_->AddFault(FaultRule{.match = {.path_prefix = "/api/"},
                              .action = FaultAction::kLatency,
                              .latency = milliseconds(1000),
                              .times = -1});
  // 40 delayed answers at once, 16 workers: a worker sleeping through each delay would need
  // three rounds (3 s); the loop's timer sends them all after one.
  constexpr int kRequests = 40;
  std::vector<std::unique_ptr<RawClient>> clients;
  auto start = steady_clock::now();
  for (int i = 0; i < kRequests; ++i) {
    clients.push_back(std::make_unique<RawClient>(port_));
    ASSERT_TRUE(clients.back()->Send(RawGet(RecordPath())));
  }
  for (auto& c : clients) {
    auto r = c->Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  auto elapsed = steady_clock::now() - start;
  EXPECT_GE(elapsed, milliseconds(1000));
  EXPECT_LT(elapsed, milliseconds(2500));
}

TEST_F(HttpFrontTest, LocalPagesGetCorsHeaders) {
  auto client = Client();
  auto r = client.Get(RecordPath().c_str(),
                      {{"Authorization", "Bearer " + Key()}, {"Origin", "http://localhost:5173"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "http://localhost:5173");
  EXPECT_EQ(r->get_header_value("Vary"), "Origin");
  std::string exposed = r->get_header_value("Access-Control-Expose-Headers");
  for (const char* h : {"Retry-After", "X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                        "X-Restbox-Error"})
    EXPECT_THAT(exposed, HasSubstr(h));

  auto other = client.Get(RecordPath().c_str(), {{"Authorization", "Bearer " + Key()},
                                                 {"Origin", "https://evil.example"}});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
  EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));
  EXPECT_FALSE(other->has_header("Access-Control-Expose-Headers"));
}

TEST_F(HttpFrontTest, PreflightsFromLocalPagesAreAnswered) {
  auto client = Client();
  auto r = client.Options(
      RecordPath().c_str(),
      {{"Origin", "http://[::1]:8000"},
       {"Access-Control-Request-Method", "PUT"},
       {"Access-Control-Request-Headers", "authorization,content-type,x-webhook-callback"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "http://[::1]:8000");
  EXPECT_THAT(r->get_header_value("Access-Control-Allow-Methods"), HasSubstr("PUT"));
  EXPECT_EQ(r->get_header_value("Access-Control-Allow-Headers"),
            "authorization,content-type,x-webhook-callback");
  EXPECT_EQ(r->get_header_value("Access-Control-Max-Age"), "600");
  EXPECT_TRUE(server_->Journal().empty());  // a preflight is not an API call

  auto evil = client.Options(RecordPath().c_str(), {{"Origin", "http://evil.example"},
                                                    {"Access-Control-Request-Method", "PUT"}});
  ASSERT_TRUE(evil);
  EXPECT_EQ(evil->status, 403);
  EXPECT_FALSE(evil->has_header("Access-Control-Allow-Origin"));
  EXPECT_FALSE(evil->has_header("Access-Control-Allow-Methods"));
}

TEST_F(HttpFrontTest, MalformedRequestsGet400AndTheConnectionCloses) {
  for (const char* request : {"BLAH\r\n\r\n", "GET /x HTTP/9.9\r\n\r\n",
                              "GET  HTTP/1.1 extra\r\n\r\n", "\x01\x02\x03 / HTTP/1.1\r\n\r\n"}) {
    SCOPED_TRACE(request);
    RawClient raw(port_);
    ASSERT_TRUE(raw.Send(request));
    ExpectFrontError(raw.Read(), 400);
    EXPECT_TRUE(raw.ClosedByServer());
  }
}

TEST_F(HttpFrontTest, AnUnsupportedMethodGets501) {
  RawClient raw(port_);
  ASSERT_TRUE(raw.Send("TRACE /__restbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  auto r = raw.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 501);
}

TEST_F(HttpFrontTest, HugeHeadersGet431) {
  {
    RawClient raw(port_);  // one line over 8 KiB
    ASSERT_TRUE(
        raw.Send(RawGet("/__restbox/health", "X-Big: " + std::string(10000, 'a') + "\r\n")));
    ExpectFrontError(raw.Read(), 431);
  }
  {
    RawClient raw(port_);  // many lines, over 64 KiB together
    std::string headers;
    for (int i = 0; i < 40; ++i)
      headers += "X-H" + std::to_string(i) + ": " + std::string(2000, 'b') + "\r\n";
    ASSERT_TRUE(raw.Send(RawGet("/__restbox/health", headers)));
    ExpectFrontError(raw.Read(), 431);
  }
  RawClient raw(port_);  // a long request line
  ASSERT_TRUE(raw.Send("GET /" + std::string(9000, 'x') + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  ExpectFrontError(raw.Read(), 414);
}

TEST_F(HttpFrontTest, BodiesOverTheFrontLimitGet413WithoutBeingRead) {
  RawClient raw(port_);
  // Announced, never sent: the answer must not wait for it (and no "100 Continue" is promised).
  ASSERT_TRUE(raw.Send(
      "POST /api/v1/data/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: 9000000\r\n\r\n"));
  auto r = raw.Read();
  ExpectFrontError(r, 413);
  EXPECT_THAT(r->body, HasSubstr("9000000"));
  EXPECT_TRUE(server_->Journal().empty());  // the mock never saw it
}

TEST_F(HttpFrontTest, ChunkedBodiesOverTheFrontLimitGet413) {
  RawClient raw(port_);
  ASSERT_TRUE(raw.Send(
      "POST /api/v1/data/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n"));
  std::string chunk = "8000\r\n" + std::string(0x8000, 'x') + "\r\n";
  for (int i = 0; i < 12; ++i) {  // 384 KiB > 256 KiB + framing slack
    if (!raw.Send(chunk)) break;  // the server may already have answered and stopped reading
  }
  raw.Send("0\r\n\r\n");
  ExpectFrontError(raw.Read(), 413);
}

TEST_F(HttpFrontTest, ServicesAnswerTheirOwnSmallerLimits) {
  auto client = Client();
  std::string big = R"({"order_id":"A","pad":")" + std::string(150 * 1024, 'x') + "\"}";
  auto r = client.Post("/api/v1/data/orders", {{"Authorization", "Bearer " + Key()}}, big,
                       "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  Json body = Body(r->body);
  EXPECT_EQ(body["success"], false);  // chikage's documented error, not the front's
  EXPECT_FALSE(body.contains("restbox_error"));
}

TEST_F(HttpFrontTest, FormAndMultipartBodiesReachTheMockAsSent) {
  auto client = Client();
  std::string form = "a=" + std::string(10000, 'x');  // over cpp-httplib's own 8 KiB form limit
  auto r = client.Post("/api/v1/data/orders", {{"Authorization", "Bearer " + Key()}}, form,
                       "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 415) << r->body;  // chikage: not JSON
  auto entry = server_->Journal(1).at(0);
  EXPECT_EQ(entry.request_body.size(), form.size());
  EXPECT_EQ(entry.request_headers.GetOr("Content-Type", ""), "application/x-www-form-urlencoded");

  auto multi =
      client.Post("/api/v1/data/orders", {{"Authorization", "Bearer " + Key()}},
                  "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n",
                  "multipart/form-data; boundary=b");
  ASSERT_TRUE(multi);
  EXPECT_EQ(multi->status, 415);
  EXPECT_THAT(server_->Journal(1).at(0).request_body, HasSubstr("form-data"));
}

TEST_F(HttpFrontTest, BadFramingGets400) {
  for (std::string headers :
       {"Content-Length: abc\r\n", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        "Content-Length: 5\r\nContent-Length: 6\r\n"}) {
    SCOPED_TRACE(headers);
    RawClient raw(port_);
    ASSERT_TRUE(raw.Send("POST /api/v1/data/orders HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                         "\r\nhello"));
    ExpectFrontError(raw.Read(), 400);
  }
  {
    // chunked not last: the body length is unknown (RFC 9112 6.3), so 400 and close.
    RawClient raw(port_);
    ASSERT_TRUE(raw.Send(
        "POST /api/v1/data/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n"));
    ExpectFrontError(raw.Read(), 400);
  }
  RawClient raw(port_);  // a coding before chunked: known framing, unsupported coding
  ASSERT_TRUE(
      raw.Send("POST /api/v1/data/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip, "
               "chunked\r\n\r\n"));
  ExpectFrontError(raw.Read(), 501);
}

TEST_F(HttpFrontTest, AGetWithABodyKeepsTheConnectionInStep) {
  RawClient raw(port_);
  ASSERT_TRUE(raw.Send(
      "GET /__restbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello" +
      RawGet("/__restbox/health")));
  auto first = raw.Read();
  auto second = raw.Read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(second->status, 200);
}

TEST_F(HttpFrontTest, ASilentClientGets408AndBlocksNobody) {
  RawClient slow(port_);
  ASSERT_TRUE(
      slow.Send("GET /__restbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"));  // never finishes
  // Meanwhile others are served.
  auto client = Client();
  for (int i = 0; i < 3; ++i) {
    auto r = client.Get("/__restbox/health");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  ExpectFrontError(slow.Read(), 408);
  EXPECT_TRUE(slow.ClosedByServer());

  RawClient partial_line(port_);  // even the request line unfinished
  ASSERT_TRUE(partial_line.Send("GET /__restbox/hea"));
  ExpectFrontError(partial_line.Read(), 408);
}

TEST_F(HttpFrontTest, AStalledBodyGets408) {
  RawClient raw(port_);
  ASSERT_TRUE(raw.Send(
      "POST /api/v1/data/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 100\r\n\r\n{\"order_id\":"));
  ExpectFrontError(raw.Read(), 408);
}

TEST_F(HttpFrontTest, EveryRequestIsLoggedWithSecretsMasked) {
  auto client = Client();
  auto r = client.Get((RecordPath() + "?api_token=supersecretvalue123456").c_str(),
                      {{"Authorization", "Bearer " + Key()}, {"X-Request-Id", "log-me-1"}});
  ASSERT_TRUE(r);
  std::string line;
  for (const auto& l : Log()) {
    if (l.find("log-me-1") != std::string::npos) line = l;
  }
  ASSERT_FALSE(line.empty());
  EXPECT_THAT(line, HasSubstr(" GET /api/v1/data/"));
  EXPECT_THAT(line, HasSubstr(" 200 "));
  EXPECT_THAT(line, HasSubstr("ms rid=log-me-1"));
  EXPECT_THAT(line, Not(HasSubstr("supersecretvalue123456")));
  EXPECT_THAT(line, Not(HasSubstr(Key())));
}

TEST_F(HttpFrontTest, WritesAreReported) {
  auto client = Client();
  ASSERT_TRUE(client.Get("/__restbox/health"));
  EXPECT_EQ(writes_, 0);
  auto r = client.Post("/api/v1/data/orders", {{"Authorization", "Bearer " + Key()}},
                       R"({"order_id":"W-1"})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202);
  EXPECT_EQ(writes_, 1);
}

TEST_F(HttpFrontTest, ManyClientsAtOnceAreAllServed) {
  constexpr int kClients = 8;
  constexpr int kRequests = 50;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&] {
      auto client = Client();
      for (int i = 0; i < kRequests; ++i) {
        auto r = client.Get(RecordPath().c_str(), {{"Authorization", "Bearer " + Key()}});
        if (r && r->status == 200) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, kClients * kRequests);
}

TEST_F(HttpFrontTest, StopDoesNotWaitForIdleKeepAliveConnections) {
  RawClient raw(port_);
  ASSERT_TRUE(raw.Send(RawGet("/__restbox/health")));
  ASSERT_TRUE(raw.Read());
  auto start = steady_clock::now();
  front_->Stop();
  EXPECT_LT(steady_clock::now() - start, milliseconds(2000));  // the keep-alive timeout is 3 s
  EXPECT_TRUE(raw.ClosedByServer());
}

TEST_F(HttpFrontTest, WebhooksArePostedToRealUrls) {
  httplib::Server receiver;
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::pair<std::string, std::string>> received;  // (auth header, body)
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lock(m);
      received.emplace_back(req.get_header_value("Authorization"), req.body);
    }
    cv.notify_all();
    res.status = 204;
  });
  int receiver_port = receiver.bind_to_any_port("127.0.0.1");
  ASSERT_GT(receiver_port, 0);
  std::thread receiver_thread([&] { receiver.listen_after_bind(); });

  auto client = Client();
  auto r = client.Post(
      "/api/v1/data/orders",
      {{"Authorization", "Bearer " + Key()},
       {"X-Webhook-Callback", "http://127.0.0.1:" + std::to_string(receiver_port) + "/hook"},
       {"X-Webhook-Auth", "Bearer hook-secret"}},
      R"({"order_id":"HOOK-1"})", "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202);
  server_->Tick();  // what restbox-mock's housekeeper does every second
  {
    std::unique_lock lock(m);
    EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return !received.empty(); }));
    if (!received.empty()) {
      EXPECT_EQ(received[0].first, "Bearer hook-secret");
      EXPECT_THAT(received[0].second, HasSubstr("record.created"));
      EXPECT_THAT(received[0].second, HasSubstr("HOOK-1"));
    }
  }
  webhooks_->Shutdown();  // the delivery has reported back once the worker is joined
  Json deliveries = server_->State()["chikage"]["webhook_deliveries"];
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0]["state"], "delivered");
  EXPECT_EQ(deliveries[0]["last_status"], 204);
  receiver.stop();
  receiver_thread.join();
}

TEST(HttpWebhookSender, UnreachableReceiversAndShutdownAnswerZero) {
  HttpWebhookSender sender({.timeout = milliseconds(2000)});
  std::mutex m;
  std::condition_variable cv;
  std::vector<int> statuses;
  auto done = [&](int status) {
    std::lock_guard lock(m);
    statuses.push_back(status);
    cv.notify_all();
  };
  // A port nothing listens on: bind one, and close it without listening.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int closed_port = ntohs(addr.sin_port);
  ::close(fd);

  sender.Post({.url = "http://127.0.0.1:" + std::to_string(closed_port) + "/hook", .body = "{}"},
              done);
  sender.Post({.url = "ftp://example.invalid/x", .body = "{}"}, done);
  sender.Post({.url = "not a url", .body = "{}"}, done);
  {
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return statuses.size() == 3; }));
    EXPECT_EQ(statuses, (std::vector<int>{0, 0, 0}));
  }
  sender.Shutdown();
  sender.Post({.url = "http://127.0.0.1:1/", .body = "{}"}, done);  // after shutdown: at once
  std::lock_guard lock(m);
  EXPECT_EQ(statuses.size(), 4u);
  EXPECT_EQ(statuses.back(), 0);
}

// ---- Issue 10: HEAD, the landing document, refusals over HTTP --------------------------------

TEST_F(HttpFrontTest, HeadOnApiAndAdminGetRoutesHasTheGetsHeadersAndNoBody) {
  auto client = Client();
  const httplib::Headers auth = {{"Authorization", "Bearer " + Key()}};
  for (const std::string& path : {RecordPath(), std::string("/__restbox/fixtures"),
                                  std::string("/__restbox/openapi/chikage.json")}) {
    SCOPED_TRACE(path);
    auto get = client.Get(path.c_str(), auth);
    auto head = client.Head(path.c_str(), auth);
    ASSERT_TRUE(get && head);
    ASSERT_EQ(get->status, 200) << get->body;
    EXPECT_EQ(head->status, 200);
    EXPECT_TRUE(head->body.empty());
    EXPECT_EQ(head->get_header_value("Content-Length"), std::to_string(get->body.size()));
    for (const char* name : {"Content-Type", "Cache-Control", "X-Restbox-Error"})
      EXPECT_EQ(head->get_header_value(name), get->get_header_value(name)) << name;
    EXPECT_FALSE(head->has_header("Accept-Ranges"));
  }
  // The connection stays usable after a HEAD (nothing was sent that could pass for a body).
  auto after = client.Get("/__restbox/health");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
  EXPECT_EQ(server_->Journal(1).at(0).method, core::Method::kHead);
}

TEST_F(HttpFrontTest, AllowOn405ListsHeadWhereGetIsAllowed) {
  auto client = Client();
  auto admin = client.Delete("/__restbox/health");
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->status, 405);
  EXPECT_EQ(admin->get_header_value("Allow"), "GET, HEAD");
  auto api = client.Patch(RecordPath().c_str(), {{"Authorization", "Bearer " + Key()}}, "{}",
                          "application/json");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 405);
  EXPECT_EQ(api->get_header_value("Allow"), "GET, HEAD, PUT, DELETE");
  auto preflight = client.Options(
      RecordPath().c_str(),
      {{"Origin", "http://localhost:5173"}, {"Access-Control-Request-Method", "HEAD"}});
  ASSERT_TRUE(preflight);
  EXPECT_THAT(preflight->get_header_value("Access-Control-Allow-Methods"), HasSubstr("HEAD"));
}

TEST_F(HttpFrontTest, RootWithoutAConsoleAnswersWhereEverythingIs) {
  auto client = Client();
  auto r = client.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_THAT(r->get_header_value("Content-Type"), HasSubstr("application/json"));
  Json doc = Body(r->body);
  const std::string base = "http://127.0.0.1:" + std::to_string(port_);
  ASSERT_TRUE(doc["services"].is_array());
  ASSERT_EQ(doc["services"].size(), server_->ServiceIds().size());
  for (const auto& s : doc["services"]) {
    const std::string id = s["id"];
    SCOPED_TRACE(id);
    const std::string base_path = s["base_path"];
    EXPECT_TRUE(base_path.starts_with("/"));
    for (const auto& ep : server_->FindService(id)->Spec().endpoints)
      EXPECT_TRUE(ep.path.starts_with(base_path));
    EXPECT_EQ(s["openapi"], base + "/__restbox/openapi/" + id + ".json");
    EXPECT_EQ(doc["openapi"][id], s["openapi"]);
    EXPECT_TRUE(s["try"]["curl"].get<std::string>().starts_with("curl -s ")) << s.dump();
  }
  EXPECT_EQ(doc["services"][0]["id"], server_->ServiceIds()[0]);
  EXPECT_EQ(doc["fixtures"], base + "/__restbox/fixtures");
  EXPECT_EQ(doc["health"], base + "/__restbox/health");
  EXPECT_THAT(doc["console"]["how"].get<std::string>(), HasSubstr("./run.sh"));
  EXPECT_THAT(doc["console"]["how"].get<std::string>(),
              HasSubstr("restbox-mock --static build/wasm/web"));
  // The links work from where the document was read.
  auto fixtures = client.Get(doc["fixtures"].get<std::string>().substr(base.size()).c_str());
  ASSERT_TRUE(fixtures);
  EXPECT_EQ(fixtures->status, 200);
  auto head = client.Head("/");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  EXPECT_EQ(head->get_header_value("Content-Length"), std::to_string(r->body.size()));
  // Only "/" itself: other unknown paths are still the mock's 404.
  auto other = client.Get("/nothing-here");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
}

TEST_F(HttpFrontTest, AFaultRuleWithATypoIsRefusedAndEveryApiKeepsAnswering) {
  auto client = Client();
  auto r = client.Post("/__restbox/faults", R"({"servce":"chikage"})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  Json body = Body(r->body);
  EXPECT_THAT(body["restbox_error"].get<std::string>(),
              HasSubstr("unknown field \"servce\" in fault rule; valid fields: service, endpoint"));
  EXPECT_EQ(body["field"], "servce");
  EXPECT_TRUE(body["valid"].is_array());
  EXPECT_EQ(Body(client.Get("/__restbox/faults")->body), Json::array());
  auto record = client.Get(RecordPath().c_str(), {{"Authorization", "Bearer " + Key()}});
  ASSERT_TRUE(record);
  EXPECT_EQ(record->status, 200);
}

TEST_F(HttpFrontTest, ExpectContinueIsAnsweredBeforeTheBody) {
  RawClient raw(port_);
  const std::string body = R"({"order_id":"CONT-1"})";
  ASSERT_TRUE(raw.Send(
      "POST /api/v1/data/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + Key() +
      "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n"));
  auto go_on = raw.Read();  // before any byte of the body was sent
  ASSERT_TRUE(go_on);
  EXPECT_EQ(go_on->status, 100);
  ASSERT_TRUE(raw.Send(body));
  auto r = raw.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202) << r->body;
  EXPECT_THAT(server_->Journal(1).at(0).request_body, HasSubstr("CONT-1"));
}

TEST_F(HttpFrontTest, AChunkedBodyOfAGetIsReadAndDropped) {
  RawClient raw(port_);
  ASSERT_TRUE(raw.Send(
      "GET /__restbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n0\r\n\r\n" +
      RawGet("/__restbox/health")));
  auto first = raw.Read();
  auto second = raw.Read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(second->status, 200);
}

TEST_F(HttpFrontTest, LargeAdminAnswersAreGzippedForClientsThatAcceptIt) {
  RawClient raw(port_);
  ASSERT_TRUE(raw.Send(RawGet("/__restbox/openapi/chikage.json", "Accept-Encoding: gzip, br\r\n") +
                       RawGet("/__restbox/openapi/chikage.json", "Accept-Encoding: gzip;q=0\r\n") +
                       RawGet(RecordPath(), "Accept-Encoding: gzip\r\n")));
  auto packed = raw.Read();
  auto plain = raw.Read();
  auto api = raw.Read();
  ASSERT_TRUE(packed && plain && api);
  EXPECT_EQ(packed->Header("Content-Encoding"), "gzip");
  EXPECT_EQ(packed->Header("Vary"), "Accept-Encoding");
  ASSERT_GE(packed->body.size(), 2u);
  EXPECT_EQ(packed->body.substr(0, 2), "\x1f\x8b");
  EXPECT_LT(packed->body.size(), plain->body.size() / 2);
  EXPECT_EQ(plain->Header("Content-Encoding"), "");
  EXPECT_EQ(api->Header("Content-Encoding"), "");  // the APIs answer as the mock wrote it
  // A client that decompresses reads the same document.
  auto client = Client();
  auto decoded = client.Get("/__restbox/openapi/chikage.json", {{"Accept-Encoding", "gzip"}});
  auto identity = client.Get("/__restbox/openapi/chikage.json", {{"Accept-Encoding", "identity"}});
  ASSERT_TRUE(decoded && identity);
  EXPECT_EQ(identity->get_header_value("Content-Encoding"), "");
  EXPECT_TRUE(decoded->body == identity->body);
}

TEST_F(HttpFrontTest, Http10AndTheLastAllowedRequestClose) {
  {
    RawClient raw(port_);
    ASSERT_TRUE(raw.Send("GET /__restbox/health HTTP/1.0\r\n\r\n"));
    auto r = raw.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->Header("Connection"), "close");
    EXPECT_TRUE(raw.ClosedByServer());
  }
  {
    RawClient raw(port_);
    ASSERT_TRUE(raw.Send("GET /__restbox/health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    auto r = raw.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->Header("Connection"), "keep-alive");
  }
  TearDown();
  HttpFrontOptions options;
  options.keep_alive_max_requests = 2;
  Start(options);
  RawClient raw(port_);
  ASSERT_TRUE(raw.Send(RawGet("/__restbox/health") + RawGet("/__restbox/health") +
                       RawGet("/__restbox/health")));
  auto first = raw.Read();
  auto second = raw.Read();
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->Header("Connection"), "close");
  EXPECT_EQ(second->Header("Connection"), "close");
  EXPECT_TRUE(raw.ClosedByServer());
}

}  // namespace
}  // namespace restbox::mock
