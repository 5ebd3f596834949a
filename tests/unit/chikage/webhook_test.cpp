// Collaborator webhooks (API-CONTRACT section 1): delivered once the queued write is processed,
// with the chosen auth header; retried at most 3 times, 60 s apart; none for the console key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <vector>

#include "chikage/harness.hpp"

namespace restbox::chikage::testing {
namespace {

using core::Json;
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kHookUrl = "http://hooks.test/orders";

class ChikageWebhooks : public ChikageTest {
 protected:
  struct Call {
    core::TimePoint at;
    mock::WebhookRequest request;
  };

  // A receiver that answers the scripted statuses in turn (200 once the script is used up).
  void Receive(std::deque<int> statuses = {}) {
    statuses_ = std::move(statuses);
    server_->in_process_webhooks()->Register(kHookUrl, [this](const mock::WebhookRequest& r) {
      calls_.push_back({clock_->Now(), r});
      if (statuses_.empty()) return 200;
      int s = statuses_.front();
      statuses_.pop_front();
      return s;
    });
  }

  static WriteOptions Hook(std::string auth_value = "Bearer hook-secret-0001",
                           std::string auth_header = "") {
    WriteOptions w;
    w.webhook = WebhookOptions{kHookUrl, std::move(auth_value), std::move(auth_header)};
    return w;
  }

  Json Deliveries() const { return server_->State()["chikage"]["webhook_deliveries"]; }

