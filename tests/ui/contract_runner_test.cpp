// The Contract tab on the null host: a run against a fresh in-process mock goes over several
// frames (the UI stays live), completes with no red cell and one result per row and run, leaves
// the user's mock alone, and a cell's click-through shows the case's exchanges, masked.
#include <gtest/gtest.h>

#include <string>

#include "console.hpp"
#include "contract_run.hpp"
#include "null_host.hpp"
#include "sweep.hpp"

namespace restbox::console {
namespace {

class ContractRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    console_.ShowTab(Console::Tab::kContract);
    host_.Run(console_, 3);
  }

  const core::Json& State() { return console_.hook().state(); }

  // Clicks Run and draws frames until the run ends; returns the number of frames it took.
  int RunToCompletion() {
    EXPECT_TRUE(host_.Click(console_, "contract/run"));
    int frames = 0;
    while (State()["contract/running"] == true && frames < 100'000) {
      host_.Frame(console_);
      ++frames;
    }
    return frames;
  }

  NullHost host_{2400, 1600};
  Console console_;
};

TEST_F(ContractRunnerTest, InProcessRunCompletesWithoutFailuresOverSeveralFrames) {
  std::size_t rows = 0;
  std::size_t error_rows = 0;
  for (const auto& row : contract::AllRows()) {
    ++rows;
    if (!row.success) ++error_rows;
  }
  ASSERT_GT(rows, 0u);
  // Realistic and forced are both on by default: every row once, every error row again forced.
  EXPECT_EQ(State()["contract/total"], rows + error_rows);

  const int frames = RunToCompletion();
  EXPECT_EQ(State()["contract/running"], false);
  EXPECT_EQ(State()["contract/total"], rows + error_rows);
  EXPECT_EQ(State()["contract/done"], rows + error_rows);
  EXPECT_EQ(State()["contract/failed"], 0u);
  // Hundreds of cases do not fit one frame's budget: the progress bar had frames to move.
  EXPECT_GT(frames, 1);
  EXPECT_TRUE(console_.hook().widgets().contains("contract/progress"));
  // The run had a mock of its own.
  EXPECT_TRUE(console_.model().mock()->Journal().empty());
}

TEST_F(ContractRunnerTest, RealisticOnlyRunsEachRowOnce) {
  ASSERT_TRUE(host_.Click(console_, "contract/forced"));
  EXPECT_EQ(State()["contract/total"], contract::AllRows().size());
}

TEST_F(ContractRunnerTest, ClickingACellShowsItsTriggerCheckAndExchanges) {
  if (!console_.model().FindService("chikage")) GTEST_SKIP() << "chikage is not part of this build";
  RunToCompletion();
  ASSERT_EQ(State()["contract/failed"], 0u);
  const std::string cell = "contract/cell/chikage/get/429";
  ASSERT_TRUE(host_.Click(console_, cell)) << "not drawn: " << cell;
  host_.Frame(console_);

  const core::Json& selected = State()["contract/selected"];
  EXPECT_EQ(selected["service"], "chikage");
  EXPECT_EQ(selected["endpoint"], "get");
  EXPECT_EQ(selected["column"], "429");
  ASSERT_EQ(selected["runs"].size(), 2u) << selected.dump();  // realistic and forced
  const std::string quota_key =
      console_.model().mock()->Fixtures()["chikage"]["quota_exhausted_key"];
  for (const auto& run : selected["runs"]) {
    EXPECT_EQ(run["passed"], true);
    EXPECT_EQ(run["message"], "");
    ASSERT_FALSE(run["exchanges"].empty()) << run.dump();
    const auto& last = run["exchanges"].back();
    EXPECT_EQ(last["status"], 429);
    EXPECT_EQ(last["method"], "GET");
    EXPECT_NE(last["url"].get<std::string>().find("/api/v1/data/"), std::string::npos);
    // The realistic case used the quota-exhausted key: shown masked.
    EXPECT_EQ(last["text"].get<std::string>().find(quota_key), std::string::npos);
  }
  EXPECT_EQ(selected["runs"][0]["forced"], false);
  EXPECT_NE(selected["runs"][0]["trigger"].get<std::string>().find("quota"), std::string::npos);
  EXPECT_NE(
      selected["runs"][1]["exchanges"].back()["text"].get<std::string>().find("Prefer: code=429"),
      std::string::npos);
}

TEST(ContractRun, RecordsEachExchangeOfAJobAndChecksIt) {
  auto run = ContractRun::InProcess({true, false});
  ASSERT_FALSE(run->jobs().empty());
  const ContractResult result = run->RunJob(0);
  EXPECT_TRUE(result.has_case);
  EXPECT_TRUE(result.passed) << result.message;
  ASSERT_FALSE(result.exchanges.empty());
  ASSERT_TRUE(result.exchanges.back().response.has_value());
  EXPECT_EQ(result.exchanges.back().response->status, run->jobs()[0].row.status);
}

}  // namespace
}  // namespace restbox::console
