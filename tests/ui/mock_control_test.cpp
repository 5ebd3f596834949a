// The Mock tab on the null host, driven through its widgets: a forced 429 reaches the next send
// (whose retry timeline shows each attempt), the clock moves the mock's time, reset clears rules
// and journal, and the rate-limit view fills up as requests are sent. Time is ManualClocks: one
// for the mock, one for the console's pipeline (Retry-After waits), so no test sleeps.
#include <gtest/gtest.h>

#include <memory>

#include "console.hpp"
#include "imgui.h"
#include "null_host.hpp"
#include "panels/mock_control.hpp"
#include "restbox/core/clock.hpp"
#include "restbox/mock/all.hpp"

namespace restbox::console {
namespace {

class MockControlTest : public ::testing::Test {
 protected:
  MockControlTest() : console_(Options()) {}

  Model::Options Options() {
    mock::MockOptions mock_options;
    mock_options.clock = mock_clock_;
    Model::Options o;
    o.mock = mock::MakeMockServer(mock_options);
    o.clock = client_clock_;
    o.scheduler = client_clock_;
    return o;
  }

  void SetUp() override {
    if (!model().mock()->FindService("chikage"))
      GTEST_SKIP() << "chikage is not part of this build";
    fix_ = model().mock()->Fixtures()["chikage"];
    model().Select("chikage", "get");
    model().draft.params = {{"slug", fix_["slug"]}, {"record_id", fix_["test_record_id"]}};
    console_.ShowTab(Console::Tab::kMock);
    host_.Run(console_, 3);
  }

  Model& model() { return console_.model(); }
  const core::Json& State() { return console_.hook().state(); }
  // Enough frames for the panel's periodic refresh to ask and get its answers.
  void RunPastRefresh() {
    host_.Run(console_, static_cast<int>(MockControlPanel::kRefreshSeconds * 60) + 4);
  }

  // Clicks a numeric input, replaces its text (the input selects all on focus) and leaves it.
  void TypeInto(const char* id, const char* text) {
    ASSERT_TRUE(host_.Click(console_, id)) << id;
    host_.Type(console_, text);
  }

  std::shared_ptr<core::ManualClock> mock_clock_ = std::make_shared<core::ManualClock>();
  std::shared_ptr<core::ManualClock> client_clock_ = std::make_shared<core::ManualClock>();
  NullHost host_{1600, 1400};
  Console console_;
  core::Json fix_;
};

TEST_F(MockControlTest, ForcedStatusFromTheWidgetsShowsUpAsRetriesOfTheNextSend) {
  model().retry.initial_backoff = core::Duration(1);
  model().retry.jitter = 0;
  TypeInto("mock/force/status", "429");
  TypeInto("mock/force/times", "2");
  ASSERT_TRUE(host_.Click(console_, "mock/force/apply"));
  host_.Run(console_, 3);

  auto rules = model().mock()->Faults();
  ASSERT_EQ(rules.size(), 1u) << State().dump();
  EXPECT_EQ(rules[0].status, 429);
  EXPECT_EQ(rules[0].times, 2);
  EXPECT_EQ(rules[0].match.service, "chikage");  // the endpoint selected in the explorer
  EXPECT_EQ(rules[0].match.endpoint, "get");
  EXPECT_EQ(State()["mock/force/message"], "rule " + std::to_string(rules[0].id) + " added");
  EXPECT_EQ(State()["mock/rules"].size(), 1u);

  const auto id = model().Send(model().draft);
  const Exchange* e = model().FindExchange(id);
  // Each 429 carries Retry-After: 1; the pipeline waits on its (manual) clock.
  for (int i = 0; i < 10 && !e->done; ++i) {
    host_.Frame(console_);
    client_clock_->Advance(core::Duration(1000));
    host_.Frame(console_);
    e = model().FindExchange(id);
  }
  ASSERT_TRUE(e->done);
  EXPECT_EQ(e->status, 200) << e->outcome.dump();
  ASSERT_EQ(e->outcome["attempts"].size(), 3u) << e->outcome.dump();
  ASSERT_EQ(e->wire.size(), 3u);
  EXPECT_EQ(e->wire[0].response->status, 429);
  EXPECT_EQ(e->wire[1].response->status, 429);
  EXPECT_EQ(e->wire[2].response->status, 200);
  EXPECT_TRUE(model().mock()->Faults().empty());  // both uses consumed
}

TEST_F(MockControlTest, AStandingRuleStaysUntilDeleted) {
  ASSERT_TRUE(host_.Click(console_, "mock/force/standing"));
  ASSERT_TRUE(host_.Click(console_, "mock/force/apply"));
  host_.Run(console_, 3);
  auto rules = model().mock()->Faults();
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].times, -1);
  EXPECT_EQ(rules[0].status, 503);
  const std::string remove = "mock/rule/" + std::to_string(rules[0].id) + "/delete";
  ASSERT_TRUE(console_.hook().widgets().contains(remove));
  ASSERT_TRUE(host_.Click(console_, remove));
  host_.Run(console_, 3);
  EXPECT_TRUE(model().mock()->Faults().empty());
}

