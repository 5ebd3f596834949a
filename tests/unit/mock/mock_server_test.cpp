// MockServer behaviour that every service relies on: Prefer: code=NNN, fault rules, the journal,
// unknown routes, reset, state, the clock and in-process webhooks. Uses the chikage module as the
// service under the engine (skipped in builds without it); time is a ManualClock.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "restbox/core/masking.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/services/registry.hpp"
#include "restbox/transports/in_process_transport.hpp"

namespace restbox::mock {
namespace {

using core::Json;
using core::Method;
using std::chrono::hours;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kOrder =
    R"({"order_id":"ORD-2024-001","amount":45000,"items":["Item A","Item B"],"paid":true})";

class MockServerTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }

  void Start(MockOptions options) {
    if (!options.clock) options.clock = clock_;
    server_ = MakeMockServer(options);
    if (!server_->FindService("chikage")) GTEST_SKIP() << "chikage is not part of this build";
    fix_ = server_->Fixtures()["chikage"];
    key_ = fix_["test_key"].get<std::string>();
    record_ = fix_["test_record_id"].get<std::string>();
  }

  core::HttpRequest Request(Method method, const std::string& path, std::string body = {},
                            core::Headers headers = {}) const {
    core::HttpRequest r;
    r.method = method;
    r.url = "http://mock" + path;
    r.headers = std::move(headers);
    if (!r.headers.Has("Authorization")) r.headers.Set("Authorization", "Bearer " + key_);
    if (!body.empty() && !r.headers.Has("Content-Type"))
      r.headers.Set("Content-Type", "application/json");
    r.body = std::move(body);
    return r;
  }

  core::HttpResponse Do(Method method, const std::string& path, std::string body = {},
                        core::Headers headers = {}) {
    return server_->Process(Request(method, path, std::move(body), std::move(headers))).response;
  }
  core::HttpResponse Create(core::Headers headers = {}, std::string body = kOrder) {
    return Do(Method::kPost, "/api/v1/data/orders", std::move(body), std::move(headers));
  }
  core::HttpResponse GetRecord(const std::string& id, core::Headers headers = {}) {
    return Do(Method::kGet, "/api/v1/data/orders/" + id, {}, std::move(headers));
  }

  static Json Body(const core::HttpResponse& r) {
    auto parsed = core::ParseJson(r.body);
    EXPECT_TRUE(parsed.ok()) << r.body;
    return parsed.ok() ? parsed.value() : Json();
  }
  JournalEntry Last() const {
    auto j = server_->Journal(1);
    EXPECT_EQ(j.size(), 1u);
    return j.empty() ? JournalEntry{} : j[0];
  }

  std::shared_ptr<core::ManualClock> clock_ = std::make_shared<core::ManualClock>();
  std::shared_ptr<MockServer> server_;
  Json fix_;
  std::string key_;
  std::string record_;
};

// ---- Prefer: code=NNN ---------------------------------------------------------------------------
TEST_F(MockServerTest, PreferForcesEveryDocumentedErrorWithItsDocumentedBody) {
  const core::ServiceSpec* spec = services::FindSpec("chikage");
  ASSERT_NE(spec, nullptr);
  for (const auto& ep : spec->endpoints) {
    for (const auto& e : ep.errors) {
      std::string path = ep.path;
      path.replace(path.find("{slug}"), 6, "orders");
      if (auto p = path.find("{record_id}"); p != std::string::npos) path.replace(p, 11, record_);
      std::string body = ep.method == Method::kPost || ep.method == Method::kPut ? kOrder : "";
      auto r = Do(ep.method, path, body, {{"Prefer", "code=" + std::to_string(e.status)}});
      EXPECT_EQ(r.status, e.status) << ep.id;
      EXPECT_FALSE(r.headers.Has("X-Restbox-Error")) << ep.id << " " << e.status;
      Json j = Body(r);
      EXPECT_EQ(j["success"], false) << ep.id;
      EXPECT_EQ(j["error"], "forced by Prefer: code=" + std::to_string(e.status)) << ep.id;
      if (e.status == 429) {
        EXPECT_EQ(r.headers.Get("Retry-After"), "1");
      }
      EXPECT_EQ(Last().fault, "forced " + std::to_string(e.status) + " (Prefer)");
      EXPECT_EQ(Last().endpoint, ep.id);
    }
  }
}

