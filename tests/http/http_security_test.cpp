// restbox-mock's trust boundary over real sockets (issue 11): foreign Host names (DNS rebinding),
// foreign Origins and simple cross-site requests, the admin token, HTTP framing that could
// desynchronise a connection, log lines, and webhook destinations. Every front listens on a free
// 127.0.0.1 port; every webhook receiver is on loopback, and every other destination is a name
// under .invalid (or a fake resolver's answer), never a real private or public address.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
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
using testing::CountResponses;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RawClient;
using testing::RawReceiver;
using testing::RawResponse;

Json Body(const std::string& text) {
  auto parsed = core::ParseJson(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? parsed.value() : Json();
}

class SecurityTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  void Start(HttpFrontOptions options = {}, HttpWebhookOptions hooks = {}) {
    TearDown();
    if (hooks.timeout == HttpWebhookOptions{}.timeout) hooks.timeout = milliseconds(2000);
    webhooks_ = std::make_shared<HttpWebhookSender>(hooks);
    MockOptions mock_options;
    mock_options.webhooks = webhooks_;
    server_ = MakeMockServer(mock_options);
    if (!server_->FindService("chikage")) GTEST_SKIP() << "chikage is not part of this build";
    fix_ = server_->Fixtures()["chikage"];
    options.host = "127.0.0.1";
    options.port = 0;
    options.read_timeout = milliseconds(1000);
    options.threads = 8;
    options.log = [this](const std::string& line) {
      std::lock_guard lock(mutex_);
      log_.push_back(line);
    };
    front_ = std::make_unique<HttpFront>(server_, options);
    auto error = front_->Start();
    ASSERT_FALSE(error) << *error;
    port_ = front_->port();
  }

  void TearDown() override {
    if (front_) front_->Stop();
    front_.reset();
    if (webhooks_) webhooks_->Shutdown();
    webhooks_.reset();
  }

  std::string Key() const { return fix_["test_key"].get<std::string>(); }
  std::string Local() const { return "127.0.0.1:" + std::to_string(port_); }

  // "METHOD path HTTP/1.1" with a Host and the given header lines and body (Content-Length added
  // for a body).
  static std::string Request(const std::string& method, const std::string& path,
                             const std::string& host, const std::string& headers = {},
                             const std::string& body = {}) {
    std::string r = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers;
    if (!body.empty()) r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    return r + "\r\n" + body;
  }

  RawResponse Exchange(const std::string& request) const {
    RawClient raw(port_);
    EXPECT_TRUE(raw.Send(request));
    auto r = raw.Read();
    EXPECT_TRUE(r) << "no answer to " << request.substr(0, 200);
    return r ? *r : RawResponse{};
  }

  // A create on chikage with the given extra header lines.
  RawResponse Create(const std::string& headers, const std::string& host = {}) const {
    return Exchange(Request(
        "POST", "/api/v1/data/orders", host.empty() ? Local() : host,
        "Authorization: Bearer " + Key() + "\r\nContent-Type: application/json\r\n" + headers,
        R"({"order_id":"SEC-1"})"));
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
};

// ---- Host: DNS rebinding ---------------------------------------------------------------------

TEST_F(SecurityTest, AForeignHostIsRefusedAndChangesNothing) {
  server_->AddFault(FaultRule{.match = {.path_prefix = "/nowhere/"}, .times = -1});
  for (const char* host : {"rebind.attacker.example", "rebind.attacker.example:8080",
                           "localhost.attacker.example", "127.0.0.1.attacker.example"}) {
    SCOPED_TRACE(host);
    for (const char* path :
         {"/__restbox/fixtures", "/__restbox/journal", "/__restbox/state", "/"}) {
      RawResponse r = Exchange(Request("GET", path, host));
      EXPECT_EQ(r.status, 403) << path;
      EXPECT_EQ(r.Header("Connection"), "close");
    }
    RawResponse reset = Exchange(
        Request("POST", "/__restbox/reset", host, "Content-Type: application/json\r\n", "{}"));
    EXPECT_EQ(reset.status, 403);
    Json body = Body(reset.body);
    EXPECT_THAT(body["restbox_error"].get<std::string>(), HasSubstr("DNS rebinding"));
    EXPECT_THAT(body["restbox_error"].get<std::string>(), HasSubstr("--allow-host"));
    EXPECT_EQ(body["host"], host);
    EXPECT_EQ(Create("", host).status, 403);
  }
  EXPECT_EQ(server_->Faults().size(), 1u);  // the reset never ran
  EXPECT_TRUE(server_->Journal().empty());  // nor did the create
}

TEST_F(SecurityTest, LoopbackHostsOnAnyPortAreServed) {
  for (const std::string& host : {Local(), "localhost:" + std::to_string(port_),
                                  std::string("LOCALHOST"), "[::1]:" + std::to_string(port_),
                                  std::string("127.3.2.1:1"), std::string("app.localhost")}) {
    EXPECT_EQ(Exchange(Request("GET", "/__restbox/health", host)).status, 200) << host;
  }
}

TEST_F(SecurityTest, AllowHostAdmitsExactlyTheNamesItGives) {
  HttpFrontOptions options;
  options.allow_hosts = {"devbox.test"};
  Start(options);
  EXPECT_EQ(Exchange(Request("GET", "/__restbox/health", "DevBox.test:1234")).status, 200);
  EXPECT_EQ(Exchange(Request("GET", "/__restbox/health", "other.test")).status, 403);
  EXPECT_EQ(Exchange(Request("GET", "/__restbox/health", "sub.devbox.test")).status, 403);
}

TEST_F(SecurityTest, AMissingOrRepeatedHostIsMalformed) {
  EXPECT_EQ(Exchange("GET /__restbox/health HTTP/1.1\r\n\r\n").status, 400);
  EXPECT_EQ(Exchange("GET /__restbox/health HTTP/1.0\r\n\r\n").status,
            200);  // HTTP/1.0 has no Host
  EXPECT_EQ(Exchange("GET /__restbox/health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: "
                     "rebind.attacker.example\r\n\r\n")
                .status,
            400);
}

// ---- Origin: cross-site requests -------------------------------------------------------------

TEST_F(SecurityTest, ASimpleCrossSiteRequestGetsNoSideEffects) {
  server_->AddFault(FaultRule{.match = {.path_prefix = "/nowhere/"}, .times = -1});
  const std::string foreign = "Origin: http://attacker.example\r\nContent-Type: text/plain\r\n";
  // What a page on any site can send without a preflight.
  RawResponse reset = Exchange(Request("POST", "/__restbox/reset", Local(), foreign, "{}"));
  EXPECT_EQ(reset.status, 403);
  EXPECT_THAT(Body(reset.body)["restbox_error"].get<std::string>(),
              HasSubstr("--allow-origin http://attacker.example"));
  EXPECT_EQ(reset.Header("Access-Control-Allow-Origin"), "");
  RawResponse fault = Exchange(Request("POST", "/__restbox/faults", Local(), foreign,
                                       R"({"action":"latency","latency_ms":600000})"));
  EXPECT_EQ(fault.status, 403);
  EXPECT_EQ(server_->Faults().size(), 1u);
  // Reading the admin API is refused too (the answer would be unreadable without CORS, but the
  // request itself must not happen).
  EXPECT_EQ(
      Exchange(Request("GET", "/__restbox/state", Local(), "Origin: http://attacker.example\r\n"))
          .status,
      403);
  EXPECT_EQ(Exchange(Request("OPTIONS", "/__restbox/reset", Local(),
                             "Origin: http://attacker.example\r\n"))
                .status,
            403);
  // API writes: 403 before the mock sees them; reads are answered, without CORS headers.
  EXPECT_EQ(Create("Origin: http://attacker.example\r\n").status, 403);
  EXPECT_EQ(Exchange(Request("DELETE", "/api/v1/data/orders/x", Local(),
                             "Origin: http://attacker.example\r\nAuthorization: Bearer " + Key() +
                                 "\r\n"))
                .status,
            403);
  EXPECT_TRUE(server_->Journal().empty());
  RawResponse read = Exchange(
      Request("GET", "/api/v1/data/orders/" + fix_["test_record_id"].get<std::string>(), Local(),
              "Origin: http://attacker.example\r\nAuthorization: Bearer " + Key() + "\r\n"));
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.Header("Access-Control-Allow-Origin"), "");
  // "null" (sandboxed frames, file:// pages) is foreign too, and so are two Origin headers.
  EXPECT_EQ(Exchange(Request("POST", "/__restbox/reset", Local(), "Origin: null\r\n")).status, 403);
  EXPECT_EQ(Exchange(Request("POST", "/__restbox/reset", Local(),
                             "Origin: http://localhost:1\r\nOrigin: http://attacker.example\r\n"))
                .status,
            403);
  EXPECT_EQ(server_->Faults().size(), 1u);
}

