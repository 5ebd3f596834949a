// The typed chikage client against the in-process mock, on a ManualClock: queued writes, polling,
// the two stores, admin settings, client-side validation and the 100 KB limit.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "chikage/harness.hpp"

namespace restbox::chikage::testing {
namespace {

using core::ErrorKind;
using core::Json;
using std::chrono::seconds;
using ::testing::HasSubstr;

class ChikageClient : public ChikageTest {};

TEST_F(ChikageClient, CreatedRecordIsReadableBeforeTheNextRequestByDefault) {
  auto client = MakeClient(TestKey());
  auto queued = Done(client.Create("orders", Order()));
  ASSERT_TRUE(queued.ok()) << queued.error().Describe();
  EXPECT_EQ(queued.status(), 202);
  EXPECT_TRUE(queued->success);
  ASSERT_EQ(queued->id.size(), 16u);
  EXPECT_TRUE(queued->id.starts_with("rec_"));
  for (char c : queued->id.substr(4))
    EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << queued->id;
  EXPECT_EQ(queued->message, "Request queued");
  auto record = Done(client.Get("orders", queued->id));
  ASSERT_TRUE(record.ok()) << record.error().Describe();
  EXPECT_EQ(record->id, queued->id);
  EXPECT_EQ(record->data, Order());
  EXPECT_EQ(record->created_at, core::FormatIso8601(clock_->Now()));
  EXPECT_EQ(record->updated_at, record->created_at);
}

// A write counts its bytes before sending (the 100 KB limit), and its value still goes along with
// them (CallSpec::raw_body beside CallSpec::body): the mock reads the client's value instead of
// parsing the bytes, and stores exactly what they say.
TEST_F(ChikageClient, AWriteSendsItsBodyWithTheValueItWasWrittenFrom) {
  struct Capture final : core::Transport {
    std::shared_ptr<core::Transport> inner;
    std::vector<core::HttpRequest> sent;
    void Send(core::HttpRequest r, const core::Context& c,
              core::TransportCompletion done) override {
      sent.push_back(r);
      inner->Send(std::move(r), c, std::move(done));
    }
  };
  auto capture = std::make_shared<Capture>();
  capture->inner = transport_;
  ClientOptions o = Options(TestKey());
  o.transport = capture;
  Client client(o);
  auto queued = Done(client.Create("orders", Order()));
  ASSERT_TRUE(queued.ok()) << queued.error().Describe();
  ASSERT_EQ(capture->sent.size(), 1u);
  const core::HttpRequest& sent = capture->sent[0];
  EXPECT_EQ(sent.body, core::DumpJson(Order()));
  ASSERT_NE(sent.json, nullptr);
  auto reparsed = core::ParseJson(sent.body);
  ASSERT_TRUE(reparsed.ok());
  EXPECT_EQ(*sent.json, *reparsed);
  EXPECT_TRUE((*sent.json)["amount"].is_number_unsigned());  // as the parser reads it
  auto record = Done(client.Get("orders", queued->id));
  ASSERT_TRUE(record.ok()) << record.error().Describe();
  EXPECT_EQ(record->data, Order());
}

TEST_F(ChikageClient, QueueDelayHidesTheRecordUntilTheClockPassesIt) {
  ASSERT_FALSE(server_->ApplySettings("chikage", {{"queue_delay_ms", 5000}}));
  auto client = MakeClient(TestKey());
  auto queued = Done(client.Create("orders", Order()));
  ASSERT_TRUE(queued.ok());
  auto early = Done(client.Get("orders", queued->id));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(early.error().http_status, 404);
  EXPECT_THAT(early.error().message, HasSubstr(queued->id));
  clock_->Advance(core::Duration(4999));
  EXPECT_FALSE(Done(client.Get("orders", queued->id)).ok());
  clock_->Advance(core::Duration(1));
  auto applied = Done(client.Get("orders", queued->id));
  ASSERT_TRUE(applied.ok()) << applied.error().Describe();
  EXPECT_EQ(applied->created_at, core::FormatIso8601(clock_->Now()));
}

TEST_F(ChikageClient, ReplaceAndDeleteAreQueuedToo) {
  ASSERT_FALSE(server_->ApplySettings("chikage", {{"queue_delay_ms", 1000}}));
  auto client = MakeClient(TestKey());
  const std::string id = Fix("test_record_id");
  const std::string created = Done(client.Get("orders", id))->created_at;
  clock_->Advance(seconds(10));
  auto replaced = Done(client.Replace("orders", id, Order("ORD-NEW")));
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(replaced->id, id);
  EXPECT_EQ(Done(client.Get("orders", id))->data["order_id"], "ORD-DEMO-001");  // not applied yet
  clock_->Advance(seconds(1));
  auto after = Done(client.Get("orders", id));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->data, Order("ORD-NEW"));
  EXPECT_EQ(after->created_at, created);
  EXPECT_EQ(after->updated_at, core::FormatIso8601(clock_->Now()));
  ASSERT_TRUE(Done(client.Delete("orders", id)).ok());
  // A record whose delete is queued is already gone for readers and writers.
  EXPECT_EQ(Done(client.Get("orders", id)).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(Done(client.Replace("orders", id, Order())).error().kind, ErrorKind::kNotFound);
  clock_->Advance(seconds(1));
  EXPECT_EQ(Done(client.Get("orders", id)).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(Done(client.Delete("orders", id)).error().kind, ErrorKind::kNotFound);
}

TEST_F(ChikageClient, WaitUntilAppliedPollsOnTheClock) {
  ASSERT_FALSE(server_->ApplySettings("chikage", {{"queue_delay_ms", 1000}}));
  auto client = MakeClient(TestKey());
  auto queued = Done(client.Create("orders", Order()));
  ASSERT_TRUE(queued.ok());
  WaitOptions wait;
  wait.poll_interval = core::Duration(200);
  auto future = client.WaitUntilApplied("orders", queued->id, wait);
  EXPECT_FALSE(future.ready());
  EXPECT_EQ(Journaled("get"), 1u);
  clock_->Advance(core::Duration(999));
  EXPECT_FALSE(future.ready());
  EXPECT_EQ(Journaled("get"), 5u);  // t = 0, 200, 400, 600, 800
  clock_->Advance(core::Duration(1));
  auto record = Done(std::move(future));
  ASSERT_TRUE(record.ok()) << record.error().Describe();
  EXPECT_EQ(record->data, Order());
  EXPECT_EQ(Journaled("get"), 6u);
  clock_->Advance(seconds(10));
  EXPECT_EQ(Journaled("get"), 6u);  // no polling after the answer
}

TEST_F(ChikageClient, WaitUntilAppliedGivesUpAfterMaxPolls) {
  ASSERT_FALSE(server_->ApplySettings("chikage", {{"queue_delay_ms", 3'600'000}}));
  auto client = MakeClient(TestKey());
  auto queued = Done(client.Create("orders", Order()));
  WaitOptions wait;
  wait.poll_interval = core::Duration(100);
  wait.max_polls = 3;
  auto future = client.WaitUntilApplied("orders", queued->id, wait);
  clock_->Advance(core::Duration(199));
  EXPECT_FALSE(future.ready());
  clock_->Advance(core::Duration(1));
  auto r = Done(std::move(future));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTimeout);
  EXPECT_THAT(r.error().message, HasSubstr("3 polls"));
  EXPECT_EQ(Journaled("get"), 3u);
}

TEST_F(ChikageClient, WaitUntilAppliedStopsAtOtherErrors) {
  auto client = MakeClient(Fix("disabled_key"));
  auto r = Done(client.WaitUntilApplied("orders", Fix("test_record_id")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(Journaled("get"), 1u);
}

TEST_F(ChikageClient, WaitUntilAppliedCanBeCancelled) {
  ASSERT_FALSE(server_->ApplySettings("chikage", {{"queue_delay_ms", 3'600'000}}));
  auto client = MakeClient(TestKey());
  auto queued = Done(client.Create("orders", Order()));
  auto future = client.WaitUntilApplied("orders", queued->id);
  clock_->Advance(core::Duration(450));
  const std::size_t polls = Journaled("get");
  future.Cancel();
  auto r = Done(std::move(future));  // at once, not at the next poll
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCancelled);
  clock_->Advance(seconds(60));
  EXPECT_EQ(Journaled("get"), polls);
}

TEST_F(ChikageClient, WaitUntilDeletedWaitsFor404) {
  auto client = MakeClient(TestKey());
  const std::string id = Fix("test_record_id");
  WaitOptions wait;
  wait.max_polls = 2;
  auto waiting = client.WaitUntilDeleted("orders", id, wait);
  EXPECT_FALSE(waiting.ready());
  clock_->Advance(wait.poll_interval);
  auto still_there = Done(std::move(waiting));
  ASSERT_FALSE(still_there.ok());
  EXPECT_EQ(still_there.error().kind, ErrorKind::kTimeout);
  EXPECT_EQ(Journaled("get"), 2u);
  ASSERT_TRUE(Done(client.Delete("orders", id)).ok());
  auto gone = Done(client.WaitUntilDeleted("orders", id, wait));
  ASSERT_TRUE(gone.ok()) << gone.error().Describe();
  EXPECT_EQ(gone.status(), 404);
}

TEST_F(ChikageClient, TestAndLiveKeysUseSeparateStores) {
  auto test = MakeClient(TestKey());
  auto live = MakeClient(LiveKey());
  auto queued = Done(test.Create("orders", Order("SANDBOX-ONLY")));
  ASSERT_TRUE(queued.ok());
  ASSERT_TRUE(Done(test.Get("orders", queued->id)).ok());
  auto from_live = Done(live.Get("orders", queued->id));
  ASSERT_FALSE(from_live.ok());
  EXPECT_EQ(from_live.error().kind, ErrorKind::kNotFound);
  // And the other way round, with the fixture records of each store.
  EXPECT_TRUE(Done(live.Get("orders", Fix("live_record_id"))).ok());
  EXPECT_EQ(Done(test.Get("orders", Fix("live_record_id"))).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(Done(live.Get("orders", Fix("test_record_id"))).error().kind, ErrorKind::kNotFound);
  // The owner's console key works on production data.
  EXPECT_TRUE(Done(MakeClient(Fix("console_key")).Get("orders", Fix("live_record_id"))).ok());
  // A live write is invisible to the sandbox.
  auto live_write = Done(live.Create("orders", Order("LIVE")));
  ASSERT_TRUE(live_write.ok());
  EXPECT_TRUE(Done(live.Get("orders", live_write->id)).ok());
  EXPECT_EQ(Done(test.Get("orders", live_write->id)).error().kind, ErrorKind::kNotFound);
}

TEST_F(ChikageClient, KeysAreChecked) {
  for (const std::string& key :
       {std::string(""), std::string("nope"), std::string("tm_test_unknown000000000"),
        std::string("inv_0123456789abcdef"), Fix("disabled_key")}) {
    auto r = Done(MakeClient(key).Get("orders", Fix("test_record_id")));
    ASSERT_FALSE(r.ok()) << key;
    EXPECT_EQ(r.error().kind, ErrorKind::kUnauthorized) << key;
    EXPECT_EQ(r.error().http_status, 401) << key;
  }
}

TEST_F(ChikageClient, DisabledEndpointAndExpiredSubscriptionAre403) {
  auto client = MakeClient(TestKey());
  auto archive = Done(client.Create(Fix("disabled_slug"), Order()));
  EXPECT_EQ(archive.error().kind, ErrorKind::kForbidden);
  EXPECT_THAT(archive.error().message, HasSubstr("not enabled"));
  auto legacy = Done(client.Create(Fix("expired_slug"), Order()));
  EXPECT_EQ(legacy.error().kind, ErrorKind::kForbidden);
  EXPECT_THAT(legacy.error().message, HasSubstr("subscription"));
  ASSERT_FALSE(server_->ApplySettings("chikage", {{"endpoint.orders.enabled", false}}));
  EXPECT_EQ(Done(client.Get("orders", Fix("test_record_id"))).error().http_status, 403);
  ASSERT_FALSE(server_->ApplySettings("chikage", {{"endpoint.orders.enabled", true},
                                                  {"endpoint.orders.subscription_active", false}}));
  EXPECT_EQ(Done(client.Get("orders", Fix("test_record_id"))).error().http_status, 403);
  ASSERT_FALSE(server_->ApplySettings("chikage", {{"endpoint.orders.subscription_active", true}}));
  EXPECT_TRUE(Done(client.Get("orders", Fix("test_record_id"))).ok());
}

TEST_F(ChikageClient, DisablingAKeyGives401) {
  auto client = MakeClient(TestKey());
  ASSERT_TRUE(Done(client.Get("orders", Fix("test_record_id"))).ok());
  ASSERT_FALSE(server_->ApplySettings("chikage", {{"key." + TestKey() + ".enabled", false}}));
  auto r = Done(client.Get("orders", Fix("test_record_id")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnauthorized);
  EXPECT_THAT(r.error().message, HasSubstr("disabled"));
  EXPECT_THAT(r.error().message, ::testing::Not(HasSubstr(TestKey())));
}

TEST_F(ChikageClient, LoweredMonthlyQuotaGives429UntilTheMonthEnds) {
  ASSERT_FALSE(server_->ApplySettings("chikage", {{"monthly_quota", 3}}));
  clock_->AdvanceTo(*core::ParseIso8601("2026-01-31T23:00:00Z"));
  auto client = MakeClient(TestKey());
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(Done(client.Get("orders", Fix("test_record_id"))).ok()) << i;
  auto refused = Done(client.Get("orders", Fix("test_record_id")));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kRateLimited);
  EXPECT_EQ(refused.error().http_status, 429);
  EXPECT_EQ(refused.error().retry_after, seconds(3600));  // until 2026-02-01T00:00:00Z
  EXPECT_EQ(refused.meta().headers.Get("X-RateLimit-Limit"), "3");
  // Writes count against the same quota; other keys have their own.
  EXPECT_EQ(Done(client.Create("orders", Order())).error().http_status, 429);
  EXPECT_TRUE(Done(MakeClient(LiveKey()).Get("orders", Fix("live_record_id"))).ok());
  clock_->AdvanceTo(*core::ParseIso8601("2026-02-01T00:00:00Z"));
  EXPECT_TRUE(Done(client.Get("orders", Fix("test_record_id"))).ok());
}

TEST_F(ChikageClient, TheFixtureQuotaKeyIsAlreadyUsedUp) {
  auto r = Done(MakeClient(Fix("quota_exhausted_key")).Get("orders", Fix("test_record_id")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().http_status, 429);
  ASSERT_TRUE(r.error().retry_after);
  EXPECT_EQ(*r.error().retry_after, seconds(31 * 24 * 3600));  // from 2026-01-01 to 2026-02-01
}

TEST_F(ChikageClient, InvalidSettingsPatchChangesNothing) {
  const Json before = *server_->Settings("chikage");
  for (const Json& patch :
       {Json{{"queue_delay_ms", 10}, {"monthly_quota", "lots"}}, Json{{"queue_delay_ms", -1}},
        Json{{"queue_delay_ms", 1.5}}, Json{{"monthly_quota", 5}, {"no.such.setting", true}},
        Json{{"endpoint.orders.enabled", "no"}}, Json{{"endpoint.nope.enabled", false}},
        Json{{"key.nope.enabled", false}}, Json::array(), Json("x")}) {
    auto error = server_->ApplySettings("chikage", patch);
    ASSERT_TRUE(error) << patch.dump();
    EXPECT_FALSE(error->empty()) << patch.dump();
    EXPECT_EQ(*server_->Settings("chikage"), before) << patch.dump();
  }
  EXPECT_TRUE(server_->ApplySettings("no-such-service", Json::object()));
  EXPECT_EQ(before["queue_delay_ms"], 0);
  EXPECT_EQ(before["monthly_quota"], 10000);
}

TEST_F(ChikageClient, ClientValidationWithASchemaStopsBeforeSending) {
  auto options = Options(TestKey());
  options.schemas["orders"] = {{"order_id", "string", true}, {"amount", "number", false}};
  Client client(options);
  auto missing = Done(client.Create("orders", {{"amount", 1}}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kClientValidation);
  EXPECT_EQ(missing.error().details,
            (std::vector<core::FieldError>{{"order_id", "Required field is missing"}}));
  EXPECT_EQ(missing.error().message,
            "not sent: Validation failed; 1 invalid field: order_id: Required field is missing");
  EXPECT_TRUE(missing.error().not_sent);
  EXPECT_EQ(missing.error().attempts, 0);
  auto wrong =
      Done(client.Replace("orders", Fix("test_record_id"), {{"order_id", 5}, {"amount", "many"}}));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().details,
            (std::vector<core::FieldError>{{"order_id", "Expected type string"},
                                           {"amount", "Expected type number"}}));
  EXPECT_TRUE(server_->Journal().empty());  // nothing reached the mock
  // Slugs without a known schema are checked by the server.
  EXPECT_EQ(Done(client.Create("other", {{"amount", 1}})).error().http_status, 404);
  EXPECT_EQ(server_->Journal().size(), 1u);
  // The server gives the same details for the same mistake.
  auto unchecked_options = Options(TestKey());
  unchecked_options.client_validation = false;
  auto server_side = Done(Client(unchecked_options).Create("orders", {{"amount", 1}}));
  ASSERT_FALSE(server_side.ok());
  EXPECT_EQ(server_side.error().kind, ErrorKind::kBadRequest);
  EXPECT_EQ(server_side.error().message, "Validation failed");
  EXPECT_EQ(server_side.error().details, missing.error().details);
}

// A record whose JSON is exactly `bytes` long.
Json RecordOfSize(std::size_t bytes) {
  Json data = {{"order_id", "BIG"}, {"pad", ""}};
  const std::size_t base = core::DumpJson(data).size();
  data["pad"] = std::string(bytes - base, 'p');
  EXPECT_EQ(core::DumpJson(data).size(), bytes);
  return data;
}

TEST_F(ChikageClient, HundredKilobyteLimitOnTheClientSide) {
  auto client = MakeClient(TestKey());
  auto over = Done(client.Create("orders", RecordOfSize(kMaxBodyBytes + 1)));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind, ErrorKind::kClientValidation);
  ASSERT_EQ(over.error().details.size(), 1u);
  EXPECT_EQ(over.error().details[0].field, "body");
  EXPECT_THAT(over.error().details[0].message, HasSubstr("102400"));
  EXPECT_TRUE(server_->Journal().empty());
  auto exact = Done(client.Create("orders", RecordOfSize(kMaxBodyBytes)));
  EXPECT_TRUE(exact.ok()) << exact.error().Describe();
}

TEST_F(ChikageClient, HundredKilobyteLimitOnTheServerSide) {
  auto options = Options(TestKey());
  options.client_validation = false;
  Client client(options);
  auto over = Done(client.Create("orders", RecordOfSize(kMaxBodyBytes + 1)));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind, ErrorKind::kPayloadTooLarge);
  EXPECT_EQ(over.error().http_status, 413);
  auto replace_over =
      Done(client.Replace("orders", Fix("test_record_id"), RecordOfSize(150 * 1024)));
  EXPECT_EQ(replace_over.error().http_status, 413);
  auto exact = Done(client.Create("orders", RecordOfSize(kMaxBodyBytes)));
  EXPECT_TRUE(exact.ok()) << exact.error().Describe();
  // Unicode text: the limit is in bytes on the wire (3 per character here).
  Json chinese = {{"order_id", "台北"}, {"note", std::string()}};
  for (int i = 0; i < 34'200; ++i) chinese["note"].get_ref<std::string&>() += "台";
  ASSERT_GT(core::DumpJson(chinese).size(), kMaxBodyBytes);
  EXPECT_EQ(Done(client.Create("orders", chinese)).error().http_status, 413);
}

TEST_F(ChikageClient, ServerErrorsAreRetriedForIdempotentCallsOnly) {
  auto options = Options(TestKey());
  options.retry.max_attempts = 4;
  Client client(options);
  mock::FaultRule fail_twice;
  fail_twice.action = mock::FaultAction::kFailFirst;
  fail_twice.status = 503;
  fail_twice.times = 2;
  server_->AddFault(fail_twice);
  auto future = client.Get("orders", Fix("test_record_id"));
  EXPECT_FALSE(future.ready());
  clock_->Advance(core::Duration(250));
  EXPECT_FALSE(future.ready());
  clock_->Advance(core::Duration(500));
  auto r = Done(std::move(future));
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  ASSERT_EQ(r.meta().attempts.size(), 3u);
  EXPECT_EQ(r.meta().attempts[0].status, 503);
  EXPECT_EQ(r.meta().attempts[1].status, 503);
  EXPECT_EQ(r.meta().attempts[2].status, 200);
  // A create is not idempotent: one try, the 503 comes back.
  server_->ForceStatus(503, {}, 1);
  auto created = client.Create("orders", Order());
  clock_->Advance(seconds(10));
  auto c = Done(std::move(created));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::kServerError);
  EXPECT_EQ(Journaled("create"), 1u);
}

TEST_F(ChikageClient, PreferHeadersForceDocumentedErrors) {
  auto client = MakeClient(TestKey());
  RequestOptions o;
  o.headers.Set("Prefer", "code=503");
  auto r = Done(client.Get("orders", Fix("test_record_id"), o));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().http_status, 503);
  EXPECT_EQ(r.error().kind, ErrorKind::kServerError);
  EXPECT_EQ(r.error().message, "forced by Prefer: code=503");
  WriteOptions w;
  w.headers.Set("Prefer", "code=415");
  EXPECT_EQ(Done(client.Create("orders", Order(), w)).error().kind,
            ErrorKind::kUnsupportedMediaType);
}

TEST_F(ChikageClient, ErrorsNeverShowTheKey) {
  auto options = Options(TestKey());
  std::vector<std::string> lines;
  options.logger = [&](core::LogLevel, std::string_view line) { lines.emplace_back(line); };
  options.log_bodies = true;
  Client client(options);
  auto r = Done(client.Get("no-such-slug", "rec_x"));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().Describe(), ::testing::Not(HasSubstr(TestKey())));
  ASSERT_FALSE(lines.empty());
  for (const auto& line : lines) EXPECT_THAT(line, ::testing::Not(HasSubstr(TestKey()))) << line;
  for (const auto& entry : server_->Journal()) {
    EXPECT_THAT(core::DumpJson(mock::ToJson(entry)), ::testing::Not(HasSubstr(TestKey())));
  }
}

// ---- the lifetime rule of core/client.hpp, one result shape, refusals -----------------------

mock::FaultRule Latency(core::Duration latency) {
  mock::FaultRule rule;
  rule.match.service = "chikage";
  rule.action = mock::FaultAction::kLatency;
  rule.latency = latency;
  return rule;
}

TEST_F(ChikageClient, AClientDestroyedBeforeTheAnswerArrivesStillDeliversIt) {
  server_->AddFault(Latency(core::Duration(2000)));
  auto client = std::make_unique<Client>(Options(TestKey()));
  std::optional<core::Result<Record>> got;
  auto done = client->Get("orders", Fix("test_record_id")).Then([&](core::Result<Record> r) {
    got.emplace(std::move(r));
  });
  client.reset();
  transport_.reset();  // the application's reference goes too: the call keeps its own
  EXPECT_FALSE(got);
  clock_->Advance(core::Duration(2000));
  ASSERT_TRUE(got);
  ASSERT_TRUE(got->ok()) << got->error();
  EXPECT_EQ((*got)->id, Fix("test_record_id"));
  EXPECT_TRUE(done.ready());
}

TEST_F(ChikageClient, WaitUntilAppliedOutlivesItsClient) {
  ASSERT_FALSE(server_->ApplySettings("chikage", {{"queue_delay_ms", 3000}}));
  auto client = std::make_unique<Client>(Options(TestKey()));
  auto queued = Done(client->Create("orders", Order()));
  ASSERT_TRUE(queued.ok()) << queued.error();
  auto applied = client->WaitUntilApplied("orders", queued->id, {.poll_interval = seconds(1)});
  client.reset();  // the wait polls through its own copy of the client
  clock_->Advance(seconds(5));
  auto r = Done(std::move(applied));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->id, queued->id);
}

TEST_F(ChikageClient, ServiceFactsAreInMeta) {
  auto client = MakeClient(TestKey());
  auto queued = Done(client.Create("orders", Order()));
  ASSERT_TRUE(queued.ok());
  EXPECT_EQ(queued.meta().service_code, "");  // chikage has no codes
  EXPECT_EQ(queued.meta().service_message, "Request queued");
  auto missing = Done(client.Get("orders", "rec_nothing00000"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.meta().service_code, missing.error().code);
  EXPECT_EQ(missing.meta().service_message, missing.error().message);
  EXPECT_FALSE(missing.meta().service_message.empty());
}

TEST_F(ChikageClient, ABaseUrlWithoutHttpIsRefusedBeforeSending) {
  auto options = Options(TestKey());
  options.base_url = "api.chikage.io";
  Client client(options);
  ASSERT_TRUE(client.configuration_error());
  auto r = Done(client.Get("orders", Fix("test_record_id")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_TRUE(r.error().not_sent);
  EXPECT_THAT(r.error().message, HasSubstr("not sent: the base URL \"api.chikage.io\""));
  EXPECT_TRUE(server_->Journal().empty());
}

}  // namespace
}  // namespace restbox::chikage::testing
