// Named snapshots and the whole world (MockServer::World / LoadWorld / SaveSnapshot...), in
// process and without a store: records, settings, limiter counters, the chikage queue, webhook
// deliveries, fault rules and the clock come back exactly as they were. Time is a ManualClock.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "restbox/core/clock.hpp"
#include "restbox/mock/admin.hpp"
#include "restbox/mock/all.hpp"

namespace restbox::mock {
namespace {

using core::Json;
using core::Method;
using ::testing::HasSubstr;

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MockOptions options;
    options.clock = clock_;
    server_ = MakeMockServer(options);
    if (!server_->FindService("chikage")) GTEST_SKIP() << "chikage is not part of this build";
    key_ = server_->Fixtures()["chikage"]["test_key"].get<std::string>();
  }

  core::HttpResponse Call(Method method, const std::string& path, std::string body = {},
                          core::Headers headers = {}) {
    core::HttpRequest r;
    r.method = method;
    r.url = path;
    r.headers = std::move(headers);
    if (!body.empty()) r.headers.Set("Content-Type", "application/json");
    r.body = std::move(body);
    return server_->Process(std::move(r)).response;
  }
  core::HttpResponse Chikage(Method method, const std::string& path, std::string body = {},
                             const std::string& callback = {}) {
    core::Headers h;
    h.Set("Authorization", "Bearer " + key_);
    if (!callback.empty()) h.Set("X-Webhook-Callback", callback);
    return Call(method, path, std::move(body), std::move(h));
  }
  static Json Body(const core::HttpResponse& r) {
    auto parsed = core::ParseJson(r.body);
    return parsed.ok() ? parsed.value() : Json();
  }

  std::shared_ptr<core::ManualClock> clock_ = std::make_shared<core::ManualClock>();
  std::shared_ptr<MockServer> server_;
  std::string key_;
};

TEST_F(SnapshotTest, RestoreBringsBackTheWholeWorld) {
  // A world with something of everything: an applied record, a queued write (delay), a pending
  // delivery (the receiver fails), a fault rule, a setting, limiter counts and time travel.
  int hook_calls = 0;
  server_->in_process_webhooks()->Register("http://hooks.test/a", [&](const WebhookRequest&) {
    ++hook_calls;
    return 500;
  });
  auto created = Chikage(Method::kPost, "/api/v1/data/orders", R"({"order_id":"SNAP-1"})",
                         "http://hooks.test/a");
  ASSERT_EQ(created.status, 202) << created.body;
  const std::string id = Body(created)["id"].get<std::string>();
  server_->Tick();
  ASSERT_EQ(hook_calls, 1);
  ASSERT_FALSE(server_->PatchSettings("chikage", {{"queue_delay_ms", 60000}}));
  ASSERT_EQ(
      Chikage(Method::kPut, "/api/v1/data/orders/" + id, R"({"order_id":"SNAP-QUEUED"})").status,
      202);
  FaultRule rule;
  rule.match.endpoint = "get";
  rule.status = 503;
  rule.times = 3;
  server_->AddFault(rule);
  ASSERT_EQ(Call(Method::kPost, "/__restbox/clock/advance", R"({"seconds": 5})").status, 200);
  const Json before = server_->World();
  ASSERT_EQ(before["chikage"]["queue"].size(), 1u);
  ASSERT_EQ(before["chikage"]["webhook_deliveries"][0]["state"], "pending");
  ASSERT_FALSE(before["__limiter"].empty());

  SnapshotInfo info;
  ASSERT_FALSE(server_->SaveSnapshot("before-change", &info));
  EXPECT_EQ(info.name, "before-change");
  EXPECT_GT(info.bytes, 0u);

  // Change everything.
  server_->Reset();
  ASSERT_EQ(Chikage(Method::kPost, "/api/v1/data/orders", R"({"order_id":"OTHER"})").status, 202);
  server_->ClearFaults();
  ASSERT_NE(server_->World(), before);

  bool found = false;
  ASSERT_EQ(server_->RestoreSnapshot("before-change", &found), std::nullopt);
  EXPECT_TRUE(found);
  EXPECT_EQ(server_->World(), before);
  // And it runs on from there: the queued write applies when due, the delivery is retried.
  clock_->Advance(std::chrono::seconds(61));
  server_->Tick();
  EXPECT_EQ(hook_calls, 2);
  auto got = Chikage(Method::kGet, "/api/v1/data/orders/" + id);
  EXPECT_EQ(got.status, 503);  // the restored fault rule (3 times)
}

TEST_F(SnapshotTest, NamesListAndDelete) {
  ASSERT_FALSE(server_->SaveSnapshot("a"));
  ASSERT_FALSE(server_->SaveSnapshot("b.2_x-y"));
  auto bad = server_->SaveSnapshot("no/slash");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->field, "name");
  EXPECT_FALSE(server_->SaveSnapshot(std::string(65, 'x')) == std::nullopt);
  auto list = server_->Snapshots();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "a");
  EXPECT_TRUE(server_->DeleteSnapshot("a"));
  EXPECT_FALSE(server_->DeleteSnapshot("a"));
  bool found = true;
  EXPECT_THAT(server_->RestoreSnapshot("a", &found).value_or(""),
              HasSubstr("no snapshot named \"a\""));
  EXPECT_FALSE(found);
}

TEST_F(SnapshotTest, AdminApiRoutes) {
  auto made = Call(Method::kPost, "/__restbox/snapshots", R"({"name":"one"})");
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(Body(made)["name"], "one");
  auto typo = Call(Method::kPost, "/__restbox/snapshots", R"({"nmae":"one"})");
  EXPECT_EQ(typo.status, 400);
  EXPECT_EQ(Body(typo)["field"], "nmae");
  EXPECT_EQ(Body(typo)["valid"], Json::array({"name"}));
  EXPECT_EQ(Call(Method::kPost, "/__restbox/snapshots", R"({"name":7})").status, 400);
  EXPECT_EQ(Call(Method::kPost, "/__restbox/snapshots", R"({})").status, 400);
  auto list = Call(Method::kGet, "/__restbox/snapshots");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Body(list).size(), 1u);
  EXPECT_EQ(Call(Method::kPost, "/__restbox/snapshots/one/restore", R"({"force":true})").status,
            400);
  EXPECT_EQ(Call(Method::kPost, "/__restbox/snapshots/one/restore").status, 200);
  EXPECT_EQ(Call(Method::kPost, "/__restbox/snapshots/one/restore", "{}").status, 200);
  EXPECT_EQ(Call(Method::kPost, "/__restbox/snapshots/nope/restore").status, 404);
  EXPECT_EQ(Call(Method::kDelete, "/__restbox/snapshots/one").status, 200);
  EXPECT_EQ(Call(Method::kDelete, "/__restbox/snapshots/one").status, 404);
}

TEST_F(SnapshotTest, LoadWorldRefusesAForeignFormatAndBadFaults) {
  EXPECT_THAT(server_->LoadWorld(Json::array()).value_or(""), HasSubstr("JSON object"));
  EXPECT_THAT(server_->LoadWorld({{"__format", {{"name", "restbox-mock world"}, {"version", 9}}}})
                  .value_or(""),
              HasSubstr("version 9"));
  EXPECT_THAT(
      server_->LoadWorld({{"__faults", {{"rules", {{{"action", "explode"}}}}}}}).value_or(""),
      HasSubstr("__faults"));
}

}  // namespace
}  // namespace restbox::mock