TEST_F(SecurityTest, LocalPagesAndTheMocksOwnPagesKeepEverything) {
  // The console served by --static calls back its own origin with JSON (tests/e2e).
  const std::string own = "Origin: http://" + Local() + "\r\nContent-Type: application/json\r\n";
  RawResponse added = Exchange(
      Request("POST", "/__restbox/faults", Local(), own, R"({"path_prefix":"/nowhere/"})"));
  EXPECT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.Header("Access-Control-Allow-Origin"), "http://" + Local());
  RawResponse reset =
      Exchange(Request("POST", "/__restbox/reset", Local(), "Origin: http://localhost:5173\r\n"));
  EXPECT_EQ(reset.status, 200) << reset.body;  // no body, no Content-Type: no form could send it
  EXPECT_TRUE(server_->Faults().empty());
  EXPECT_EQ(Create("Origin: https://127.0.0.1:8443\r\n").status, 202);
}

TEST_F(SecurityTest, AllowOriginAdmitsExactlyTheOriginsItGives) {
  HttpFrontOptions options;
  options.allow_origins = {"http://devbox.test:5173"};
  options.allow_hosts = {"devbox.test"};
  Start(options);
  RawResponse ok =
      Exchange(Request("POST", "/__restbox/reset", Local(), "Origin: http://devbox.test:5173\r\n"));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.Header("Access-Control-Allow-Origin"), "http://devbox.test:5173");
  EXPECT_EQ(
      Exchange(Request("POST", "/__restbox/reset", Local(), "Origin: http://devbox.test:5174\r\n"))
          .status,
      403);
  EXPECT_EQ(
      Exchange(Request("POST", "/__restbox/reset", Local(), "Origin: https://devbox.test:5173\r\n"))
          .status,
      403);
  // The mock's own pages on an allowed name: same origin as the Host they were loaded from.
  const std::string host = "devbox.test:" + std::to_string(port_);
  EXPECT_EQ(
      Exchange(Request("POST", "/__restbox/reset", host, "Origin: http://" + host + "\r\n")).status,
      200);
  EXPECT_EQ(Exchange(Request("POST", "/__restbox/reset", host, "Origin: http://devbox.test:1\r\n"))
                .status,
            403);
}

