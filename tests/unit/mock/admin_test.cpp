// The admin API under /__restbox/ (mock-server/core/admin.hpp), in-process: every row of the
// table, its errors, and what admin requests must never get (journal, faults, Prefer). Uses the
// chikage module as the service under the engine (skipped in builds without it); time is a
// ManualClock.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/mock/admin.hpp"
#include "restbox/mock/all.hpp"

namespace restbox::mock {
namespace {

using core::Json;
using core::Method;
using ::testing::HasSubstr;

class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MockOptions options;
    options.clock = clock_;
    server_ = MakeMockServer(options);
    if (!server_->FindService("chikage")) GTEST_SKIP() << "chikage is not part of this build";
    fix_ = server_->Fixtures()["chikage"];
  }

  core::HttpResponse Admin(Method method, const std::string& path, std::string body = {},
                           core::Headers headers = {}) {
    core::HttpRequest r;
    r.method = method;
    r.url = path;
    r.headers = std::move(headers);
    r.body = std::move(body);
    return server_->Process(std::move(r)).response;
  }

  core::HttpResponse Service(Method method, const std::string& path, std::string body = {}) {
    core::HttpRequest r;
    r.method = method;
    r.url = path;
    r.headers.Set("Authorization", "Bearer " + fix_["test_key"].get<std::string>());
    if (!body.empty()) r.headers.Set("Content-Type", "application/json");
    r.body = std::move(body);
    return server_->Process(std::move(r)).response;
  }

  std::string RecordPath() const {
    return "/api/v1/data/" + fix_["slug"].get<std::string>() + "/" +
           fix_["test_record_id"].get<std::string>();
  }

  static Json Body(const core::HttpResponse& r) {
    auto parsed = core::ParseJson(r.body);
    EXPECT_TRUE(parsed.ok()) << r.body;
    return parsed.ok() ? parsed.value() : Json();
  }

  // Every admin error has the mock's own shape.
  static void ExpectRestboxError(const core::HttpResponse& r, int status,
                                 const std::string& fragment = {}) {
    EXPECT_EQ(r.status, status) << r.body;
    Json body = Body(r);
    ASSERT_TRUE(body.contains("restbox_error")) << r.body;
    EXPECT_THAT(body["restbox_error"].get<std::string>(), HasSubstr(fragment));
    EXPECT_EQ(r.headers.GetOr("X-Restbox-Error", ""), "1");
  }

  std::shared_ptr<core::ManualClock> clock_ = std::make_shared<core::ManualClock>();
  std::shared_ptr<MockServer> server_;
  Json fix_;
};

TEST(AdminPath, RecognisesTheAdminTreeOnly) {
  EXPECT_TRUE(IsAdminPath("/__restbox/health"));
  EXPECT_TRUE(IsAdminPath("/__restbox/"));
  EXPECT_TRUE(IsAdminPath("/__restbox"));
  EXPECT_FALSE(IsAdminPath("/__restboxx/health"));
  EXPECT_FALSE(IsAdminPath("/api/v1/__restbox/health"));
  EXPECT_FALSE(IsAdminPath("/"));
}

TEST_F(AdminTest, HealthListsTheServicesAndTheMockTime) {
  auto r = Admin(Method::kGet, "/__restbox/health");
  ASSERT_EQ(r.status, 200);
  EXPECT_THAT(r.headers.GetOr("Content-Type", ""), HasSubstr("application/json"));
  Json body = Body(r);
  EXPECT_EQ(body["ok"], true);
  EXPECT_EQ(body["services"], Json(server_->ServiceIds()));
  EXPECT_EQ(body["now"], core::FormatIso8601(clock_->Now()));
}

TEST_F(AdminTest, FixturesAreTheServersFixtures) {
  auto r = Admin(Method::kGet, "/__restbox/fixtures");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Body(r), server_->Fixtures());
}

TEST_F(AdminTest, SettingsAreReadAndPatched) {
  auto get = Admin(Method::kGet, "/__restbox/settings/chikage");
  ASSERT_EQ(get.status, 200);
  EXPECT_EQ(Body(get), *server_->Settings("chikage"));

  auto post = Admin(Method::kPost, "/__restbox/settings/chikage", R"({"monthly_quota": 7})");
  ASSERT_EQ(post.status, 200) << post.body;
  EXPECT_EQ(Body(post)["monthly_quota"], 7);
  EXPECT_EQ((*server_->Settings("chikage"))["monthly_quota"], 7);
}