TEST_F(MockControlTest, ClockButtonsMoveTheMocksTime) {
  const core::TimePoint start = model().mock()->Now();
  ASSERT_TRUE(host_.Click(console_, "mock/clock/advance/1h"));
  host_.Run(console_, 3);
  EXPECT_EQ(model().mock()->Now(), start + std::chrono::hours(1));
  EXPECT_EQ(State()["mock/now"], core::FormatIso8601(start + std::chrono::hours(1)));

  TypeInto("mock/clock/seconds", "90");
  ASSERT_TRUE(host_.Click(console_, "mock/clock/advance"));
  host_.Run(console_, 3);
  EXPECT_EQ(model().mock()->Now(), start + std::chrono::hours(1) + std::chrono::seconds(90));
  EXPECT_EQ(State()["mock/now"], core::FormatIso8601(model().mock()->Now()));
}

TEST_F(MockControlTest, ResetClearsRulesAndJournal) {
  model().mock()->ForceStatus(500, {}, 5);
  model().Send(model().draft);
  host_.Run(console_, 3);
  ASSERT_FALSE(model().mock()->Journal().empty());
  RunPastRefresh();
  ASSERT_EQ(State()["mock/rules"].size(), 1u);

  ASSERT_TRUE(host_.Click(console_, "mock/reset"));
  host_.Run(console_, 4);
  EXPECT_TRUE(model().mock()->Faults().empty());
  EXPECT_TRUE(model().mock()->Journal().empty());
  EXPECT_EQ(State()["mock/rules"].size(), 0u);
}

TEST_F(MockControlTest, ASnapshotSavedFromTheTabBringsTheWorldBackWhenRestored) {
  ASSERT_TRUE(host_.Click(console_, "mock/section/snapshots"));
  host_.Run(console_, 2);
  ASSERT_TRUE(host_.Click(console_, "mock/snapshots/name"));
  host_.Type(console_, "before");
  ASSERT_TRUE(host_.Click(console_, "mock/snapshots/save"));
  RunPastRefresh();
  EXPECT_EQ(State()["mock/snapshots/message"].get<std::string>().rfind("saved before", 0), 0u)
      << State()["mock/snapshots/message"];
  ASSERT_EQ(State()["mock/snapshots"].size(), 1u);
  EXPECT_EQ(State()["mock/snapshots"][0]["name"], "before");

  // The world moves on: a standing rule, and requests that count against the test key's window.
  const auto windows = [&] { return core::DumpJson(State()["mock/limits"]["keys"]); };
  const std::string saved_windows = windows();
  for (int i = 0; i < 3; ++i) model().Send(model().draft);
  model().mock()->ForceStatus(503, {}, -1);  // after the sends: a forced answer is not counted
  RunPastRefresh();
  ASSERT_EQ(model().mock()->Faults().size(), 1u);
  ASSERT_NE(windows(), saved_windows);

  ASSERT_TRUE(host_.Click(console_, "mock/snapshots/before/restore"));
  RunPastRefresh();
  EXPECT_EQ(State()["mock/snapshots/message"].get<std::string>().rfind("restored before", 0), 0u)
      << State()["mock/snapshots/message"];
  EXPECT_TRUE(model().mock()->Faults().empty());
  EXPECT_EQ(windows(), saved_windows);
  EXPECT_EQ(State()["mock/rules"].size(), 0u);

  ASSERT_TRUE(host_.Click(console_, "mock/snapshots/before/delete"));
  RunPastRefresh();
  EXPECT_EQ(State()["mock/snapshots"].size(), 0u);
}