  std::vector<Call> calls_;
  std::deque<int> statuses_;
};

TEST_F(ChikageWebhooks, DeliveredOnceTheWriteIsProcessedWithTheDefaultAuthHeader) {
  Receive();
  auto client = MakeClient(TestKey());
  const core::TimePoint t0 = clock_->Now();
  auto queued = Done(client.Create("orders", Order(), Hook()));
  ASSERT_TRUE(queued.ok()) << queued.error().Describe();
  EXPECT_TRUE(calls_.empty());  // queued, not processed yet
  server_->AdvanceClock(core::Duration(0));
  ASSERT_EQ(calls_.size(), 1u);
  const auto& r = calls_[0].request;
  EXPECT_EQ(calls_[0].at, t0);
  EXPECT_EQ(r.url, kHookUrl);
  EXPECT_EQ(r.headers.Get("Authorization"), "Bearer hook-secret-0001");
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/json");
  auto event = core::DecodeJson<WebhookEvent>(r.body);
  ASSERT_TRUE(event.ok()) << r.body;
  EXPECT_EQ(event->event, "record.created");
  EXPECT_EQ(event->id, queued->id);
  EXPECT_EQ(event->slug, "orders");
  EXPECT_EQ(event->environment, "test");
  EXPECT_EQ(event->data, Order());
  EXPECT_EQ(event->processed_at, core::FormatIso8601(t0));
  server_->AdvanceClock(minutes(10));
  EXPECT_EQ(calls_.size(), 1u);
  EXPECT_EQ(Deliveries()[0]["state"], "delivered");
}

TEST_F(ChikageWebhooks, CustomAuthHeaderName) {
  Receive();
  auto client = MakeClient(LiveKey());
  ASSERT_TRUE(Done(client.Create("orders", Order(), Hook("tok-123", "X-Webhook-Token"))).ok());
  server_->AdvanceClock(core::Duration(0));
  ASSERT_EQ(calls_.size(), 1u);
  EXPECT_EQ(calls_[0].request.headers.Get("X-Webhook-Token"), "tok-123");
  EXPECT_FALSE(calls_[0].request.headers.Has("Authorization"));
  EXPECT_EQ(Json::parse(calls_[0].request.body)["environment"], "live");
}

TEST_F(ChikageWebhooks, NoAuthValueMeansNoAuthHeader) {
  Receive();
  auto client = MakeClient(TestKey());
  ASSERT_TRUE(Done(client.Create("orders", Order(), Hook(""))).ok());
  server_->AdvanceClock(core::Duration(0));
  ASSERT_EQ(calls_.size(), 1u);
  EXPECT_FALSE(calls_[0].request.headers.Has("Authorization"));
}

TEST_F(ChikageWebhooks, FailedDeliveriesAreRetriedThreeTimesSixtySecondsApart) {
  Receive({500, 500, 500, 500, 500, 500});
  auto client = MakeClient(TestKey());
  const core::TimePoint t0 = clock_->Now();
  ASSERT_TRUE(Done(client.Create("orders", Order(), Hook())).ok());
  server_->AdvanceClock(core::Duration(0));
  ASSERT_EQ(calls_.size(), 1u);
  server_->AdvanceClock(seconds(59));
  EXPECT_EQ(calls_.size(), 1u);  // not early
  server_->AdvanceClock(minutes(30));
  ASSERT_EQ(calls_.size(), 4u);  // the first try and at most 3 retries
  EXPECT_EQ(calls_[0].at, t0);
  EXPECT_EQ(calls_[1].at, t0 + seconds(60));
  EXPECT_EQ(calls_[2].at, t0 + seconds(120));
  EXPECT_EQ(calls_[3].at, t0 + seconds(180));
  for (const auto& c : calls_) EXPECT_EQ(c.request.body, calls_[0].request.body);  // the same event
  Json d = Deliveries()[0];
  EXPECT_EQ(d["state"], "failed");
  EXPECT_EQ(d["attempts"], 4);
  EXPECT_EQ(d["last_status"], 500);
  ASSERT_EQ(d["log"].size(), 4u);
  EXPECT_EQ(d["log"][3]["at"], core::FormatIso8601(t0 + seconds(180)));
}

TEST_F(ChikageWebhooks, AnUnreachableReceiverCountsAsAFailure) {
  // No receiver registered at this URL: "no connection" (status 0).
  auto client = MakeClient(TestKey());
  WriteOptions w;
  w.webhook = WebhookOptions{"http://nobody.test/hook", "", ""};
  ASSERT_TRUE(Done(client.Create("orders", Order(), w)).ok());
  server_->AdvanceClock(minutes(10));
  Json d = Deliveries()[0];
  EXPECT_EQ(d["state"], "failed");
  EXPECT_EQ(d["attempts"], 4);
  EXPECT_EQ(d["last_status"], 0);
}

TEST_F(ChikageWebhooks, SuccessOnALaterRetryStopsRetrying) {
  Receive({503, 404, 204});
  auto client = MakeClient(TestKey());
  const core::TimePoint t0 = clock_->Now();
  ASSERT_TRUE(Done(client.Create("orders", Order(), Hook())).ok());
  server_->AdvanceClock(core::Duration(0));
  server_->AdvanceClock(minutes(30));
  ASSERT_EQ(calls_.size(), 3u);
  EXPECT_EQ(calls_[2].at, t0 + seconds(120));
  Json d = Deliveries()[0];
  EXPECT_EQ(d["state"], "delivered");
  EXPECT_EQ(d["attempts"], 3);
  EXPECT_EQ(d["last_status"], 204);
}

TEST_F(ChikageWebhooks, TheConsoleKeySendsNone) {
  Receive();
  auto console = MakeClient(Fix("console_key"));
  auto queued = Done(console.Create("orders", Order("FROM-CONSOLE"), Hook()));
  ASSERT_TRUE(queued.ok()) << queued.error().Describe();
  server_->AdvanceClock(minutes(10));
  EXPECT_TRUE(calls_.empty());
  EXPECT_TRUE(Deliveries().empty());
  // The write itself happened, on production data.
  EXPECT_TRUE(Done(MakeClient(LiveKey()).Get("orders", queued->id)).ok());
}

TEST_F(ChikageWebhooks, ReplaceAndDeleteReportTheirOwnEvents) {
  Receive();
  auto client = MakeClient(TestKey());
  const std::string id = Fix("test_record_id");
  ASSERT_TRUE(Done(client.Replace("orders", id, Order("ORD-REPLACED"), Hook())).ok());
  ASSERT_TRUE(Done(client.Get("orders", id)).ok());  // the next request applies the queue
  ASSERT_TRUE(Done(client.Delete("orders", id, Hook())).ok());
  server_->AdvanceClock(core::Duration(0));
  ASSERT_EQ(calls_.size(), 2u);
  Json updated = Json::parse(calls_[0].request.body);
  EXPECT_EQ(updated["event"], "record.updated");
  EXPECT_EQ(updated["data"]["order_id"], "ORD-REPLACED");
  Json deleted = Json::parse(calls_[1].request.body);
  EXPECT_EQ(deleted["event"], "record.deleted");
  EXPECT_EQ(deleted["id"], id);
  EXPECT_TRUE(deleted["data"].is_null());
}

TEST_F(ChikageWebhooks, DeliveryWaitsForTheQueueDelay) {
  Receive();
  ASSERT_FALSE(server_->ApplySettings("chikage", {{"queue_delay_ms", 5000}}));
  const core::TimePoint t0 = clock_->Now();
  ASSERT_TRUE(Done(MakeClient(TestKey()).Create("orders", Order(), Hook())).ok());
  server_->AdvanceClock(core::Duration(4999));
  EXPECT_TRUE(calls_.empty());
  server_->AdvanceClock(core::Duration(1));
  ASSERT_EQ(calls_.size(), 1u);
  EXPECT_EQ(calls_[0].at, t0 + core::Duration(5000));
}

TEST_F(ChikageWebhooks, ANonHttpCallbackIsABadRequest) {
  Receive();
  auto client = MakeClient(TestKey());
  WriteOptions w;
  w.webhook = WebhookOptions{"ftp://hooks.test/x", "", ""};
  auto r = Done(client.Create("orders", Order(), w));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().http_status, 400);
  EXPECT_EQ(r.error().details,
            (std::vector<core::FieldError>{{"X-Webhook-Callback", "Must be an http(s) URL"}}));
  auto del = Done(client.Delete("orders", Fix("test_record_id"), w));
  EXPECT_EQ(del.error().http_status, 400);
  server_->AdvanceClock(minutes(5));
  EXPECT_TRUE(calls_.empty());
  EXPECT_TRUE(
      Done(client.Get("orders", Fix("test_record_id"))).ok());  // the refused delete did nothing
}

TEST_F(ChikageWebhooks, TheWebhookSecretIsMaskedInTheJournalAndLogs) {
  Receive();
  auto options = Options(TestKey());
  std::vector<std::string> lines;
  options.logger = [&](core::LogLevel, std::string_view line) { lines.emplace_back(line); };
  Client client(options);
  ASSERT_TRUE(Done(client.Create("orders", Order(), Hook("Bearer very-secret-hook-token"))).ok());
  for (const auto& e : server_->Journal()) {
    EXPECT_THAT(core::DumpJson(mock::ToJson(e)), Not(HasSubstr("very-secret-hook-token")));
  }
  ASSERT_FALSE(lines.empty());
  for (const auto& line : lines)
    EXPECT_THAT(line, Not(HasSubstr("very-secret-hook-token"))) << line;
  EXPECT_THAT(core::DumpJson(server_->State()), Not(HasSubstr("very-secret-hook-token")));
}

}  // namespace
}  // namespace restbox::chikage::testing
