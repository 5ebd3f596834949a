// The test-only commands the browser host exposes as Module.restboxConsoleCommand (and the hosts'
// test state), on the null host.
#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <string>

#include "console.hpp"
#include "null_host.hpp"
#include "restbox/core/clock.hpp"
#include "restbox/mock/all.hpp"
#include "test_commands.hpp"

namespace restbox::console {
namespace {

using core::Json;

TEST(TestCommands, ShowTabSwitchesTheRightHandTab) {
  NullHost host;
  Console console;
  host.Run(console, 2);
  for (const char* tab : {"mock", "contract", "environments", "history"}) {
    EXPECT_EQ(RunTestCommand(console, {{"cmd", "showTab"}, {"tab", tab}})["ok"], true) << tab;
    host.Run(console, 2);
    std::string active = console.hook().state().value("tabs/active", "");
    for (auto& c : active) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(active.starts_with(tab)) << active;
  }
  const Json bad = RunTestCommand(console, {{"cmd", "showTab"}, {"tab", "nope"}});
  EXPECT_EQ(bad["ok"], false);
  EXPECT_NE(bad["error"].get<std::string>().find("nope"), std::string::npos);
}

TEST(TestCommands, SelectSetParamsTargetAndSendReachTheMock) {
  NullHost host;
  Console console;
  Model& model = console.model();
  const Json fixtures = RunTestCommand(console, {{"cmd", "fixtures"}})["fixtures"]["chikage"];
  ASSERT_TRUE(fixtures.is_object());
  EXPECT_EQ(RunTestCommand(console,
                           {{"cmd", "select"}, {"service", "chikage"}, {"endpoint", "get"}})["ok"],
            true);
  EXPECT_EQ(model.draft.endpoint, "get");
  EXPECT_EQ(RunTestCommand(console,
                           {{"cmd", "select"}, {"service", "chikage"}, {"endpoint", "nope"}})["ok"],
            false);
  EXPECT_EQ(model.draft.endpoint, "get");

  const Json params = {{"slug", fixtures["slug"]}, {"record_id", fixtures["test_record_id"]}};
  EXPECT_EQ(RunTestCommand(console, {{"cmd", "setParams"}, {"params", params}})["ok"], true);
  EXPECT_EQ(model.draft.params, params);
  EXPECT_EQ(RunTestCommand(console, {{"cmd", "setParams"}, {"params", "x"}})["ok"], false);

  EXPECT_EQ(RunTestCommand(console, {{"cmd", "target"}, {"environment", "Local HTTP mock"}})["ok"],
            true);
  EXPECT_EQ(model.draft.environment, 1u);
  EXPECT_EQ(RunTestCommand(console, {{"cmd", "target"}, {"environment", 7}})["ok"], false);
  EXPECT_EQ(RunTestCommand(console, {{"cmd", "target"}, {"environment", -1}})["ok"], false);
  EXPECT_EQ(RunTestCommand(console, {{"cmd", "target"}, {"environment", 0}})["ok"], true);
  EXPECT_EQ(model.draft.environment, 0u);

  const Json sent = RunTestCommand(console, {{"cmd", "send"}});
  ASSERT_EQ(sent["ok"], true);
  host.Run(console, 3);
  const Json state = console.TestState();
  EXPECT_EQ(state["model"]["last"]["id"], sent["id"]);
  EXPECT_EQ(state["model"]["last"]["status"], 200) << state["model"].dump();
}

TEST(TestCommands, TestStateDescribesAnExchangeStillInFlight) {
  // The mock's time only moves when the test says: a latency rule keeps the answer back.
  auto clock = std::make_shared<core::ManualClock>();
  mock::MockOptions mock_options;
  mock_options.clock = clock;
  Model::Options options;
  options.mock = mock::MakeMockServer(mock_options);
  NullHost host;
  Console console(options);
  Model& model = console.model();
  model.Select("chikage", "get");
  const Json fixtures = model.mock()->Fixtures()["chikage"];
  model.draft.params = {{"slug", fixtures["slug"]}, {"record_id", fixtures["test_record_id"]}};
  model.mock()->AddFault(
      {.match = {}, .action = mock::FaultAction::kLatency, .latency = core::Duration(60'000)});
  const auto id = RunTestCommand(console, {{"cmd", "send"}})["id"];
  host.Run(console, 2);
  const Json state = console.TestState();  // the outcome is still null: must not throw
  EXPECT_EQ(state["model"]["last"]["id"], id);
  EXPECT_EQ(state["model"]["last"]["done"], false);
  EXPECT_EQ(state["model"]["last"]["ok"], false);
  EXPECT_EQ(state["model"]["pending"], 1);
  clock->Advance(core::Duration(60'000));
  host.Run(console, 2);
  EXPECT_EQ(console.TestState()["model"]["last"]["done"], true);
  EXPECT_EQ(console.TestState()["model"]["last"]["status"], 200);
}

TEST(TestCommands, LargeResponseSendsTheDemoListing) {
  NullHost host;
  Console console;
  // A small version of the 10 MB scenario: 3 posts of ~2 KB.
  const Json answer =
      RunTestCommand(console, {{"cmd", "largeResponse"}, {"posts", 3}, {"content_bytes", 2000}});
  ASSERT_EQ(answer["ok"], true) << answer.dump();
  host.Run(console, 3);
  const Json last = console.TestState()["model"]["last"];
  EXPECT_EQ(last["id"], answer["id"]);
  EXPECT_EQ(last["status"], 200) << last.dump();
  EXPECT_EQ(last["endpoint"].get<std::string>().rfind("wncms/", 0), 0u) << last.dump();
}

TEST(TestCommands, EnvironmentsListTheBuiltInTargets) {
  Model::Options options;
  options.http_mock_url = "http://127.0.0.1:9999";
  Console console(options);
  const Json envs = RunTestCommand(console, {{"cmd", "environments"}})["environments"];
  ASSERT_GE(envs.size(), 3u);
  EXPECT_EQ(envs[1]["name"], "Local HTTP mock");
  EXPECT_EQ(envs[1]["base_url"], "http://127.0.0.1:9999");
}

TEST(TestCommands, BadInputAnswersAnErrorNeverThrows) {
  Console console;
  for (const Json& command :
       {Json(), Json("showTab"), Json::array({1, 2}), Json{{"cmd", 5}}, Json{{"cmd", "unknown"}},
        Json{{"cmd", "target"}}, Json{{"cmd", "select"}, {"service", Json::array()}}}) {
    const Json answer = RunTestCommand(console, command);
    EXPECT_EQ(answer["ok"], false) << command.dump();
    EXPECT_TRUE(answer["error"].is_string()) << command.dump();
  }
}

}  // namespace
}  // namespace restbox::console