TEST_F(SecurityTest, AdminWritesNeedJson) {
  for (const char* type :
       {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b"}) {
    SCOPED_TRACE(type);
    RawResponse r = Exchange(Request("POST", "/__restbox/faults", Local(),
                                     std::string("Content-Type: ") + type + "\r\n",
                                     R"({"path_prefix":"/nowhere/"})"));
    EXPECT_EQ(r.status, 415);
    EXPECT_THAT(Body(r.body)["restbox_error"].get<std::string>(),
                HasSubstr("Content-Type: application/json"));
  }
  // A body without a type is refused as well; no body and no type is no form.
  EXPECT_EQ(
      Exchange(Request("POST", "/__restbox/faults", Local(), "", R"({"path_prefix":"/nowhere/"})"))
          .status,
      415);
  EXPECT_TRUE(server_->Faults().empty());
  EXPECT_EQ(Exchange(Request("POST", "/__restbox/faults", Local(),
                             "Content-Type: application/json; charset=utf-8\r\n",
                             R"({"path_prefix":"/nowhere/"})"))
                .status,
            201);
  EXPECT_EQ(Exchange(Request("DELETE", "/__restbox/faults", Local())).status, 200);
  EXPECT_EQ(Exchange(Request("POST", "/__restbox/reset", Local())).status, 200);
  // API routes keep their own rules (chikage's documented 415).
  RawResponse api = Exchange(
      Request("POST", "/api/v1/data/orders", Local(),
              "Authorization: Bearer " + Key() + "\r\nContent-Type: text/plain\r\n", "{}"));
  EXPECT_EQ(api.status, 415);
  EXPECT_EQ(Body(api.body)["success"], false);
}

// ---- admin token ---------------------------------------------------------------------------

TEST_F(SecurityTest, AnAdminTokenGuardsTheAdminApiOnly) {
  HttpFrontOptions options;
  options.admin_token = "t0ken-for-this-test";
  Start(options);
  RawResponse none = Exchange(Request("GET", "/__restbox/health", Local()));
  EXPECT_EQ(none.status, 401);
  EXPECT_THAT(none.Header("WWW-Authenticate"), HasSubstr("Bearer"));
  EXPECT_THAT(Body(none.body)["restbox_error"].get<std::string>(),
              HasSubstr("X-Restbox-Admin-Token"));
  EXPECT_EQ(Exchange(Request("GET", "/__restbox/health", Local(),
                             "Authorization: Bearer wrong-token-for-this\r\n"))
                .status,
            401);
  EXPECT_EQ(Exchange(Request("GET", "/__restbox/health", Local(),
                             "Authorization: Bearer t0ken-for-this-tes\r\n"))
                .status,
            401);
  EXPECT_EQ(Exchange(Request("GET", "/__restbox/health", Local(),
                             "Authorization: Bearer t0ken-for-this-test\r\n"))
                .status,
            200);
  EXPECT_EQ(Exchange(Request("POST", "/__restbox/reset", Local(),
                             "X-Restbox-Admin-Token: t0ken-for-this-test\r\n"))
                .status,
            200);
  EXPECT_EQ(Exchange(Request("POST", "/__restbox/reset", Local())).status, 401);
  // A CORS preflight carries no credentials; the APIs and / need no admin token.
  EXPECT_EQ(
      Exchange(Request("OPTIONS", "/__restbox/reset", Local(),
                       "Origin: http://localhost:5173\r\nAccess-Control-Request-Method: POST\r\n"
                       "Access-Control-Request-Headers: x-restbox-admin-token\r\n"))
          .status,
      204);
  EXPECT_EQ(Create("").status, 202);
  EXPECT_EQ(Exchange(Request("GET", "/", Local())).status, 200);
}

TEST(HttpFrontTrust, ListeningBeyondLoopbackNeedsAnAdminToken) {
  // Decided before anything is bound: this test never listens beyond loopback.
  auto server = MakeMockServer();
  HttpFrontOptions options;
  options.host = "0.0.0.0";
  options.port = 0;
  HttpFront front(server, options);
  auto error = front.Bind();
  ASSERT_TRUE(error);
  EXPECT_THAT(*error, HasSubstr("admin token"));
  EXPECT_EQ(front.port(), 0);
}

// ---- framing ----------------------------------------------------------------------------------

// Sends a request that tries to smuggle, followed by two ordinary pipelined requests: exactly one
// answer (the refusal) must come back, and the connection must close.
struct Probe {
  const char* name;
  std::string head;
  int status;
};

TEST_F(SecurityTest, FramingThatCouldDesyncIsRefusedAndClosesTheConnection) {
  const std::string auth =
      "Authorization: Bearer " + Key() + "\r\nContent-Type: application/json\r\n";
  const std::string host = "Host: " + Local() + "\r\n";
  const std::string chunked_body = "0\r\n\r\n";
  std::vector<Probe> probes = {
      {"two Transfer-Encoding headers",
       "POST /api/v1/data/orders HTTP/1.1\r\n" + host + auth +
           "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked_body,
       400},
      {"chunked twice in two headers",
       "POST /api/v1/data/orders HTTP/1.1\r\n" + host + auth +
           "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked_body,
       400},
      {"chunked not last",
       "POST /api/v1/data/orders HTTP/1.1\r\n" + host + auth +
           "Transfer-Encoding: chunked, gzip\r\n\r\n" + chunked_body,
       400},
      {"chunked applied twice",
       "POST /api/v1/data/orders HTTP/1.1\r\n" + host + auth +
           "Transfer-Encoding: chunked, chunked\r\n\r\n" + chunked_body,
       400},
      {"Content-Length and Transfer-Encoding (CL.TE)",
       "POST /api/v1/data/orders HTTP/1.1\r\n" + host + auth +
           "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
       400},
      {"bare LF ending a header line",
       "POST /api/v1/data/orders HTTP/1.1\r\n" + host + auth + "Content-Length: 40\n\r\n" +
           chunked_body,
       400},
      {"bare LF hiding Transfer-Encoding",
       "POST /api/v1/data/orders HTTP/1.1\r\n" + host + auth +
           "X-Pad: 1\nTransfer-Encoding: chunked\r\n\r\n" + chunked_body,
       400},
      {"bare LF ending the request line", "GET /__restbox/health HTTP/1.1\n" + host + "\r\n", 400},
      {"bare LF ending the head", "GET /__restbox/health HTTP/1.1\r\n" + host + "\n", 400},
      {"bare CR", "GET /__restbox/health HTTP/1.1\r\n" + host + "X-A: 1\rX-B: 2\r\n\r\n", 400},
      {"obsolete line folding",
       "GET /__restbox/health HTTP/1.1\r\n" + host +
           "X-A: 1\r\n Transfer-Encoding: chunked\r\n\r\n",
       400},
  };
  const std::string next = "GET /__restbox/health HTTP/1.1\r\n" + host + "\r\n";
  for (const auto& probe : probes) {
    SCOPED_TRACE(probe.name);
    RawClient raw(port_);
    ASSERT_TRUE(raw.Send(probe.head + next + next));
    std::string all = raw.ReadAll();  // ends when the server closes
    EXPECT_EQ(CountResponses(all), 1) << all;
    EXPECT_TRUE(all.starts_with("HTTP/1.1 " + std::to_string(probe.status) + " "))
        << all.substr(0, 200);
    EXPECT_THAT(all, HasSubstr("Connection: close"));
    EXPECT_THAT(all, HasSubstr("restbox_error"));
  }
  EXPECT_TRUE(server_->Journal().empty());  // no smuggled request reached the mock
  // The same pipelining with an ordinary request first gets all three answers.
  RawClient raw(port_);
  ASSERT_TRUE(raw.Send(next + next + "GET /__restbox/health HTTP/1.1\r\n" + host +
                       "Connection: close\r\n\r\n"));
  EXPECT_EQ(CountResponses(raw.ReadAll()), 3);
}

// ---- log lines ---------------------------------------------------------------------------------

TEST_F(SecurityTest, ControlCharactersAreRefusedAndEscapedInLogLines) {
  // A control character in the target is malformed (400); the line that logs the refusal shows
  // what came, escaped.
  RawResponse r =
      Exchange("GET /__restbox/health?x=\x1b[31m\x7f HTTP/1.1\r\nHost: " + Local() + "\r\n\r\n");
  EXPECT_EQ(r.status, 400);
  auto line_with = [this](const std::string& text) {
    std::string line;
    for (const auto& l : Log()) {
      if (l.find(text) != std::string::npos) line = l;
    }
    return line;
  };
  std::string line = line_with("/__restbox/health");
  ASSERT_FALSE(line.empty());
  for (char c : line) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << line;
  EXPECT_EQ(line.find('\x7f'), std::string::npos);
  EXPECT_THAT(line, HasSubstr("GET /__restbox/health?x=\\x1b[31m\\x7f 400 "));
  // So is one in a header value; a backslash, which could forge an escape, is escaped itself.
  EXPECT_EQ(Exchange("GET /__restbox/health HTTP/1.1\r\nHost: " + Local() +
                     "\r\nX-Request-Id: rid\x01\x1b[0m\r\n\r\n")
                .status,
            400);
  RawResponse ok = Exchange("GET /__restbox/health?y=1 HTTP/1.1\r\nHost: " + Local() +
                            "\r\nX-Request-Id: rid\\x01\r\n\r\n");
  EXPECT_EQ(ok.status, 200);
  EXPECT_THAT(line_with("?y=1"), HasSubstr(" 200 "));
  EXPECT_THAT(line_with("?y=1"), HasSubstr("rid=rid\\x5cx01"));
}

// ---- webhooks ----------------------------------------------------------------------------------

// Waits (bounded) until the receiver has seen `n` connections.
bool WaitForConnections(const RawReceiver& receiver, int n,
                        milliseconds bound = milliseconds(5000)) {
  auto until = steady_clock::now() + bound;
  while (steady_clock::now() < until) {
    if (receiver.connections() >= n) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return receiver.connections() >= n;
}

std::string Ok204(const std::string&) {
  return "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n";
}

TEST_F(SecurityTest, ACallbackThatDoesNotResolveIsA400AndQueuesNothing) {
  RawResponse r = Create("X-Webhook-Callback: http://hook.invalid/x\r\n");
  EXPECT_EQ(r.status, 400) << r.body;
  Json body = Body(r.body);
  EXPECT_EQ(body["success"], false);
  ASSERT_TRUE(body["details"].is_array()) << r.body;
  EXPECT_EQ(body["details"][0]["field"], "X-Webhook-Callback");
  EXPECT_THAT(body["details"][0].dump(), HasSubstr("hook.invalid does not resolve"));
  server_->Tick();
  EXPECT_TRUE(server_->State()["chikage"]["webhook_deliveries"].empty());
}

TEST_F(SecurityTest, ANonLoopbackDestinationIsRefusedBeforeAnyConnection) {
  RawReceiver receiver(Ok204);
  // A name whose addresses include one beyond loopback (a rebinding DNS answer, say).
  HttpWebhookOptions hooks;
  hooks.policy.resolver = [](const std::string& host,
                             core::Duration) -> std::optional<std::vector<std::string>> {
    if (host == "rebind.invalid") return std::vector<std::string>{"127.0.0.1", "0.0.0.0"};
    return std::nullopt;
  };
  Start({}, hooks);
  const std::string url = "http://rebind.invalid:" + std::to_string(receiver.port()) + "/hook";
  RawResponse r = Create("X-Webhook-Callback: " + url + "\r\n");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_THAT(r.body, HasSubstr("only to this machine"));
  EXPECT_THAT(r.body,
              HasSubstr("--webhook-allow rebind.invalid:" + std::to_string(receiver.port())));
  RawResponse literal =
      Create("X-Webhook-Callback: http://0.0.0.0:" + std::to_string(receiver.port()) + "/hook\r\n");
  EXPECT_EQ(literal.status, 400) << literal.body;
  server_->Tick();
  webhooks_->Shutdown();
  EXPECT_EQ(receiver.connections(), 0);
  EXPECT_TRUE(server_->State()["chikage"]["webhook_deliveries"].empty());
}

TEST_F(SecurityTest, WebhookAllowAdmitsANameAndDeliversToItsCheckedAddress) {
  RawReceiver receiver(Ok204);
  auto resolutions = std::make_shared<std::atomic<int>>(0);
  HttpWebhookOptions hooks;
  hooks.policy.allow = {*ParseWebhookAllow("hooks.invalid")};
  // hooks.invalid exists only in this resolver: a delivery that resolved the name again by itself
  // (instead of connecting to the checked address) could not connect at all.
  hooks.policy.resolver = [resolutions](const std::string& host,
                                        core::Duration) -> std::optional<std::vector<std::string>> {
    ++*resolutions;
    if (host == "hooks.invalid") return std::vector<std::string>{"127.0.0.1"};
    return std::nullopt;
  };
  Start({}, hooks);
  const std::string url = "http://hooks.invalid:" + std::to_string(receiver.port()) + "/hook";
  RawResponse r = Create("X-Webhook-Callback: " + url +
                         "\r\nX-Webhook-Auth-Header: X-Hook-Token\r\nX-Webhook-Auth: s3\r\n");
  ASSERT_EQ(r.status, 202) << r.body;
  server_->Tick();
  ASSERT_TRUE(WaitForConnections(receiver, 1));
  webhooks_->Shutdown();
  EXPECT_THAT(receiver.last_request(),
              HasSubstr("Host: hooks.invalid:" + std::to_string(receiver.port())));
  EXPECT_THAT(receiver.last_request(), HasSubstr("X-Hook-Token: s3"));
  EXPECT_EQ(*resolutions, 2);  // once for the 400 check, once for the delivery
  Json deliveries = server_->State()["chikage"]["webhook_deliveries"];
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0]["last_status"], 204);
}