TEST_F(AdminTest, AnInvalidSettingsPatchChangesNothing) {
  Json before = *server_->Settings("chikage");
  ExpectRestboxError(Admin(Method::kPost, "/__restbox/settings/chikage",
                           R"({"monthly_quota": 9, "no_such": true})"),
                     400, "no_such");
  ExpectRestboxError(
      Admin(Method::kPost, "/__restbox/settings/chikage", R"({"monthly_quota": "lots"})"), 400);
  ExpectRestboxError(Admin(Method::kPost, "/__restbox/settings/chikage", "{not json"), 400,
                     "JSON object");
  ExpectRestboxError(Admin(Method::kPost, "/__restbox/settings/chikage", "[1,2]"), 400,
                     "JSON object");
  ExpectRestboxError(Admin(Method::kPost, "/__restbox/settings/chikage", ""), 400);
  EXPECT_EQ(*server_->Settings("chikage"), before);
}

TEST_F(AdminTest, SettingsOfAnUnknownServiceAre404) {
  ExpectRestboxError(Admin(Method::kGet, "/__restbox/settings/nope"), 404, "nope");
  ExpectRestboxError(Admin(Method::kPost, "/__restbox/settings/nope", "{}"), 404, "nope");
}

TEST_F(AdminTest, ResetRestoresTheFixtureState) {
  Json initial = server_->State();
  ASSERT_EQ(Service(Method::kPost, "/api/v1/data/orders", R"({"order_id":"A-1"})").status, 202);
  server_->Tick();
  ASSERT_NE(server_->State(), initial);
  ASSERT_EQ(Admin(Method::kPost, "/__restbox/settings/chikage", R"({"monthly_quota": 3})").status,
            200);

  auto r = Admin(Method::kPost, "/__restbox/reset");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Body(r), (Json{{"ok", true}}));
  EXPECT_EQ(server_->State(), initial);
  EXPECT_TRUE(server_->Journal().empty());
}

TEST_F(AdminTest, FaultRulesAreAddedListedAppliedAndRemoved) {
  auto added = Admin(Method::kPost, "/__restbox/faults",
                     R"({"action":"status","status":503,"service":"chikage","times":-1})");
  ASSERT_EQ(added.status, 201) << added.body;
  Json rule = Body(added);
  ASSERT_TRUE(rule["id"].is_number_unsigned());
  EXPECT_EQ(rule["status"], 503);
  EXPECT_EQ(rule["action"], "status");

  auto list = Admin(Method::kGet, "/__restbox/faults");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(Body(list).size(), 1u);
  EXPECT_EQ(Body(list)[0], rule);
  EXPECT_EQ(Service(Method::kGet, RecordPath()).status, 503);

  std::string id = std::to_string(rule["id"].get<std::uint64_t>());
  auto removed = Admin(Method::kDelete, "/__restbox/faults/" + id);
  ASSERT_EQ(removed.status, 200);
  EXPECT_EQ(Body(removed), (Json{{"ok", true}}));
  EXPECT_TRUE(server_->Faults().empty());
  EXPECT_EQ(Service(Method::kGet, RecordPath()).status, 200);
  ExpectRestboxError(Admin(Method::kDelete, "/__restbox/faults/" + id), 404, id);
  ExpectRestboxError(Admin(Method::kDelete, "/__restbox/faults/abc"), 404);
}

TEST_F(AdminTest, InvalidFaultRulesAre400) {
  ExpectRestboxError(Admin(Method::kPost, "/__restbox/faults", R"({"action":"explode"})"), 400,
                     "explode");
  ExpectRestboxError(Admin(Method::kPost, "/__restbox/faults", R"({"status":99})"), 400, "status");
  ExpectRestboxError(Admin(Method::kPost, "/__restbox/faults", R"({"action":"latency"})"), 400,
                     "latency_ms");
  ExpectRestboxError(Admin(Method::kPost, "/__restbox/faults", "nope"), 400);
  EXPECT_TRUE(server_->Faults().empty());
}

TEST_F(AdminTest, DeletingAllFaultsClearsThem) {
  server_->ForceStatus(500, {}, 5);
  server_->ForceStatus(502, {}, 5);
  auto r = Admin(Method::kDelete, "/__restbox/faults");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(server_->Faults().empty());
}

