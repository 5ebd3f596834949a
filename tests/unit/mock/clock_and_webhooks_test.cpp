// The engine's time travel and webhook vetting (issue 11): AdvanceClock jumps from one due time to
// the next (a year with nothing due is one step, work due on the way runs at its own time), time
// saturates instead of overflowing (many maximal advances, a huge offset_ms in a state file), and
// a callback the WebhookSender refuses is chikage's documented 400 before anything is queued.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/mock/all.hpp"

namespace restbox::mock {
namespace {

using core::Json;
using std::chrono::hours;
using std::chrono::seconds;
using ::testing::HasSubstr;

constexpr core::Duration kYear = std::chrono::duration_cast<core::Duration>(hours(24 * 366));

// A service with no routes whose Tick records when it ran, and whose NextDue is a list of times.
class TickRecorder final : public ServiceModule {
 public:
  explicit TickRecorder(std::vector<core::TimePoint> due) : due_(std::move(due)) {
    spec_.id = "ticks";
  }
  const core::ServiceSpec& Spec() const override { return spec_; }
  void Register(Router&, MockContext&) override {}
  void Reset(std::uint64_t) override {}
  Json Fixtures() const override { return Json::object(); }
  Json Settings() const override { return Json::object(); }
  std::optional<std::string> ApplySettings(const Json&) override { return std::nullopt; }
  Json SaveState() const override { return Json::object(); }
  std::optional<std::string> LoadState(const Json&) override { return std::nullopt; }
  core::HttpResponse ErrorResponse(int status, const std::string&,
                                   const std::string&) const override {
    return JsonResponse(status, Json::object());
  }
  bool OwnsPath(std::string_view) const override { return false; }
  void Tick(core::TimePoint now) override {
    ticks.push_back(now);
    std::erase_if(due_, [now](core::TimePoint t) { return t <= now; });
  }
  std::optional<core::TimePoint> NextDue() const override {
    if (due_.empty()) return std::nullopt;
    return *std::min_element(due_.begin(), due_.end());
  }

  std::vector<core::TimePoint> ticks;

