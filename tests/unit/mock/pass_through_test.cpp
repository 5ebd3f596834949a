// The engine's PassThrough seat (restbox-mock --proxy / --replay): what it answers replaces the
// services' handlers, is journaled with its source and problems, and GET /__restbox/problems
// lists the exchanges that differ from the contract. A fake PassThrough stands in for the proxy.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/mock/all.hpp"

namespace restbox::mock {
namespace {

using core::Json;
using core::Method;

// Answers inventory's requests (every one with a problem on $.data), throws for paths under
// /apiV1/explode, and lets the mock answer everything else.
class FakeUpstream final : public PassThrough {
 public:
  std::optional<PassThroughAnswer> Answer(const core::HttpRequest& request,
                                          const std::string& service,
                                          const std::string& endpoint) override {
    seen.push_back(service + " " + endpoint + " " + request.url);
    if (service != "inventory") return std::nullopt;
    if (request.url.starts_with("/apiV1/explode")) throw std::runtime_error("upstream exploded");
    PassThroughAnswer answer;
    answer.response.status = 200;
    answer.response.headers.Set("Content-Type", "application/json");
    answer.response.headers.Set("Content-Length", "25");
    answer.response.body = R"({"success":true,"data":7})";
    answer.source = "http://upstream.test" + request.url;
    answer.checked = true;
    answer.problems.push_back({"$.data", "object", "number"});
    return answer;
  }
  bool Handles(const std::string& service) const override { return service == "inventory"; }
  std::vector<std::string> seen;
};

class PassThroughTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MockOptions options;
    options.clock = std::make_shared<core::ManualClock>();
    options.pass_through = upstream_;
    server_ = MakeMockServer(options);
    for (const char* id : {"inventory", "chikage"}) {
      if (!server_->FindService(id)) GTEST_SKIP() << id << " is not part of this build";
    }
  }

  MockOutcome Send(Method method, const std::string& url, std::string body = {}) {
    core::HttpRequest r;
    r.method = method;
    r.url = url;
    r.headers.Set("Authorization", "Bearer tm_test_demo4d2f8a9c0b1e7f3a");
    r.body = std::move(body);
    return server_->Process(std::move(r));
  }
  Json Get(const std::string& admin_path) {
    auto out = Send(Method::kGet, admin_path);
    EXPECT_EQ(out.response.status, 200) << out.response.body;
    return Json::parse(out.response.body);
  }

  std::shared_ptr<FakeUpstream> upstream_ = std::make_shared<FakeUpstream>();
  std::shared_ptr<MockServer> server_;
};

TEST_F(PassThroughTest, ItsAnswersReplaceTheHandlersAndAreJournaledWithTheirProblems) {
  auto items = Send(Method::kGet, "/apiV1/items?page=1");
  EXPECT_EQ(items.response.status, 200);
  EXPECT_EQ(items.response.body, R"({"success":true,"data":7})");
  auto mocked = Send(Method::kGet, "/api/v1/data/orders/rec_demo000001");  // chikage: the mock's
  EXPECT_EQ(mocked.response.status, 200);
  EXPECT_NE(mocked.response.body.find("rec_demo000001"), std::string::npos);
  ASSERT_EQ(upstream_->seen.size(), 2u);
  EXPECT_EQ(upstream_->seen[0], "inventory items.list /apiV1/items?page=1");
  EXPECT_EQ(upstream_->seen[1], "chikage get /api/v1/data/orders/rec_demo000001");

  Json journal = Get("/__restbox/journal");
  ASSERT_EQ(journal.size(), 2u);
  EXPECT_EQ(journal[0]["service"], "inventory");
  EXPECT_EQ(journal[0]["endpoint"], "items.list");
  EXPECT_EQ(journal[0]["status"], 200);
  EXPECT_EQ(journal[0]["upstream"], "http://upstream.test/apiV1/items?page=1");
  EXPECT_EQ(journal[0]["problems"],
            Json::parse(R"([{"path":"$.data","expected":"object","actual":"number"}])"));
  EXPECT_EQ(journal[0]["request_headers"]["Authorization"], "Bearer tm_test_****7f3a");
  EXPECT_FALSE(journal[1].contains("upstream"));  // the mock's own answer
  EXPECT_FALSE(journal[1].contains("problems"));

  Json problems = Get("/__restbox/problems");
  EXPECT_EQ(problems["checked"], 1);
  EXPECT_EQ(problems["with_problems"], 1);
  ASSERT_EQ(problems["exchanges"].size(), 1u);
  const Json& p = problems["exchanges"][0];
  EXPECT_EQ(p["seq"], journal[0]["seq"]);
  EXPECT_EQ(p["method"], "GET");
  EXPECT_EQ(p["url"], "/apiV1/items?page=1");
  EXPECT_EQ(p["upstream"], journal[0]["upstream"]);
  EXPECT_EQ(p["problems"], journal[0]["problems"]);
  EXPECT_FALSE(p.contains("response_body"));
}