TEST_F(AdminTest, ClockIsReadAndAdvanced) {
  auto start = clock_->Now();
  auto get = Admin(Method::kGet, "/__restbox/clock");
  ASSERT_EQ(get.status, 200);
  EXPECT_EQ(Body(get)["now"], core::FormatIso8601(start));

  auto by_seconds = Admin(Method::kPost, "/__restbox/clock/advance", R"({"seconds": 90})");
  ASSERT_EQ(by_seconds.status, 200) << by_seconds.body;
  EXPECT_EQ(Body(by_seconds)["now"], core::FormatIso8601(start + std::chrono::seconds(90)));
  auto by_ms = Admin(Method::kPost, "/__restbox/clock/advance", R"({"ms": 250})");
  ASSERT_EQ(by_ms.status, 200);
  EXPECT_EQ(Body(by_ms)["now"], core::FormatIso8601(start + std::chrono::milliseconds(90250)));
  EXPECT_EQ(server_->Now(), start + std::chrono::milliseconds(90250));
  auto zero = Admin(Method::kPost, "/__restbox/clock/advance", R"({"seconds": 0})");
  EXPECT_EQ(zero.status, 200);
}

TEST_F(AdminTest, InvalidClockAdvancesAre400AndLeaveTimeAlone) {
  auto start = server_->Now();
  for (const char* body : {R"({"seconds": -1})", R"({"ms": "5"})", R"({})",
                           R"({"seconds": 1, "ms": 1})", R"({"seconds": 100000000})", "[]", "x"}) {
    SCOPED_TRACE(body);
    ExpectRestboxError(Admin(Method::kPost, "/__restbox/clock/advance", body), 400);
  }
  EXPECT_EQ(server_->Now(), start);
}

TEST_F(AdminTest, JournalIsLimitedClearedAndNeverRecordsAdminCalls) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Service(Method::kGet, RecordPath()).status, 200);
  Admin(Method::kGet, "/__restbox/health");
  auto all = Admin(Method::kGet, "/__restbox/journal");
  ASSERT_EQ(all.status, 200);
  Json entries = Body(all);
  ASSERT_EQ(entries.size(), 3u);  // the admin calls are not there
  for (const auto& e : entries) EXPECT_EQ(e["service"], "chikage");
  EXPECT_LT(entries[0]["seq"].get<int>(), entries[2]["seq"].get<int>());  // newest last

  auto last = Admin(Method::kGet, "/__restbox/journal?limit=1");
  ASSERT_EQ(Body(last).size(), 1u);
  EXPECT_EQ(Body(last)[0], entries[2]);
  ExpectRestboxError(Admin(Method::kGet, "/__restbox/journal?limit=-1"), 400, "limit");
  ExpectRestboxError(Admin(Method::kGet, "/__restbox/journal?limit=two"), 400, "limit");

  ASSERT_EQ(Admin(Method::kDelete, "/__restbox/journal").status, 200);
  EXPECT_TRUE(server_->Journal().empty());
}

TEST_F(AdminTest, StateIsTheServersState) {
  auto r = Admin(Method::kGet, "/__restbox/state");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Body(r), server_->State());
}

TEST_F(AdminTest, OpenApiIsServedPerService) {
  core::Headers headers{{"Host", "127.0.0.1:9999"}};
  auto r = Admin(Method::kGet, "/__restbox/openapi/chikage.json", {}, headers);
  ASSERT_EQ(r.status, 200);
  Json doc = Body(r);
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_EQ(doc["servers"][0]["url"], "http://127.0.0.1:9999");  // try-it calls reach this mock
  EXPECT_EQ(doc, *OpenApiDocument(*server_, "chikage", "http://127.0.0.1:9999"));

  ExpectRestboxError(Admin(Method::kGet, "/__restbox/openapi/nope.json"), 404, "nope.json");
  ExpectRestboxError(Admin(Method::kGet, "/__restbox/openapi/chikage"), 404);
  EXPECT_FALSE(OpenApiDocument(*server_, "nope"));
}