 private:
  core::ServiceSpec spec_;
  std::vector<core::TimePoint> due_;
};

TEST(MockClock, AYearWithNothingDueIsOneStep) {
  auto clock = std::make_shared<core::ManualClock>();
  MockServer server({.clock = clock});
  auto recorder = std::make_unique<TickRecorder>(std::vector<core::TimePoint>{});
  auto* ticks = recorder.get();
  server.AddService(std::move(recorder));
  const auto start = clock->Now();
  server.AdvanceClock(kYear);
  EXPECT_EQ(clock->Now(), start + kYear);
  // Before: one Tick per second of the year (31,622,400 of them, minutes of CPU; in the
  // browser, a frozen page). Now: one at the start and one at the end.
  EXPECT_LE(ticks->ticks.size(), 2u);
  EXPECT_EQ(ticks->ticks.back(), start + kYear);
}

TEST(MockClock, WorkDueOnTheWayRunsAtItsOwnTime) {
  auto clock = std::make_shared<core::ManualClock>();
  const auto start = clock->Now();
  const std::vector<core::TimePoint> due = {start + seconds(10), start + hours(24),
                                            start + hours(24 * 200)};
  MockServer server({.clock = clock});
  auto recorder = std::make_unique<TickRecorder>(due);
  auto* ticks = recorder.get();
  server.AddService(std::move(recorder));
  // A task on the clock itself (a latency fault's timer, an in-process transport's timeout) is a
  // stop as well.
  core::TimePoint task_ran_at{};
  clock->Schedule(std::chrono::duration_cast<core::Duration>(hours(48)),
                  [&] { task_ran_at = clock->Now(); });
  server.AdvanceClock(kYear);
  EXPECT_EQ(task_ran_at, start + hours(48));
  std::vector<core::TimePoint> expected = {start,  due[0],       due[1], start + hours(48),
                                           due[2], start + kYear};
  EXPECT_EQ(ticks->ticks, expected);
}

TEST(MockClock, WebhookRetriesRunSixtySecondsApartInOneAdvance) {
  auto clock = std::make_shared<core::ManualClock>();
  auto server = MakeMockServer({.clock = clock});
  if (!server->FindService("chikage")) GTEST_SKIP() << "chikage is not part of this build";
  const std::string url = "http://receiver.invalid/hook";
  server->in_process_webhooks()->Register(url, [](const WebhookRequest&) { return 500; });
  core::HttpRequest create;
  create.method = core::Method::kPost;
  create.url = "http://mock/api/v1/data/orders";
  create.headers.Set("Authorization",
                     "Bearer " + server->Fixtures()["chikage"]["test_key"].get<std::string>());
  create.headers.Set("Content-Type", "application/json");
  create.headers.Set("X-Webhook-Callback", url);
  create.body = R"({"order_id":"RETRY-1","amount":1,"items":[],"paid":true})";
  ASSERT_EQ(server->Process(create).response.status, 202);
  server->AdvanceClock(kYear);
  Json delivery = server->State()["chikage"]["webhook_deliveries"][0];
  EXPECT_EQ(delivery["state"], "failed");
  ASSERT_EQ(delivery["log"].size(), 4u);  // the first try and 3 retries
  const auto start = core::ManualClock::DefaultStart();
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(delivery["log"][i]["at"], core::FormatIso8601(start + seconds(60 * i)))
        << delivery.dump();
    EXPECT_EQ(delivery["log"][i]["status"], 500);
  }
}

TEST(MockClock, ManyMaximalAdvancesSaturateInsteadOfOverflowing) {
  auto clock = std::make_shared<core::ManualClock>();
  MockServer manual({.clock = clock});
  MockServer real;  // the system clock plus an offset
  core::TimePoint last = manual.Now();
  for (int i = 0; i < 400; ++i) {
    manual.AdvanceClock(kYear);
    real.AdvanceClock(kYear);
    ASSERT_GE(manual.Now(), last);  // never wraps into the past
    last = manual.Now();
  }
  EXPECT_EQ(manual.Now(), core::LatestTime());
  EXPECT_EQ(real.Now(), core::LatestTime());
  EXPECT_EQ(core::FormatIso8601(manual.Now()), "2200-01-01T00:00:00.000Z");
  manual.AdvanceClock(core::Duration::max());
  EXPECT_EQ(manual.Now(), core::LatestTime());
}

TEST(MockClock, AHugeOffsetInAStateFileIsClamped) {
  for (Json offset : {Json(std::numeric_limits<std::int64_t>::max()),
                      Json(std::numeric_limits<std::uint64_t>::max()), Json(1e300), Json(-1e300),
                      Json(std::numeric_limits<std::int64_t>::min()), Json("soon")}) {
    SCOPED_TRACE(offset.dump());
    MockServer server;
    ASSERT_FALSE(server.LoadState({{"__clock", {{"offset_ms", offset}}}}));
    const auto now = server.Now();
    EXPECT_LE(now, core::LatestTime());
    EXPECT_GE(now, std::chrono::system_clock::now() - hours(1));  // an offset never goes back
    server.AdvanceClock(kYear);                                   // and still adds up
    EXPECT_LE(server.Now(), core::LatestTime());
    EXPECT_NO_THROW((void)core::FormatIso8601(server.Now()));
  }
}

// A sender that refuses one host, as restbox-mock's does for destinations beyond loopback.
class RefusingSender final : public WebhookSender {
 public:
  void Post(WebhookRequest request, std::function<void(int)> done) override {
    posted.push_back(request.url);
    done(204);
  }
  std::optional<std::string> Refusal(const std::string& url) override {
    ++vetted;
    if (url.find("refused.invalid") != std::string::npos) return "refused.invalid is not loopback";
    return std::nullopt;
  }
  std::vector<std::string> posted;
  int vetted = 0;
};

class ChikageWebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sender_ = std::make_shared<RefusingSender>();
    server_ = MakeMockServer({.clock = std::make_shared<core::ManualClock>(), .webhooks = sender_});
    if (!server_->FindService("chikage")) GTEST_SKIP() << "chikage is not part of this build";
    fix_ = server_->Fixtures()["chikage"];
  }

  core::HttpResponse Send(core::Method method, const std::string& path, core::Headers headers,
                          std::string body = {}) {
    core::HttpRequest r;
    r.method = method;
    r.url = "http://mock" + path;
    r.headers = std::move(headers);
    r.headers.Set("Authorization", "Bearer " + fix_["test_key"].get<std::string>());
    if (!body.empty()) r.headers.Set("Content-Type", "application/json");
    r.body = std::move(body);
    return server_->Process(std::move(r)).response;
  }
  core::HttpResponse Create(core::Headers headers) {
    return Send(core::Method::kPost, "/api/v1/data/orders", std::move(headers),
                R"({"order_id":"HOOK-1","amount":1,"items":[],"paid":true})");
  }
  std::string RecordPath() const {
    return "/api/v1/data/" + fix_["slug"].get<std::string>() + "/" +
           fix_["test_record_id"].get<std::string>();
  }

  std::shared_ptr<RefusingSender> sender_;
  std::shared_ptr<MockServer> server_;
  Json fix_;
};