TEST_F(MockServerTest, PreferIsFoundAmongOtherPreferences) {
  EXPECT_EQ(Create({{"prefer", "respond-async, code=503; wait=10"}}).status, 503);
  EXPECT_EQ(Create({{"Prefer", "code=\"415\""}}).status, 415);
  EXPECT_EQ(Create({{"Prefer", "  code=401  "}}).status, 401);
  EXPECT_EQ(Create({{"Prefer", "return=minimal"}}).status, 202);  // no code: answered normally
}

TEST_F(MockServerTest, PreferUndocumentedStatusIs400WithTheDocumentedList) {
  auto r = Create({{"Prefer", "code=418"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.headers.Get("X-Restbox-Error"), "1");
  Json j = Body(r);
  EXPECT_THAT(j["restbox_error"].get<std::string>(),
              HasSubstr("code=418 is not a documented status of chikage.create"));
  ASSERT_TRUE(j["documented"].is_array());
  EXPECT_NE(std::find(j["documented"].begin(), j["documented"].end(), Json(202)),
            j["documented"].end());
  EXPECT_NE(std::find(j["documented"].begin(), j["documented"].end(), Json(413)),
            j["documented"].end());
  // 413 is documented for create but not for get; 200 is get's success, not create's.
  EXPECT_EQ(GetRecord(record_, {{"Prefer", "code=413"}}).status, 400);
  EXPECT_EQ(Create({{"Prefer", "code=200"}}).status, 400);
  EXPECT_EQ(Create({{"Prefer", "code=-1"}}).status, 400);
  EXPECT_EQ(Create({{"Prefer", "code=99999999999"}}).status, 400);
  // Nothing was created by the refused requests: no 202 in the journal after the first.
  for (const auto& e : server_->Journal()) EXPECT_NE(e.status, 202);
}

TEST_F(MockServerTest, MalformedPreferIs400) {
  for (const char* value : {"code=", "code=abc", "code=4o4", "code=\"", "code=1.5"}) {
    auto r = Create({{"Prefer", value}});
    EXPECT_EQ(r.status, 400) << value;
    EXPECT_EQ(r.headers.Get("X-Restbox-Error"), "1") << value;
    EXPECT_THAT(Body(r)["restbox_error"].get<std::string>(), HasSubstr("Prefer")) << value;
  }
}

TEST_F(MockServerTest, PreferDocumentedSuccessAnswersNormally) {
  auto ok = Create({{"Prefer", "code=202"}});
  EXPECT_EQ(ok.status, 202);
  EXPECT_THAT(Body(ok)["id"].get<std::string>(), StartsWith("rec_"));
  // The request is still handled for real: an invalid one gets its real answer.
  auto invalid = Create({{"Prefer", "code=202"}}, R"({"amount":1})");
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(Body(invalid)["details"][0]["field"], "order_id");
}

// ---- Fault rules -------------------------------------------------------------------------------
TEST_F(MockServerTest, ForcedStatusAppliesItsTimesThenStops) {
  server_->ForceStatus(503, {}, 2);
  auto first = GetRecord(record_);
  EXPECT_EQ(first.status, 503);
  EXPECT_EQ(Body(first)["error"], "forced by restbox-mock fault rule");
  EXPECT_EQ(Last().fault, "fault status 503");
  EXPECT_EQ(server_->Faults().size(), 1u);
  EXPECT_EQ(server_->Faults()[0].times, 1);
  EXPECT_EQ(GetRecord(record_).status, 503);
  EXPECT_TRUE(server_->Faults().empty());
  EXPECT_EQ(GetRecord(record_).status, 200);
}

TEST_F(MockServerTest, Forced429CarriesRetryAfter) {
  FaultRule rule;
  rule.status = 429;
  rule.message = "slow down";
  server_->AddFault(rule);
  auto r = Create();
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.Get("Retry-After"), "1");
  EXPECT_EQ(Body(r)["error"], "slow down");
  EXPECT_EQ(Create().status, 429);  // times = -1: unlimited
  EXPECT_EQ(server_->Faults().size(), 1u);
}

TEST_F(MockServerTest, FailFirstFailsNTimesThenPasses) {
  FaultRule rule;
  rule.action = FaultAction::kFailFirst;
  rule.status = 502;
  rule.times = 2;
  server_->AddFault(rule);
  EXPECT_EQ(GetRecord(record_).status, 502);
  EXPECT_EQ(GetRecord(record_).status, 502);
  EXPECT_EQ(GetRecord(record_).status, 200);
  EXPECT_EQ(GetRecord(record_).status, 200);
}

TEST_F(MockServerTest, FaultsMatchServiceEndpointMethodAndPathPrefix) {
  FaultRule by_endpoint;
  by_endpoint.status = 500;
  by_endpoint.match.endpoint = "get";
  by_endpoint.match.service = "chikage";
  auto id = server_->AddFault(by_endpoint);
  EXPECT_EQ(Create().status, 202);
  EXPECT_EQ(GetRecord(record_).status, 500);
  EXPECT_TRUE(server_->RemoveFault(id));
  EXPECT_FALSE(server_->RemoveFault(id));

  FaultRule by_method;
  by_method.status = 503;
  by_method.match.method = Method::kDelete;
  server_->AddFault(by_method);
  EXPECT_EQ(GetRecord(record_).status, 200);
  EXPECT_EQ(Do(Method::kDelete, "/api/v1/data/orders/" + record_).status, 503);
  server_->ClearFaults();

  FaultRule by_path;
  by_path.status = 502;
  by_path.match.path_prefix = "/api/v1/data/legacy";
  server_->AddFault(by_path);
  EXPECT_EQ(Create().status, 202);
  EXPECT_EQ(Do(Method::kPost, "/api/v1/data/legacy", kOrder).status, 502);
  server_->ClearFaults();
  EXPECT_TRUE(server_->Faults().empty());

  FaultRule other_service;
  other_service.status = 500;
  other_service.match.service = "not-chikage";
  server_->AddFault(other_service);
  EXPECT_EQ(GetRecord(record_).status, 200);
}

TEST_F(MockServerTest, OneFaultRulePerRequestInTheOrderAdded) {
  server_->ForceStatus(503, {}, 1);
  server_->ForceStatus(502, {}, 1);
  EXPECT_EQ(GetRecord(record_).status, 503);
  EXPECT_EQ(GetRecord(record_).status, 502);
  EXPECT_EQ(GetRecord(record_).status, 200);
}

TEST_F(MockServerTest, FaultsDoNotApplyToUnknownRoutes) {
  server_->ForceStatus(503, {}, 1);
  EXPECT_EQ(Do(Method::kGet, "/zz-unknown/route").status, 404);
  EXPECT_EQ(server_->Faults().size(), 1u);  // not consumed
}

TEST_F(MockServerTest, DropClosesWithoutAnswer) {
  FaultRule rule;
  rule.action = FaultAction::kDrop;
  rule.times = 2;
  server_->AddFault(rule);
  auto outcome = server_->Process(Request(Method::kGet, "/api/v1/data/orders/" + record_));
  EXPECT_TRUE(outcome.drop);
  EXPECT_EQ(Last().status, 0);
  EXPECT_EQ(Last().fault, "drop");
  EXPECT_EQ(Last().response_body, "");
  std::vector<core::Result<core::HttpResponse>> got;
  server_->Handle(Request(Method::kGet, "/api/v1/data/orders/" + record_),
                  [&](core::Result<core::HttpResponse> r) { got.push_back(std::move(r)); });
  ASSERT_EQ(got.size(), 1u);
  ASSERT_FALSE(got[0].ok());
  EXPECT_EQ(got[0].error().kind, core::ErrorKind::kConnection);
  EXPECT_EQ(GetRecord(record_).status, 200);
}

TEST_F(MockServerTest, LatencyGoesThroughTheSchedulerAndTheTransportTimesOut) {
  FaultRule rule;
  rule.action = FaultAction::kLatency;
  rule.latency = core::Duration(5000);
  server_->AddFault(rule);
  transports::InProcessTransport transport(server_, {.scheduler = clock_});
  auto send = [&](core::Duration timeout, std::vector<core::Result<core::HttpResponse>>& out) {
    core::Context context;
    context.timeout = timeout;
    transport.Send(Request(Method::kGet, "/api/v1/data/orders/" + record_), context,
                   [&out](core::Result<core::HttpResponse> r) { out.push_back(std::move(r)); });
  };
  std::vector<core::Result<core::HttpResponse>> short_wait, long_wait;
  send(core::Duration(1000), short_wait);
  send(core::Duration(10'000), long_wait);
  EXPECT_EQ(Last().fault, "latency 5000 ms");
  clock_->Advance(core::Duration(999));
  EXPECT_TRUE(short_wait.empty());
  clock_->Advance(core::Duration(1));
  ASSERT_EQ(short_wait.size(), 1u);
  ASSERT_FALSE(short_wait[0].ok());
  EXPECT_EQ(short_wait[0].error().kind, core::ErrorKind::kTimeout);
  clock_->Advance(core::Duration(3999));
  EXPECT_TRUE(long_wait.empty());
  clock_->Advance(core::Duration(1));
  ASSERT_EQ(long_wait.size(), 1u);
  ASSERT_TRUE(long_wait[0].ok());
  EXPECT_EQ(long_wait[0]->status, 200);
  clock_->Advance(seconds(60));
  EXPECT_EQ(short_wait.size(), 1u);  // the late answer did not complete the timed-out call again
  EXPECT_EQ(clock_->PendingTasks(), 0u);
}

TEST_F(MockServerTest, GlobalLatencyDelaysEveryAnswer) {
  server_->set_latency(core::Duration(200));
  std::vector<int> statuses;
  server_->Handle(
      Request(Method::kGet, "/api/v1/data/orders/" + record_),
      [&](core::Result<core::HttpResponse> r) { statuses.push_back(r.ok() ? r->status : -1); });
  clock_->Advance(core::Duration(199));
  EXPECT_TRUE(statuses.empty());
  clock_->Advance(core::Duration(1));
  EXPECT_EQ(statuses, std::vector<int>{200});
}

TEST_F(MockServerTest, FaultRulesReadAndWriteTheirJsonForm) {
  FaultRule rule;
  EXPECT_FALSE(FromJson(Json{{"action", "fail_first"},
                             {"status", 502},
                             {"times", 3},
                             {"service", "chikage"},
                             {"endpoint", "create"},
                             {"method", "POST"},
                             {"path_prefix", "/api"}},
                        rule));
  EXPECT_EQ(rule.action, FaultAction::kFailFirst);
  EXPECT_EQ(rule.status, 502);
  EXPECT_EQ(rule.times, 3);
  EXPECT_EQ(rule.match.method, Method::kPost);
  Json back = ToJson(rule);
  EXPECT_EQ(back["action"], "fail_first");
  EXPECT_EQ(back["method"], "POST");
  EXPECT_EQ(back["endpoint"], "create");
  FaultRule again;
  EXPECT_FALSE(FromJson(back, again));
  EXPECT_EQ(ToJson(again), back);

  FaultRule defaults;
  EXPECT_FALSE(FromJson(Json::object(), defaults));
  EXPECT_EQ(defaults.action, FaultAction::kStatus);
  EXPECT_EQ(defaults.status, 503);
  EXPECT_EQ(defaults.times, -1);
  FaultRule ff;
  EXPECT_FALSE(FromJson(Json{{"action", "fail_first"}}, ff));
  EXPECT_EQ(ff.times, 1);

  for (const Json& bad :
       {Json::array(), Json{{"action", "explode"}}, Json{{"status", 99}}, Json{{"status", 600}},
        Json{{"status", "503"}}, Json{{"status", 503.5}}, Json{{"times", 0}}, Json{{"times", -2}},
        Json{{"action", "latency"}}, Json{{"latency_ms", -1}}, Json{{"method", "BREW"}},
        Json{{"service", 5}}, Json{{"action", 1}}, Json{{"servce", "chikage"}},
        Json{{"path_prefix", "api"}}, Json{{"times", "2"}}}) {
    FaultRule r;
    EXPECT_TRUE(FromJson(bad, r)) << bad.dump();
  }
}

// ---- Journal
// -------------------------------------------------------------------------------------
TEST_F(MockServerTest, JournalRecordsRequestsWithSecretsMasked) {
  const std::string hook_secret = "Bearer hook-secret-0123456789";
  auto r = Do(Method::kPost, "/api/v1/data/orders?api_token=" + key_,
              R"({"order_id":"A","password":"pa55word-0123456789"})",
              {{"X-Webhook-Auth", hook_secret}, {"X-Request-Id", "req-77"}});
  EXPECT_EQ(r.status, 202);
  JournalEntry e = Last();
  EXPECT_EQ(e.service, "chikage");
  EXPECT_EQ(e.endpoint, "create");
  EXPECT_EQ(e.method, Method::kPost);
  EXPECT_EQ(e.status, 202);
  EXPECT_EQ(e.time, clock_->Now());
  EXPECT_EQ(e.response_body, r.body);
  EXPECT_EQ(e.request_headers.Get("X-Request-Id"), "req-77");
  EXPECT_EQ(e.request_headers.Get("Authorization"), core::MaskSecret("Bearer " + key_));
  std::string everything = core::DumpJson(ToJson(e));
  for (const std::string& secret :
       {key_, std::string("hook-secret-0123456789"), std::string("pa55word-0123456789")}) {
    EXPECT_THAT(everything, Not(HasSubstr(secret)));
  }
  EXPECT_THAT(e.url, HasSubstr("api_token=tm_test_****"));
  EXPECT_THAT(e.request_body, HasSubstr("\"order_id\":\"A\""));
}

TEST_F(MockServerTest, JournalKeepsTheNewestEntriesUpToItsCapacity) {
  MockOptions o;
  o.journal_capacity = 3;
  Start(o);
  for (int i = 0; i < 5; ++i) GetRecord(record_, {{"X-Request-Id", "r" + std::to_string(i)}});
  auto all = server_->Journal();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].request_headers.Get("X-Request-Id"), "r2");
  EXPECT_EQ(all[2].request_headers.Get("X-Request-Id"), "r4");
  EXPECT_EQ(all[1].seq, all[0].seq + 1);
  EXPECT_EQ(all[2].seq, all[1].seq + 1);
  auto two = server_->Journal(2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1].seq, all[2].seq);
  EXPECT_EQ(server_->Journal(100).size(), 3u);
  server_->ClearJournal();
  EXPECT_TRUE(server_->Journal().empty());
}