TEST_F(AdminTest, UnknownAdminPathsAre404AndWrongMethods405) {
  ExpectRestboxError(Admin(Method::kGet, "/__restbox/nothing"), 404, "/__restbox/nothing");
  ExpectRestboxError(Admin(Method::kGet, "/__restbox"), 404);
  ExpectRestboxError(Admin(Method::kGet, "/__restbox/health/extra"), 404);

  auto post_health = Admin(Method::kPost, "/__restbox/health");
  ExpectRestboxError(post_health, 405);
  EXPECT_EQ(post_health.headers.GetOr("Allow", ""), "GET, HEAD");
  auto put_faults = Admin(Method::kPut, "/__restbox/faults");
  ExpectRestboxError(put_faults, 405);
  EXPECT_EQ(put_faults.headers.GetOr("Allow", ""), "GET, HEAD, POST, DELETE");
  auto get_fault = Admin(Method::kGet, "/__restbox/faults/1");
  ExpectRestboxError(get_fault, 405);
  EXPECT_EQ(get_fault.headers.GetOr("Allow", ""), "DELETE");
}

TEST_F(AdminTest, FaultsAndPreferNeverApplyToAdminRequests) {
  FaultRule drop;
  drop.action = FaultAction::kDrop;
  server_->AddFault(drop);  // matches every service request
  core::HttpRequest request;
  request.url = "/__restbox/health";
  request.headers.Set("Prefer", "code=503");
  request.headers.Set("X-Request-Id", "admin-rid-1");
  MockOutcome outcome = server_->Process(request);
  EXPECT_FALSE(outcome.drop);
  EXPECT_EQ(outcome.delay, core::Duration::zero());
  EXPECT_EQ(outcome.response.status, 200);
  EXPECT_EQ(outcome.response.headers.GetOr("X-Request-Id", ""), "admin-rid-1");
  EXPECT_EQ(server_->Faults().size(), 1u);  // not consumed
  EXPECT_TRUE(server_->Journal().empty());
}