TEST_F(PassThroughTest, AnUnroutedPathOfTheServiceGoesThereWithoutAnEndpoint) {
  EXPECT_EQ(Send(Method::kGet, "/apiV1/not-in-the-table").response.status, 200);
  EXPECT_EQ(upstream_->seen.back(), "inventory  /apiV1/not-in-the-table");
  EXPECT_EQ(Send(Method::kGet, "/nobody/owns/this").response.status, 404);  // the mock's 404
  EXPECT_EQ(upstream_->seen.back(), "  /nobody/owns/this");
}

TEST_F(PassThroughTest, HeadKeepsTheAnswersLengthWithoutItsBody) {
  auto head = Send(Method::kHead, "/apiV1/items");
  EXPECT_EQ(head.response.status, 200);
  EXPECT_EQ(head.response.body, "");
  EXPECT_EQ(head.response.headers.GetOr("Content-Length", ""), "25");
}

TEST_F(PassThroughTest, AThrowingPassThroughIsA502AndAdminRequestsNeverReachIt) {
  auto failed = Send(Method::kGet, "/apiV1/explode");
  EXPECT_EQ(failed.response.status, 502);
  EXPECT_NE(failed.response.body.find("upstream exploded"), std::string::npos);
  const auto before = upstream_->seen.size();
  Get("/__restbox/health");
  Get("/__restbox/problems?limit=1");
  EXPECT_EQ(upstream_->seen.size(), before);
}

TEST_F(PassThroughTest, ProblemsAreClearedByTheirDeleteAndByReset) {
  Send(Method::kGet, "/apiV1/items");
  Send(Method::kGet, "/apiV1/items");
  EXPECT_EQ(Get("/__restbox/problems")["exchanges"].size(), 2u);
  EXPECT_EQ(Get("/__restbox/problems?limit=1")["exchanges"].size(), 1u);
  EXPECT_EQ(Send(Method::kGet, "/__restbox/problems?limit=x").response.status, 400);
  EXPECT_EQ(Send(Method::kDelete, "/__restbox/problems").response.status, 200);
  EXPECT_EQ(Get("/__restbox/problems"),
            Json::parse(R"({"checked":0,"with_problems":0,"exchanges":[]})"));
  Send(Method::kGet, "/apiV1/items");
  EXPECT_EQ(Send(Method::kPost, "/__restbox/reset").response.status, 200);
  EXPECT_EQ(Get("/__restbox/problems")["checked"], 0);
}

TEST_F(PassThroughTest, FaultRulesPreferAndLatencyApplyBeforeForwarding) {
  auto add = [&](const std::string& rule) {
    EXPECT_EQ(Send(Method::kPost, "/__restbox/faults", rule).response.status, 201);
  };
  // A status rule answers the mock's documented body of that status; the upstream never sees it.
  add(R"({"service":"inventory","endpoint":"items.list","action":"status","status":503,"times":1})");
  auto forced = Send(Method::kGet, "/apiV1/items");
  EXPECT_EQ(forced.response.status, 503);
  EXPECT_EQ(forced.response.body.find("\"data\":7"), std::string::npos) << forced.response.body;
  EXPECT_TRUE(upstream_->seen.empty());
  EXPECT_EQ(Send(Method::kGet, "/apiV1/items").response.status, 200);  // `times` used up
  EXPECT_EQ(upstream_->seen.size(), 1u);

  Json journal = Get("/__restbox/journal");
  ASSERT_EQ(journal.size(), 2u);
  EXPECT_EQ(journal[0]["status"], 503);
  EXPECT_EQ(journal[0]["fault"], "fault status 503");
  EXPECT_FALSE(journal[0].contains("upstream"));
  EXPECT_TRUE(journal[1].contains("upstream"));

  // A latency rule delays the forwarded answer.
  add(R"({"service":"inventory","action":"latency","latency_ms":250,"times":1})");
  auto slow = Send(Method::kGet, "/apiV1/items");
  EXPECT_EQ(slow.response.status, 200);
  EXPECT_EQ(slow.delay, core::Duration(250));
  EXPECT_EQ(upstream_->seen.size(), 2u);

  // Prefer: code= forces a documented status here too.
  core::HttpRequest r;
  r.method = Method::kGet;
  r.url = "/apiV1/items";
  r.headers.Set("Prefer", "code=401");
  EXPECT_EQ(server_->Process(r).response.status, 401);
  EXPECT_EQ(upstream_->seen.size(), 2u);

  // A service the pass-through does not handle is forced once, by the engine (one `times`).
  add(R"({"service":"chikage","action":"status","status":500,"times":1})");
  EXPECT_EQ(Send(Method::kGet, "/api/v1/data/orders/rec_demo000001").response.status, 500);
  EXPECT_EQ(Send(Method::kGet, "/api/v1/data/orders/rec_demo000001").response.status, 200);
}

TEST(PassThroughAbsent, AMockWithoutOneHasNoProblems) {
  auto server = MakeMockServer();
  core::HttpRequest r;
  r.url = "/__restbox/problems";
  auto out = server->Process(r);
  EXPECT_EQ(out.response.status, 200);
  EXPECT_EQ(Json::parse(out.response.body),
            Json::parse(R"({"checked":0,"with_problems":0,"exchanges":[]})"));
}

}  // namespace
}  // namespace restbox::mock