TEST_F(MockServerTest, JournalTruncatesLargeBodies) {
  Json body = {{"order_id", "big"}, {"notes", std::string(70'000, 'x')}};
  EXPECT_EQ(Create({}, core::DumpJson(body)).status, 202);
  const std::string marker = "…(truncated)";
  JournalEntry e = Last();
  EXPECT_EQ(e.request_body.size(), 64u * 1024 + marker.size());
  EXPECT_TRUE(e.request_body.ends_with(marker));
  // 10 KiB is kept whole.
  Json small = {{"order_id", "small"}, {"notes", std::string(10'000, 'y')}};
  Create({}, core::DumpJson(small));
  EXPECT_EQ(Last().request_body, core::DumpJson(small));
}

// ---- Routes
// ---------------------------------------------------------------------------------------
TEST_F(MockServerTest, UnknownPathsAre404) {
  auto r = Do(Method::kGet, "/zz-unknown/route");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.Get("X-Restbox-Error"), "1");
  EXPECT_EQ(Body(r)["restbox_error"], "No route for GET /zz-unknown/route");
  // Under a service's own prefix, the service's error shape is used.
  auto owned = Do(Method::kGet, "/api/v1/data");
  EXPECT_EQ(owned.status, 404);
  EXPECT_FALSE(owned.headers.Has("X-Restbox-Error"));
  EXPECT_EQ(Body(owned)["success"], false);
  EXPECT_EQ(Last().endpoint, "");
}

TEST_F(MockServerTest, OtherMethodsOnKnownPathsAre405WithAllow) {
  auto r = Do(Method::kGet, "/api/v1/data/orders");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.Get("Allow"), "POST");
  EXPECT_EQ(Body(r)["success"], false);
  auto patch = Do(Method::kPatch, "/api/v1/data/orders/" + record_, kOrder);
  EXPECT_EQ(patch.status, 405);
  EXPECT_EQ(patch.headers.Get("Allow"), "GET, HEAD, PUT, DELETE");
  EXPECT_THAT(Body(patch)["error"].get<std::string>(),
              HasSubstr("allowed: GET, HEAD, PUT, DELETE"));
  EXPECT_EQ(Do(Method::kOptions, "/api/v1/data/orders").status, 405);
}

TEST_F(MockServerTest, HeadOnAnApiGetRouteIsTheGetWithoutItsBody) {
  auto get = GetRecord(record_, {{"X-Request-Id", "same"}});
  ASSERT_EQ(get.status, 200);
  auto head = Do(Method::kHead, "/api/v1/data/orders/" + record_, {}, {{"X-Request-Id", "same"}});
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  // Every header of the GET, plus the length of the body it leaves out.
  for (const auto& [name, value] : get.headers) EXPECT_EQ(head.headers.Get(name), value) << name;
  EXPECT_EQ(head.headers.Get("Content-Length"), std::to_string(get.body.size()));
  EXPECT_EQ(Last().method, Method::kHead);
  EXPECT_EQ(Last().endpoint, "get");
  EXPECT_EQ(Last().status, 200);
  // An unknown record: the GET's 404, without its body.
  auto missing = Do(Method::kHead, "/api/v1/data/orders/rec_nope00000000");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(missing.body.empty());
  EXPECT_NE(missing.headers.Get("Content-Length"), "0");
}

TEST_F(MockServerTest, HeadWhereOnlyOtherMethodsAreRoutedIs405WithAllow) {
  auto r = Do(Method::kHead, "/api/v1/data/orders");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.Get("Allow"), "POST");
  EXPECT_TRUE(r.body.empty());
}

TEST_F(MockServerTest, AFaultRuleForGetAppliesToHeadToo) {
  FaultRule rule;
  rule.match.method = Method::kGet;
  rule.status = 503;
  rule.times = 1;
  server_->AddFault(rule);
  auto head = Do(Method::kHead, "/api/v1/data/orders/" + record_);
  EXPECT_EQ(head.status, 503);
  EXPECT_TRUE(head.body.empty());
  EXPECT_TRUE(server_->Faults().empty());
}

TEST_F(MockServerTest, MalformedTargetsAre400) {
  for (const char* url : {"", "no-slash", "http://", "http://h:99999/x", "ht tp://h/x"}) {
    core::HttpRequest r;
    r.url = url;
    auto out = server_->Process(r).response;
    EXPECT_EQ(out.status, 400) << url;
    EXPECT_EQ(out.headers.Get("X-Restbox-Error"), "1") << url;
    EXPECT_TRUE(core::ParseJson(out.body).ok()) << url;
  }
}

TEST_F(MockServerTest, EchoesOrAssignsRequestIds) {
  EXPECT_EQ(GetRecord(record_, {{"X-Request-Id", "abc-1"}}).headers.Get("X-Request-Id"), "abc-1");
  auto assigned = GetRecord(record_).headers.Get("X-Request-Id");
  ASSERT_TRUE(assigned);
  EXPECT_THAT(*assigned, StartsWith("mock-"));
  EXPECT_EQ(Do(Method::kGet, "/zz").headers.Get("X-Request-Id").has_value(), true);
}

// ---- Reset, state, clock ----------------------------------------------------------------------
TEST_F(MockServerTest, ResetRestoresFixturesSettingsLimiterFaultsAndJournal) {
  const Json fixtures_before = server_->Fixtures();
  const Json settings_before = *server_->Settings("chikage");
  std::string id = Body(Create())["id"];
  EXPECT_EQ(GetRecord(id).status, 200);
  EXPECT_FALSE(server_->ApplySettings("chikage", {{"queue_delay_ms", 5000}, {"monthly_quota", 1}}));
  server_->ForceStatus(503, {}, 5);
  server_->AdvanceClock(hours(1));
  server_->Reset();
  EXPECT_TRUE(server_->Faults().empty());
  EXPECT_TRUE(server_->Journal().empty());
  EXPECT_EQ(server_->Fixtures(), fixtures_before);
  EXPECT_EQ(*server_->Settings("chikage"), settings_before);
  EXPECT_EQ(GetRecord(id).status, 404);       // the created record is gone
  EXPECT_EQ(GetRecord(record_).status, 200);  // the fixture record is back; quota is not 1 any more
  EXPECT_EQ(GetRecord(record_).status, 200);
}

TEST_F(MockServerTest, StateRoundTripsThroughLoadState) {
  std::string id = Body(Create({}, R"({"order_id":"KEEP-ME","amount":1})"))["id"];
  ASSERT_EQ(GetRecord(id).status, 200);
  EXPECT_FALSE(server_->ApplySettings("chikage", {{"queue_delay_ms", 250}}));
  const Json state = server_->State();
  ASSERT_TRUE(state.contains("chikage"));
  ASSERT_TRUE(state.contains("__clock"));
  server_->Reset();
  EXPECT_EQ(GetRecord(id).status, 404);
  EXPECT_FALSE(server_->LoadState(state));
  auto back = GetRecord(id);
  ASSERT_EQ(back.status, 200);
  EXPECT_EQ(Body(back)["data"]["order_id"], "KEEP-ME");
  EXPECT_EQ((*server_->Settings("chikage"))["queue_delay_ms"], 250);
  Json again = server_->State();
  EXPECT_EQ(again["chikage"]["sandbox"], state["chikage"]["sandbox"]);
  EXPECT_EQ(again["chikage"]["production"], state["chikage"]["production"]);
}

TEST_F(MockServerTest, LoadStateRefusesBadStateAndKeepsTheOldOne) {
  for (const Json& bad : {Json::array(), Json("x"), Json{{"chikage", "x"}},
                          Json{{"chikage", {{"sandbox", {{"orders", {{{"no_id", 1}}}}}}}}},
                          Json{{"chikage", {{"sandbox", {{"orders", "not-an-array"}}}}}},
                          Json{{"chikage", {{"settings", {{"queue_delay_ms", -5}}}}}}}) {
    EXPECT_TRUE(server_->LoadState(bad)) << bad.dump();
    EXPECT_EQ(GetRecord(record_).status, 200) << bad.dump();
  }
}

TEST_F(MockServerTest, AdvanceClockMovesAManualClockAndRunsDueWork) {
  const core::TimePoint start = server_->Now();
  EXPECT_FALSE(server_->ApplySettings("chikage", {{"queue_delay_ms", 5000}}));
  std::string id = Body(Create())["id"];
  server_->AdvanceClock(core::Duration(4999));
  EXPECT_EQ(server_->State()["chikage"]["queue"].size(), 1u);
  server_->AdvanceClock(core::Duration(1));
  EXPECT_EQ(server_->State()["chikage"]["queue"].size(),
            0u);  // applied by the tick, no request needed
  EXPECT_EQ(server_->Now(), start + core::Duration(5000));
  EXPECT_EQ(clock_->Now(), start + core::Duration(5000));
  server_->AdvanceClock(core::Duration(0));
  server_->AdvanceClock(core::Duration(-10));  // never backwards
  EXPECT_EQ(server_->Now(), start + core::Duration(5000));
  EXPECT_EQ(GetRecord(id).status, 200);
}

TEST_F(MockServerTest, AdvanceClockOffsetsARealClock) {
  MockOptions o;
  o.clock = core::SystemClock::Instance();
  Start(o);
  const core::TimePoint before = server_->Now();
  server_->AdvanceClock(hours(24 * 40));
  const core::TimePoint after = server_->Now();
  EXPECT_GE(after - before, hours(24 * 40));
  EXPECT_LT(after - before, hours(24 * 40) + std::chrono::minutes(5));
  EXPECT_EQ(server_->State()["__clock"]["offset_ms"], 40LL * 24 * 3600 * 1000);
  server_->Reset();
  EXPECT_LT(server_->Now() - before, std::chrono::minutes(5));
}

TEST_F(MockServerTest, WebhooksAreDeliveredToInProcessReceivers) {
  std::vector<WebhookRequest> received;
  ASSERT_NE(server_->in_process_webhooks(), nullptr);
  server_->in_process_webhooks()->Register("http://hooks.test/orders",
                                           [&](const WebhookRequest& r) {
                                             received.push_back(r);
                                             return 200;
                                           });
  auto r = Create(
      {{"X-Webhook-Callback", "http://hooks.test/orders"}, {"X-Webhook-Auth", "Bearer hook-1"}});
  ASSERT_EQ(r.status, 202);
  EXPECT_TRUE(received.empty());  // queued, not applied yet
  server_->AdvanceClock(core::Duration(0));
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].url, "http://hooks.test/orders");
  EXPECT_EQ(received[0].headers.Get("Authorization"), "Bearer hook-1");
  EXPECT_EQ(received[0].headers.Get("Content-Type"), "application/json");
  Json event = Body({200, {}, received[0].body});
  EXPECT_EQ(event["event"], "record.created");
  EXPECT_EQ(event["id"], Body(r)["id"]);
  EXPECT_EQ(event["environment"], "test");
  EXPECT_EQ(event["data"]["order_id"], "ORD-2024-001");
  server_->AdvanceClock(hours(1));
  EXPECT_EQ(received.size(), 1u);  // delivered: not sent again
}

}  // namespace
}  // namespace restbox::mock