TEST_F(AdminTest, AbsoluteUrlsReachTheAdminApiToo) {
  auto r = Admin(Method::kGet, "http://localhost:8080/__restbox/openapi/chikage.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Body(r)["servers"][0]["url"], "http://localhost:8080");
  EXPECT_EQ(r.headers.GetOr("Cache-Control", ""), "no-store");
}

// The windows of the chikage limiter key whose masked form ends like `key`'s last 4 characters.
const Json* FindLimiterKey(const Json& limits, const std::string& key) {
  for (const auto& k : limits["keys"]) {
    const std::string shown = k["key"].get<std::string>();
    if (k["service"] == "chikage" && shown.ends_with(key.substr(key.size() - 4))) return &k;
  }
  return nullptr;
}

TEST_F(AdminTest, LimitsShowEachKeysWindowsFillingUpWithSecretsMasked) {
  const std::string key = fix_["test_key"];
  auto before = Admin(Method::kGet, "/__restbox/limits");
  ASSERT_EQ(before.status, 200) << before.body;
  Json limits = Body(before);
  EXPECT_EQ(limits["enabled"], true);
  EXPECT_EQ(limits["now"], core::FormatIso8601(clock_->Now()));
  const Json* owner = FindLimiterKey(limits, key);
  ASSERT_NE(owner, nullptr) << limits.dump();
  ASSERT_EQ((*owner)["windows"].size(), 1u);
  const Json month = (*owner)["windows"][0];
  EXPECT_EQ(month["name"], "month");
  const auto used_before = month["used"].get<long long>();

  ASSERT_EQ(Service(Method::kGet, RecordPath()).status, 200);
  ASSERT_EQ(Service(Method::kGet, RecordPath()).status, 200);
  Json after = Body(Admin(Method::kGet, "/__restbox/limits"));
  owner = FindLimiterKey(after, key);
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ((*owner)["windows"][0]["used"].get<long long>(), used_before + 2);
  EXPECT_EQ((*owner)["windows"][0]["limit"], month["limit"]);
  EXPECT_EQ((*owner)["windows"][0]["resets_at"],
            core::FormatIso8601(core::WindowEnd(core::WindowUnit::kMonth, clock_->Now())));
  // No credential appears in clear.
  EXPECT_EQ(after.dump().find(key), std::string::npos);
  EXPECT_EQ(after.dump().find(fix_["quota_exhausted_key"].get<std::string>()), std::string::npos);
}

TEST_F(AdminTest, ConfigIsReadAndPatched) {
  auto get = Admin(Method::kGet, "/__restbox/config");
  ASSERT_EQ(get.status, 200);
  EXPECT_EQ(Body(get), (Json{{"latency_ms", 0}, {"limits_enabled", true}}));

  auto set =
      Admin(Method::kPost, "/__restbox/config", R"({"latency_ms": 250, "limits_enabled": false})");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(Body(set), (Json{{"latency_ms", 250}, {"limits_enabled", false}}));
  EXPECT_EQ(server_->latency(), core::Duration(250));
  EXPECT_FALSE(server_->limits_enabled());
  EXPECT_EQ(Body(Admin(Method::kGet, "/__restbox/limits"))["enabled"], false);

  // The quota-exhausted key passes while limits are off.
  core::Headers quota{
      {"Authorization", "Bearer " + fix_["quota_exhausted_key"].get<std::string>()}};
  EXPECT_EQ(Admin(Method::kGet, RecordPath(), {}, quota).status, 200);
  // Only latency changes; the other member keeps its value.
  auto partial = Admin(Method::kPost, "/__restbox/config", R"({"latency_ms": 0})");
  EXPECT_EQ(Body(partial), (Json{{"latency_ms", 0}, {"limits_enabled", false}}));
}

TEST_F(AdminTest, BadConfigPatchesAre400AndChangeNothing) {
  for (const char* body :
       {R"({"latency_ms": -1})", R"({"latency_ms": "slow"})", R"({"limits_enabled": 1})",
        R"({"latency_ms": 5, "colour": "red"})", R"([1])", "not json"}) {
    ExpectRestboxError(Admin(Method::kPost, "/__restbox/config", body), 400);
  }
  ExpectRestboxError(Admin(Method::kPost, "/__restbox/config", R"({"colour": 1})"), 400, "colour");
  EXPECT_EQ(server_->latency(), core::Duration(0));
  EXPECT_TRUE(server_->limits_enabled());
  EXPECT_EQ(Admin(Method::kDelete, "/__restbox/limits").status, 405);
}

// ---- Refusals name the member and list what is valid (issue 10) -------------------------------

std::vector<std::string> Strings(const Json& list) {
  std::vector<std::string> out;
  for (const auto& v : list) out.push_back(v.get<std::string>());
  return out;
}

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

TEST_F(AdminTest, AFaultRuleWithAnUnknownFieldIsRefusedWithTheValidFields) {
  // The typo that used to be taken for a rule matching everything (201, then 503 for every API).
  auto r = Admin(Method::kPost, "/__restbox/faults", R"({"servce":"chikage"})");
  ExpectRestboxError(
      r, 400,
      "unknown field \"servce\" in fault rule; valid fields: service, endpoint, method, "
      "path_prefix, action, status, latency_ms, times, message, id");
  Json body = Body(r);
  EXPECT_EQ(body["field"], "servce");
  EXPECT_EQ(Strings(body["valid"]), FaultRuleFields());
  EXPECT_TRUE(server_->Faults().empty());
  EXPECT_EQ(Service(Method::kGet, RecordPath()).status, 200);
}

TEST_F(AdminTest, AFaultRuleForAnUnknownServiceIsRefusedWithTheServices) {
  auto r = Admin(Method::kPost, "/__restbox/faults", R"({"service":"chikagee"})");
  ExpectRestboxError(r, 400,
                     "unknown service \"chikagee\" in fault rule; valid services: " +
                         Joined(server_->ServiceIds()));
  EXPECT_EQ(Body(r)["field"], "service");
  EXPECT_EQ(Strings(Body(r)["valid"]), server_->ServiceIds());
  EXPECT_TRUE(server_->Faults().empty());
}

TEST_F(AdminTest, AFaultRuleForAnUnknownEndpointIsRefusedWithThatServicesEndpoints) {
  std::vector<std::string> ids;
  for (const auto& ep : server_->FindService("chikage")->Spec().endpoints) ids.push_back(ep.id);
  auto r = Admin(Method::kPost, "/__restbox/faults", R"({"service":"chikage","endpoint":"creat"})");
  ExpectRestboxError(
      r, 400, "unknown endpoint \"creat\" of service chikage; valid endpoints: " + Joined(ids));
  EXPECT_EQ(Body(r)["field"], "endpoint");
  EXPECT_EQ(Strings(Body(r)["valid"]), ids);
  // Without a service, an id of any service is accepted and a wrong one lists them all.
  auto any = Admin(Method::kPost, "/__restbox/faults", R"({"endpoint":"no-such-endpoint"})");
  ExpectRestboxError(any, 400, "unknown endpoint \"no-such-endpoint\" in any service");
  EXPECT_THAT(Strings(Body(any)["valid"]), ::testing::IsSupersetOf(ids));
  EXPECT_TRUE(server_->Faults().empty());
  EXPECT_EQ(Admin(Method::kPost, "/__restbox/faults", R"({"endpoint":"create","times":1})").status,
            201);
}

TEST_F(AdminTest, FaultRuleMembersOfTheWrongTypeOrOutOfRangeAreRefusedSayingWhatIsExpected) {
  struct Case {
    const char* body;
    const char* field;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"status":"503"})", "status",
            "status must be a final HTTP status, an integer from 200 to 599; got \"503\" (a "
            "string)"},
           {R"({"status":99})", "status",
            "status must be a final HTTP status, an integer from 200 to 599; got 99 (a number)"},
           {R"({"status":100})", "status",
            "status must be a final HTTP status, an integer from 200 to 599; got 100 (a number)"},
           {R"({"service":5})", "service", "service must be a string; got 5 (a number)"},
           {R"({"latency_ms":-1})", "latency_ms", "latency_ms must be milliseconds"},
           {R"({"action":"latency"})", "latency_ms", "latency_ms is required for a latency fault"},
           {R"({"path_prefix":"api/"})", "path_prefix",
            "path_prefix must be a path starting with \"/\""},
       }) {
    SCOPED_TRACE(c.body);
    auto r = Admin(Method::kPost, "/__restbox/faults", c.body);
    ExpectRestboxError(r, 400, c.message);
    EXPECT_EQ(Body(r)["field"], c.field);
    EXPECT_TRUE(Body(r).contains("expected")) << r.body;
  }
  auto action = Admin(Method::kPost, "/__restbox/faults", R"({"action":"explode"})");
  ExpectRestboxError(
      action, 400,
      "unknown action \"explode\" in fault rule; valid actions: status, latency, fail_first, drop");
  EXPECT_EQ(Strings(Body(action)["valid"]),
            (std::vector<std::string>{"status", "latency", "fail_first", "drop"}));
  auto typed_action = Admin(Method::kPost, "/__restbox/faults", R"({"action":1})");
  ExpectRestboxError(typed_action, 400,
                     "action must be one of: status, latency, fail_first, drop; got 1");
  auto method = Admin(Method::kPost, "/__restbox/faults", R"({"method":"FETCH"})");
  ExpectRestboxError(method, 400,
                     "unknown method \"FETCH\" in fault rule; valid methods: GET, POST, PUT, "
                     "DELETE, PATCH, HEAD, OPTIONS");
  EXPECT_EQ(Body(method)["field"], "method");
  EXPECT_TRUE(server_->Faults().empty());
}