TEST_F(MockControlTest, ASnapshotNameTheMockRefusesShowsItsMessageAndSavesNothing) {
  ASSERT_TRUE(host_.Click(console_, "mock/section/snapshots"));
  host_.Run(console_, 2);
  ASSERT_TRUE(host_.Click(console_, "mock/snapshots/name"));
  host_.Type(console_, "no spaces/allowed");
  ASSERT_TRUE(host_.Click(console_, "mock/snapshots/save"));
  RunPastRefresh();
  EXPECT_EQ(State()["mock/snapshots/message"].get<std::string>().rfind("400: ", 0), 0u)
      << State()["mock/snapshots/message"];
  EXPECT_EQ(State()["mock/snapshots"].size(), 0u);
}

TEST_F(MockControlTest, RateLimitWindowsFillUpAsRequestsAreSent) {
  auto used = [&]() -> long long {
    for (const auto& key : State()["mock/limits"]["keys"]) {
      const std::string shown = key["key"];
      const std::string test_key = fix_["test_key"];
      if (key["service"] == "chikage" && shown.ends_with(test_key.substr(test_key.size() - 4)))
        return key["windows"][0]["used"].get<long long>();
    }
    return -1;
  };
  RunPastRefresh();
  const long long before = used();
  ASSERT_GE(before, 0) << State()["mock/limits"].dump();
  for (int i = 0; i < 3; ++i) model().Send(model().draft);
  RunPastRefresh();
  EXPECT_EQ(used(), before + 3);
  EXPECT_TRUE(console_.hook().widgets().contains("mock/section/limits"));
  // No credential in clear in what the view got.
  EXPECT_EQ(State()["mock/limits"].dump().find(fix_["test_key"].get<std::string>()),
            std::string::npos);
}

TEST_F(MockControlTest, LimitsSwitchTurnsTheMocksLimitsOff) {
  RunPastRefresh();
  ASSERT_TRUE(model().mock()->limits_enabled());
  ASSERT_TRUE(host_.Click(console_, "mock/config/limits"));
  host_.Run(console_, 3);
  EXPECT_FALSE(model().mock()->limits_enabled());
}

TEST_F(MockControlTest, SettingsAreShownMaskedAndARefusedPatchShowsTheMocksMessage) {
  ASSERT_TRUE(host_.Click(console_, "mock/section/settings"));
  host_.Run(console_, 4);
  const std::string text = State()["mock/settings/text"];
  ASSERT_NE(text.find("monthly_quota"), std::string::npos) << text;
  // chikage's settings name its keys ("key.<key>.enabled"): masked here.
  EXPECT_EQ(text.find(fix_["test_key"].get<std::string>()), std::string::npos) << text;
  EXPECT_EQ(text.find(fix_["disabled_key"].get<std::string>()), std::string::npos) << text;

  // A click at the start of the second line puts the cursor before a member: an unknown setting
  // there keeps the text JSON.
  const Rect box = console_.hook().widgets().at("mock/settings/text");
  const ImGuiStyle& style = ImGui::GetStyle();
  host_.MoveMouse(box.x + style.FramePadding.x + 1,
                  box.y + style.FramePadding.y + ImGui::GetTextLineHeight() * 1.5f);
  host_.Frame(console_);
  ImGui::GetIO().MouseDown[0] = true;
  host_.Frame(console_);
  ImGui::GetIO().MouseDown[0] = false;
  host_.Frame(console_);
  host_.Type(console_, "\"no_such_setting\": 1,");
  ASSERT_TRUE(host_.Click(console_, "mock/settings/apply"));
  host_.Run(console_, 3);
  const std::string message = State()["mock/settings/message"];
  EXPECT_EQ(message.rfind("400: ", 0), 0u) << message << "\n" << State()["mock/settings/text"];
  EXPECT_NE(message.find("no_such_setting"), std::string::npos) << message;
  // Nothing was applied: the disabled key is still disabled.
  const auto settings = *model().mock()->Settings("chikage");
  EXPECT_EQ(settings["key." + fix_["disabled_key"].get<std::string>() + ".enabled"], false);
}

}  // namespace
}  // namespace restbox::console