TEST_F(SecurityTest, ADestinationThatRebindsAfterTheCheckIsNotDeliveredTo) {
  RawReceiver receiver(Ok204);
  auto resolutions = std::make_shared<std::atomic<int>>(0);
  HttpWebhookOptions hooks;
  // Loopback when the request is checked, beyond loopback when the delivery resolves it.
  hooks.policy.resolver = [resolutions](const std::string&,
                                        core::Duration) -> std::optional<std::vector<std::string>> {
    return std::vector<std::string>{++*resolutions == 1 ? "127.0.0.1" : "0.0.0.0"};
  };
  Start({}, hooks);
  RawResponse r = Create(
      "X-Webhook-Callback: http://flip.invalid:" + std::to_string(receiver.port()) + "/hook\r\n");
  ASSERT_EQ(r.status, 202) << r.body;
  server_->Tick();
  webhooks_->Shutdown();
  EXPECT_EQ(receiver.connections(), 0);
  Json deliveries = server_->State()["chikage"]["webhook_deliveries"];
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0]["last_status"], 0);
}

TEST_F(SecurityTest, TheWebhookAuthHeaderCannotReframeThePost) {
  RawReceiver receiver(Ok204);
  const std::string url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook";
  for (const char* name :
       {"Host", "content-length", "Transfer-Encoding", "Connection", "Upgrade", "TE", "Trailer",
        "Proxy-Authorization", "Content-Type", "X Bad", "X-Bad:", "X-\x01"}) {
    SCOPED_TRACE(name);
    RawResponse r = Create("X-Webhook-Callback: " + url + "\r\nX-Webhook-Auth-Header: " + name +
                           "\r\nX-Webhook-Auth: v\r\n");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_THAT(r.body, HasSubstr("X-Webhook-Auth-Header"));
  }
  server_->Tick();
  EXPECT_TRUE(server_->State()["chikage"]["webhook_deliveries"].empty());
}