TEST_F(AdminTest, BadTimesAreRefusedAndTheDefaultsAreForeverExceptFailFirst) {
  for (const char* body : {R"({"times":0})", R"({"times":-2})", R"({"times":"3"})",
                           R"({"times":1.5})", R"({"times":true})", R"({"times":2000000000})"}) {
    SCOPED_TRACE(body);
    auto r = Admin(Method::kPost, "/__restbox/faults", body);
    ExpectRestboxError(r, 400, "times must be -1 (forever) or a count from 1 to 1000000000; got ");
    EXPECT_EQ(Body(r)["field"], "times");
    EXPECT_EQ(Body(r)["expected"], "-1 (forever) or a count from 1 to 1000000000");
  }
  EXPECT_TRUE(server_->Faults().empty());
  // The documented defaults (mock-server/README.md, "Admin API").
  for (auto [body, times] :
       std::vector<std::pair<const char*, int>>{{R"({"action":"status"})", -1},
                                                {R"({"action":"latency","latency_ms":5})", -1},
                                                {R"({"action":"drop"})", -1},
                                                {R"({"action":"fail_first"})", 1},
                                                {R"({})", -1}}) {
    SCOPED_TRACE(body);
    auto r = Admin(Method::kPost, "/__restbox/faults", body);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(Body(r)["times"], times);
  }
}

