// HttpAdmin speaks the admin API to the letter: checked against a local cpp-httplib server that
// records what it receives and answers as the admin API documents.

#include <httplib.h>

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "http_admin.hpp"
#include "mock_process.hpp"
#include "restbox/transports/curl_transport.hpp"

namespace restbox::conformance {
namespace {

using contract::HttpAdmin;  // mock-server/contract/http_admin.hpp

struct Received {
  std::string method;
  std::string path;
  std::string body;
};

class FakeAdminServer final {
 public:
  FakeAdminServer() {
    server_.set_tcp_nodelay(true);
    server_.set_keep_alive_timeout(1);
    auto record = [this](const httplib::Request& req) {
      std::lock_guard lock(mutex_);
      received_.push_back({req.method, req.path, req.body});
    };
    auto json = [](httplib::Response& res, int status, const std::string& body) {
      res.status = status;
      res.set_content(body, "application/json");
    };
    server_.Get(
        "/__restbox/health", [record, json](const httplib::Request& req, httplib::Response& res) {
          record(req);
          json(res, 200, R"({"ok":true,"services":["chikage"],"now":"2026-01-01T00:00:00.000Z"})");
        });
    server_.Post("/__restbox/reset",
                 [record, json](const httplib::Request& req, httplib::Response& res) {
                   record(req);
                   json(res, 200, R"({"ok":true})");
                 });
    server_.Get("/__restbox/fixtures",
                [record, json](const httplib::Request& req, httplib::Response& res) {
                  record(req);
                  json(res, 200, R"({"chikage":{"slug":"orders"}})");
                });
    server_.Post("/__restbox/settings/(.+)",
                 [record, json](const httplib::Request& req, httplib::Response& res) {
                   record(req);
                   if (req.matches[1] != "chikage")
                     return json(res, 404, R"({"restbox_error":"unknown service"})");
                   if (req.body.find("bad") != std::string::npos)
                     return json(res, 400, R"({"restbox_error":"unknown setting: bad"})");
                   json(res, 200, R"({"queue_delay_ms":5})");
                 });
    server_.Post("/__restbox/clock/advance",
                 [record, json](const httplib::Request& req, httplib::Response& res) {
                   record(req);
                   json(res, 200, R"({"now":"2026-01-01T00:00:01.500Z"})");
                 });
    server_.Post("/__restbox/faults",
                 [record, json](const httplib::Request& req, httplib::Response& res) {
                   record(req);
                   if (req.body.find("\"action\"") == std::string::npos)
                     return json(res, 400, R"({"restbox_error":"action is required"})");
                   json(res, 201, R"({"id":1,"action":"status","status":503})");
                 });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs (it would then block forever): wait for it.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
  }
  ~FakeAdminServer() {
    server_.stop();
    thread_.join();
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Received> received_;
};

std::shared_ptr<core::Transport> Loopback() {
  transports::CurlOptions options;
  options.no_proxy = "127.0.0.1";
  return std::make_shared<transports::CurlTransport>(options);
}

class HttpAdminTest : public testing::Test {
 protected:
  void TearDown() override { admin_.reset(); }  // closes connections before the server stops
  FakeAdminServer server_;
  std::unique_ptr<HttpAdmin> admin_ =
      std::make_unique<HttpAdmin>(Loopback(), server_.base_url() + "/");
};

TEST_F(HttpAdminTest, SpeaksEachCallToTheAdminApi) {
  EXPECT_EQ(core::JsonValueOr<bool>(RunToCompletion(admin_->Health()), "ok", false), true);
  RunToCompletion(admin_->Reset());
  EXPECT_EQ(RunToCompletion(admin_->Fixtures()), (core::Json{{"chikage", {{"slug", "orders"}}}}));
  EXPECT_EQ(RunToCompletion(admin_->ApplySettings("chikage", {{"queue_delay_ms", 5}})),
            std::nullopt);
  RunToCompletion(admin_->AdvanceClock(core::Duration(1500)));
  RunToCompletion(admin_->AddFault({{"action", "status"}, {"status", 503}}));
  auto got = server_.received();
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got[0].method + " " + got[0].path, "GET /__restbox/health");
  EXPECT_EQ(got[1].method + " " + got[1].path, "POST /__restbox/reset");
  EXPECT_EQ(got[2].method + " " + got[2].path, "GET /__restbox/fixtures");
  EXPECT_EQ(got[3].method + " " + got[3].path, "POST /__restbox/settings/chikage");
  EXPECT_EQ(core::Json::parse(got[3].body), (core::Json{{"queue_delay_ms", 5}}));
  EXPECT_EQ(got[4].method + " " + got[4].path, "POST /__restbox/clock/advance");
  EXPECT_EQ(core::Json::parse(got[4].body), (core::Json{{"ms", 1500}}));
  EXPECT_EQ(got[5].method + " " + got[5].path, "POST /__restbox/faults");
  EXPECT_EQ(core::Json::parse(got[5].body), (core::Json{{"action", "status"}, {"status", 503}}));
}

TEST_F(HttpAdminTest, RefusedSettingsReturnTheServersMessage) {
  EXPECT_EQ(RunToCompletion(admin_->ApplySettings("chikage", {{"bad", 1}})),
            "unknown setting: bad");
  EXPECT_EQ(RunToCompletion(admin_->ApplySettings("nope", {{"x", 1}})), "unknown service");
}

TEST_F(HttpAdminTest, InvalidFaultThrowsInvalidArgument) {
  EXPECT_THROW(RunToCompletion(admin_->AddFault({{"status", 503}})), std::invalid_argument);
}

TEST_F(HttpAdminTest, UndocumentedAnswersThrow) {
  HttpAdmin wrong_root(Loopback(), server_.base_url() + "/elsewhere");
  EXPECT_THROW(RunToCompletion(wrong_root.Reset()), std::runtime_error);  // 404 instead of 200
}

TEST(HttpAdmin, UnreachableServerThrows) {
  MockProcess never_started("/nonexistent/restbox-mock");  // only its reserved, silent port
  HttpAdmin admin(Loopback(), never_started.base_url(), core::Duration(2000));
  EXPECT_THROW(RunToCompletion(admin.Reset()), std::runtime_error);
}

TEST(MockProcess, ReportsAMissingBinary) {
  MockProcess process("/nonexistent/restbox-mock");
  EXPECT_GT(process.port(), 0);
  EXPECT_NE(process.Start().find("not found"), std::string::npos);
  EXPECT_FALSE(process.running());
}

}  // namespace
}  // namespace restbox::conformance