// The sender alone, against receivers that misbehave.
int DeliverOnce(HttpWebhookSender& sender, const std::string& url, milliseconds* took = nullptr) {
  std::mutex m;
  std::condition_variable cv;
  std::optional<int> status;
  auto start = steady_clock::now();
  sender.Post({.url = url, .body = "{}"}, [&](int s) {
    std::lock_guard lock(m);
    status = s;
    cv.notify_all();
  });
  std::unique_lock lock(m);
  cv.wait_for(lock, std::chrono::seconds(20), [&] { return status.has_value(); });
  if (took) *took = std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
  return status.value_or(-1);
}

TEST(HttpWebhookSender, AnAnswerIsReadUpTo64KiB) {
  HttpWebhookSender sender({.timeout = milliseconds(3000)});
  // Status and headers are all a delivery reads: a huge body does not matter...
  RawReceiver big_body([](const std::string&) {
    return "HTTP/1.1 200 OK\r\nContent-Length: 4194304\r\n\r\n" + std::string(4 * 1024 * 1024, 'x');
  });
  EXPECT_EQ(DeliverOnce(sender, "http://127.0.0.1:" + std::to_string(big_body.port()) + "/"), 200);
  // ...headers beyond the cap are a failure.
  RawReceiver big_head([](const std::string&) {
    std::string head = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < 2000; ++i)
      head += "X-Pad-" + std::to_string(i) + ": " + std::string(60, 'y') + "\r\n";
    return head + "Content-Length: 0\r\n\r\n";
  });
  EXPECT_EQ(DeliverOnce(sender, "http://127.0.0.1:" + std::to_string(big_head.port()) + "/"), 0);
  sender.Shutdown();
}