TEST_F(AdminTest, AnUnknownSettingIsCalledUnknownAndTheValidNamesAreListedWithKeysMasked) {
  // A number for an unknown name: this used to answer "must be true or false".
  auto r =
      Admin(Method::kPost, "/__restbox/settings/chikage", R"({"monthly_quota": 9, "no_such": 1})");
  ExpectRestboxError(r, 400, "unknown setting \"no_such\" for chikage; valid settings: ");
  Json body = Body(r);
  EXPECT_EQ(body["field"], "no_such");
  std::vector<std::string> valid = Strings(body["valid"]);
  EXPECT_THAT(valid, ::testing::Contains("monthly_quota"));
  EXPECT_THAT(valid, ::testing::Contains("queue_delay_ms"));
  EXPECT_EQ(valid.size(), server_->Settings("chikage")->size());
  EXPECT_THAT(body["restbox_error"].get<std::string>(),
              HasSubstr("names holding a key are masked"));
  // The names of key settings hold the keys: never in clear in an error.
  for (const char* secret : {"test_key", "live_key", "disabled_key", "quota_exhausted_key"})
    EXPECT_EQ(r.body.find(fix_[secret].get<std::string>()), std::string::npos) << secret;
  EXPECT_NE((*server_->Settings("chikage"))["monthly_quota"], 9);  // nothing applied

  auto typed = Admin(Method::kPost, "/__restbox/settings/chikage", R"({"monthly_quota": "lots"})");
  ExpectRestboxError(typed, 400, "monthly_quota must be");
  EXPECT_EQ(Body(typed)["field"], "monthly_quota");

  auto service = Admin(Method::kPost, "/__restbox/settings/chikagee", "{}");
  ExpectRestboxError(
      service, 404,
      "unknown service \"chikagee\"; valid services: " + Joined(server_->ServiceIds()));
  EXPECT_EQ(Strings(Body(service)["valid"]), server_->ServiceIds());
  // The in-process API says the same.
  auto message = server_->ApplySettings("chikage", Json{{"no_such", true}});
  ASSERT_TRUE(message);
  EXPECT_THAT(*message, HasSubstr("unknown setting \"no_such\" for chikage; valid settings: "));
}

TEST_F(AdminTest, BadClockStepsSayWhatIsExpectedInWords) {
  auto typed = Admin(Method::kPost, "/__restbox/clock/advance", R"({"seconds": "5"})");
  ExpectRestboxError(
      typed, 400,
      "seconds must be a number of seconds, zero or more, at most 366 days (31622400 s); "
      "got \"5\" (a string)");
  EXPECT_EQ(Body(typed)["field"], "seconds");
  EXPECT_EQ(Body(typed)["expected"],
            "a number of seconds, zero or more, at most 366 days (31622400 s)");
  ExpectRestboxError(Admin(Method::kPost, "/__restbox/clock/advance", R"({"ms": -1})"), 400,
                     "ms must be a number of milliseconds, zero or more");
  ExpectRestboxError(Admin(Method::kPost, "/__restbox/clock/advance", R"({"seconds": 100000000})"),
                     400, "at most 366 days");
  auto unknown = Admin(Method::kPost, "/__restbox/clock/advance", R"({"secs": 5})");
  ExpectRestboxError(unknown, 400,
                     "unknown field \"secs\" in clock advance; valid fields: seconds, ms");
  EXPECT_EQ(Strings(Body(unknown)["valid"]), (std::vector<std::string>{"seconds", "ms"}));
  ExpectRestboxError(Admin(Method::kPost, "/__restbox/clock/advance", R"({})"), 400,
                     "give exactly one of \"seconds\" or \"ms\"");
  for (const auto& r : {typed, unknown})
    EXPECT_EQ(Body(r)["restbox_error"].get<std::string>().find("N "), std::string::npos);
}

TEST_F(AdminTest, AnUnknownConfigSettingListsTheValidOnes) {
  auto r = Admin(Method::kPost, "/__restbox/config", R"({"latency_ms": 5, "colour": "red"})");
  ExpectRestboxError(
      r, 400, "unknown setting \"colour\" in config; valid settings: latency_ms, limits_enabled");
  EXPECT_EQ(Body(r)["field"], "colour");
  EXPECT_EQ(Strings(Body(r)["valid"]), (std::vector<std::string>{"latency_ms", "limits_enabled"}));
  auto typed = Admin(Method::kPost, "/__restbox/config", R"({"limits_enabled": 1})");
  ExpectRestboxError(typed, 400, "limits_enabled must be true or false; got 1 (a number)");
  EXPECT_EQ(server_->latency(), core::Duration(0));
}