TEST_F(ChikageWebhookTest, ARefusedCallbackIsTheDocumented400AndNothingIsQueued) {
  auto r = Create({{"X-Webhook-Callback", "http://refused.invalid/hook"}});
  EXPECT_EQ(r.status, 400);
  Json body = core::ParseJson(r.body).value();
  EXPECT_EQ(body["error"], "Validation failed");
  ASSERT_EQ(body["details"].size(), 1u) << r.body;
  EXPECT_EQ(body["details"][0]["field"], "X-Webhook-Callback");
  EXPECT_THAT(body["details"][0].dump(), HasSubstr("refused.invalid is not loopback"));
  EXPECT_EQ(sender_->vetted, 1);  // vetted once, before the engine's lock
  auto del = Send(core::Method::kDelete, RecordPath(),
                  {{"X-Webhook-Callback", "http://refused.invalid/hook"}});
  EXPECT_EQ(del.status, 400);
  server_->Tick();
  EXPECT_TRUE(server_->State()["chikage"]["queue"].empty());
  EXPECT_TRUE(sender_->posted.empty());

  ASSERT_EQ(Create({{"X-Webhook-Callback", "http://allowed.invalid/hook"}}).status, 202);
  server_->Tick();
  EXPECT_EQ(sender_->posted, std::vector<std::string>{"http://allowed.invalid/hook"});
}

TEST_F(ChikageWebhookTest, TheAuthHeaderNameMustBeASafeHeaderName) {
  for (const char* name :
       {"Host", "Content-Length", "transfer-encoding", "Connection", "Keep-Alive", "Upgrade", "TE",
        "Trailer", "Expect", "Proxy-Authorization", "proxy-anything", "Content-Type", "Bad Name",
        "X-A:b", "X-\r\nInjected", ""}) {
    SCOPED_TRACE(name);
    if (std::string(name).empty()) continue;  // empty means the default, Authorization
    auto r = Create({{"X-Webhook-Callback", "http://allowed.invalid/hook"},
                     {"X-Webhook-Auth-Header", name},
                     {"X-Webhook-Auth", "v"}});
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_THAT(r.body, HasSubstr("X-Webhook-Auth-Header"));
  }
  EXPECT_FALSE(IsSafeWebhookHeaderName(std::string(65, 'a')));
  for (const char* name : {"Authorization", "X-Hook-Token", "x_custom~1", "A"})
    EXPECT_TRUE(IsSafeWebhookHeaderName(name)) << name;
  EXPECT_EQ(Create({{"X-Webhook-Callback", "http://allowed.invalid/hook"},
                    {"X-Webhook-Auth-Header", "X-Hook-Token"},
                    {"X-Webhook-Auth", "v"}})
                .status,
            202);
}

}  // namespace
}  // namespace restbox::mock