TEST(HttpWebhookSender, ADeliveryEndsAtItsDeadlineWhateverTheReceiverDoes) {
  HttpWebhookSender sender({.timeout = milliseconds(800)});
  // One byte every 100 ms: every single read is quick, the whole answer never comes.
  RawReceiver drip([](const std::string&) { return "HTTP/1.1 200 OK\r\n" + std::string(200, 'X'); },
                   milliseconds(100));
  milliseconds took{0};
  EXPECT_EQ(DeliverOnce(sender, "http://127.0.0.1:" + std::to_string(drip.port()) + "/", &took), 0);
  EXPECT_GE(took, milliseconds(700));
  EXPECT_LT(took, milliseconds(2000));
  // A receiver that accepts and stays silent, while Shutdown waits: no longer than the deadline.
  RawReceiver silent([](const std::string&) { return std::string(); });
  std::optional<int> status;
  sender.Post({.url = "http://127.0.0.1:" + std::to_string(silent.port()) + "/", .body = "{}"},
              [&](int s) { status = s; });
  ASSERT_TRUE(WaitForConnections(silent, 1));
  auto start = steady_clock::now();
  sender.Shutdown();
  EXPECT_LT(steady_clock::now() - start, milliseconds(1500));
  EXPECT_EQ(status, 0);
}

TEST(HttpWebhookSender, AnHttpsDeliveryIsBoundedByTheSameDeadline) {
  // A loopback receiver that never speaks TLS: the handshake cannot finish, and the attempt ends
  // with status 0 within the delivery's deadline (the TLS path shares the bounded stream).
  HttpWebhookSender sender({.timeout = milliseconds(800)});
  RawReceiver plain([](const std::string&) { return std::string(); });
  milliseconds took{0};
  EXPECT_EQ(
      DeliverOnce(sender, "https://127.0.0.1:" + std::to_string(plain.port()) + "/hook", &took), 0);
  EXPECT_LT(took, milliseconds(2000));
  EXPECT_EQ(plain.connections(), 1);
  sender.Shutdown();
}

}  // namespace
}  // namespace restbox::mock