TEST_F(AdminTest, NothingIsAppliedWhenARequestIsRefused) {
  const auto record = Service(Method::kGet, RecordPath());
  ASSERT_EQ(record.status, 200);
  server_->ClearJournal();
  const Json state = server_->State();
  const Json settings = *server_->Settings("chikage");
  const auto now = server_->Now();
  for (auto [path, body] : std::vector<std::pair<const char*, const char*>>{
           {"/__restbox/faults", R"({"servce":"chikage"})"},
           {"/__restbox/faults", R"({"service":"chikage","times":0})"},
           {"/__restbox/faults", R"({"service":"chikage","endpoint":"gett"})"},
           {"/__restbox/faults", R"({"service":"nope","action":"drop"})"},
           {"/__restbox/settings/chikage", R"({"monthly_quota": 1, "monthly_quotaa": 2})"},
           {"/__restbox/settings/chikage", R"({"queue_delay_ms": 5, "monthly_quota": "x"})"},
           {"/__restbox/config", R"({"latency_ms": 100, "limit_enabled": false})"},
           {"/__restbox/clock/advance", R"({"seconds": 60, "ms": 5})"},
           {"/__restbox/clock/advance", R"({"minutes": 1})"}}) {
    SCOPED_TRACE(std::string(path) + " " + body);
    ExpectRestboxError(Admin(Method::kPost, path, body), 400);
  }
  EXPECT_TRUE(server_->Faults().empty());
  EXPECT_EQ(*server_->Settings("chikage"), settings);
  EXPECT_EQ(server_->State(), state);
  EXPECT_EQ(server_->Now(), now);
  EXPECT_EQ(server_->latency(), core::Duration(0));
  EXPECT_TRUE(server_->limits_enabled());
  // Later requests answer as before.
  auto again = Service(Method::kGet, RecordPath());
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, record.body);
  EXPECT_EQ(server_->Journal().at(0).fault, "");
}

// ---- HEAD wherever GET (issue 10) -------------------------------------------------------------

TEST_F(AdminTest, HeadOnAnAdminGetRouteHasTheGetsStatusAndHeadersAndNoBody) {
  for (const char* path : {"/__restbox/health", "/__restbox/fixtures",
                           "/__restbox/settings/chikage", "/__restbox/openapi/chikage.json"}) {
    SCOPED_TRACE(path);
    auto get = Admin(Method::kGet, path);
    auto head = Admin(Method::kHead, path);
    ASSERT_EQ(get.status, 200);
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(head.headers.GetOr("Content-Length", ""), std::to_string(get.body.size()));
    EXPECT_EQ(head.headers.GetOr("Content-Type", ""), get.headers.GetOr("Content-Type", ""));
    EXPECT_EQ(head.headers.GetOr("Cache-Control", ""), "no-store");
  }
  // Errors keep their status and lose their body too.
  auto missing = Admin(Method::kHead, "/__restbox/settings/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(missing.body.empty());
  EXPECT_EQ(missing.headers.GetOr("X-Restbox-Error", ""), "1");
  // A POST-only admin path: 405, and HEAD is not offered there.
  auto reset = Admin(Method::kHead, "/__restbox/reset");
  EXPECT_EQ(reset.status, 405);
  EXPECT_EQ(reset.headers.GetOr("Allow", ""), "POST");
  EXPECT_TRUE(reset.body.empty());
}

TEST_F(AdminTest, AllowListsHeadWhereverGetIsAllowed) {
  EXPECT_EQ(Admin(Method::kDelete, "/__restbox/health").headers.GetOr("Allow", ""), "GET, HEAD");
  EXPECT_EQ(Admin(Method::kPut, "/__restbox/settings/chikage").headers.GetOr("Allow", ""),
            "GET, HEAD, POST");
  EXPECT_EQ(Admin(Method::kPut, "/__restbox/journal").headers.GetOr("Allow", ""),
            "GET, HEAD, DELETE");
  EXPECT_EQ(Admin(Method::kGet, "/__restbox/clock/advance").headers.GetOr("Allow", ""), "POST");
}

}  // namespace
}  // namespace restbox::mock
