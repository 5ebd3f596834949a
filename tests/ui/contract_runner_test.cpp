// The Contract tab on the null host: a run against a fresh in-process mock goes over several
// frames (the UI stays live), completes with no red cell and one result per row and run, leaves
// the user's mock alone, and a cell's click-through shows the case's exchanges, masked.
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>
#include <utility>

#include "console.hpp"
#include "contract_run.hpp"
#include "null_host.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/transports/in_process_transport.hpp"
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
  const ContractResult result = contract::RunToCompletion(run->RunJob(0));
  EXPECT_TRUE(result.has_case);
  EXPECT_TRUE(result.passed) << result.message;
  ASSERT_FALSE(result.exchanges.empty());
  ASSERT_TRUE(result.exchanges.back().response.has_value());
  EXPECT_EQ(result.exchanges.back().response->status, run->jobs()[0].row.status);
}

// A transport that answers later, when the test says so (as curl or fetch do): the in-process
// mock's answer is held until Deliver().
class LaterTransport final : public core::Transport {
 public:
  explicit LaterTransport(std::shared_ptr<core::Transport> inner) : inner_(std::move(inner)) {}
  void Send(core::HttpRequest request, const core::Context& context,
            core::TransportCompletion completion) override {
    inner_->Send(
        std::move(request), context,
        [this, completion](core::Result<core::HttpResponse> r) mutable {
          held_.push_back([completion, r = std::move(r)]() mutable { completion(std::move(r)); });
        });
  }
  // Completes the oldest held call; false when none is held.
  bool Deliver() {
    if (held_.empty()) return false;
    auto next = std::move(held_.front());
    held_.pop_front();
    next();
    return true;
  }

 private:
  std::shared_ptr<core::Transport> inner_;
  std::deque<std::function<void()>> held_;
};

// Over HTTP the answers come later: the job waits on the loop without blocking, its admin calls
// (reset, fixtures) and the case's call each resume it when delivered, and the result is the same.
TEST(ContractRun, AJobOverAnAsynchronousTransportWaitsWithoutBlocking) {
  auto later = std::make_shared<LaterTransport>(
      std::make_shared<transports::InProcessTransport>(mock::MakeMockServer()));
  auto run = ContractRun::OverHttp(later, "http://mock/", {true, false});
  ASSERT_FALSE(run->jobs().empty());
  contract::Loop loop;
  std::optional<ContractResult> result;
  contract::Start<ContractResult>(
      run->RunJob(0), &loop, [&](std::optional<ContractResult>* r, const std::exception_ptr& e) {
        ASSERT_FALSE(e);
        result = std::move(**r);
      });
  int answers = 0;
  while (!result && answers < 20) {
    EXPECT_EQ(loop.RunReady(), 0u);  // nothing to resume before an answer arrives
    ASSERT_TRUE(later->Deliver()) << "the job waits for an answer it never asked for";
    ++answers;
    EXPECT_EQ(loop.RunReady(), 1u);  // the answer resumed the job through the loop
  }
  ASSERT_TRUE(result.has_value());
  EXPECT_GE(answers, 3);  // POST /__restbox/reset, GET /__restbox/fixtures, the case's call
  EXPECT_TRUE(result->passed) << result->message;
  ASSERT_FALSE(result->exchanges.empty());
  EXPECT_EQ(result->exchanges.back().response->status, run->jobs()[0].row.status);
}

// The tab against an HTTP-mock environment whose transport answers only when the test delivers
// (as curl or fetch answer later): the run goes on frame by frame without blocking a frame or
// using a thread, every cell ends green, and the user's in-process mock is left alone.
TEST(ContractRunnerOverHttp, ARunWaitsForEachAnswerWithoutBlockingAFrame) {
  auto later = std::make_shared<LaterTransport>(
      std::make_shared<transports::InProcessTransport>(mock::MakeMockServer()));
  Model::Options options;
  options.http_transport = later;
  options.http_mock_url = "http://mock";
  Console console(options);
  NullHost host{2400, 1600};
  console.ShowTab(Console::Tab::kContract);
  host.Run(console, 3);
  std::size_t http = 0;
  const auto& envs = console.model().environments;
  while (http < envs.size() && envs[http].target != TargetKind::kHttpMock) ++http;
  ASSERT_LT(http, envs.size());
  ASSERT_TRUE(host.Click(console, "contract/target"));
  host.Frame(console);  // a popup's first frame only measures it
  ASSERT_TRUE(host.Click(console, "contract/target/" + std::to_string(http + 1)));
  ASSERT_TRUE(host.Click(console, "contract/run"));
  const core::Json& state = console.hook().state();
  EXPECT_EQ(state["contract/running"], true);
  // No answer delivered: frames go on, nothing completes.
  host.Run(console, 3);
  EXPECT_EQ(state["contract/done"], 0u);
  EXPECT_EQ(state["contract/running"], true);
  int frames = 0;
  while (state["contract/running"] == true && frames < 200'000) {
    later->Deliver();
    host.Frame(console);
    ++frames;
  }
  EXPECT_EQ(state["contract/running"], false);
  EXPECT_EQ(state["contract/done"], state["contract/total"]);
  EXPECT_EQ(state["contract/failed"], 0u);
  EXPECT_GT(frames, 1000);  // at least an answer per frame: hundreds of jobs, several calls each
  EXPECT_TRUE(console.model().mock()->Journal().empty());
}

// The Live target (restbox-check's realistic rows, tests/ui/live_contract_test.cpp runs it against
// a restbox-mock process) is offered for every environment but the in-process mock, and runs
// without blocking a frame over a transport that answers later (as fetch does in the browser:
// this test runs in the wasm build too). The environment's credentials are the only fixtures.
TEST(ContractRunnerLive, IsOfferedForEveryEnvironmentButTheInProcessMockAndRunsWithoutBlocking) {
  auto server = mock::MakeMockServer();
  auto later =
      std::make_shared<LaterTransport>(std::make_shared<transports::InProcessTransport>(server));
  Model::Options options;
  options.http_transport = later;
  options.http_mock_url = "http://mock";
  Console console(options);
  NullHost host{2400, 1600};
  console.ShowTab(Console::Tab::kContract);
  host.Run(console, 3);
  const auto& envs = console.model().environments;
  std::size_t live = envs.size();
  for (std::size_t i = 0; i < envs.size(); ++i) {
    if (envs[i].target == TargetKind::kLive) live = i;
  }
  ASSERT_LT(live, envs.size());
  // The Live environment's keys: the mock's working ones (the seed leaves them empty).
  Environment& env = console.model().environments[live];
  const core::Json fixtures = server->Fixtures();
  for (const auto& service : console.model().services()) {
    env.service_base_url[service.id] = "http://mock";
    for (const char* role : {"test_key", "api_key", "consumer_key", "api_token"}) {
      if (fixtures[service.id].contains(role)) {
        env.credentials[service.id].key = fixtures[service.id][role].get<std::string>();
        break;
      }
    }
    if (fixtures[service.id].contains("api_secret"))
      env.credentials[service.id].secret = fixtures[service.id]["api_secret"].get<std::string>();
  }
  ASSERT_TRUE(host.Click(console, "contract/target"));
  host.Frame(console);  // a popup's first frame only measures it
  const auto& widgets = console.hook().widgets();
  for (std::size_t i = 0; i < envs.size(); ++i) {
    EXPECT_EQ(widgets.contains("contract/target/live/" + std::to_string(i + 1)),
              envs[i].target != TargetKind::kInProcess)
        << envs[i].name;
  }
  ASSERT_TRUE(host.Click(console, "contract/target/live/" + std::to_string(live + 1)));
  const core::Json& state = console.hook().state();
  ASSERT_EQ(state["contract/live"], true);
  // Realistic rows only: no Forced box, an Allow writes box (off).
  host.Frame(console);
  EXPECT_FALSE(widgets.contains("contract/forced"));
  EXPECT_TRUE(widgets.contains("contract/allow_writes"));
  ASSERT_TRUE(host.Click(console, "contract/run"));
  EXPECT_EQ(state["contract/error"], "");
  EXPECT_EQ(state["contract/running"], true);
  int frames = 0;
  while (state["contract/running"] == true && frames < 100'000) {
    later->Deliver();
    host.Frame(console);
    ++frames;
  }
  EXPECT_EQ(state["contract/running"], false);
  EXPECT_EQ(state["contract/done"], state["contract/total"]);
  EXPECT_EQ(state["contract/total"], contract::AllRows().size());  // realistic rows only
  EXPECT_EQ(state["contract/failed"], 0u);
  EXPECT_GT(state["contract/skipped"].get<std::size_t>(), 0u);
  EXPECT_GE(
      state["contract/done"].get<std::size_t>() - state["contract/skipped"].get<std::size_t>(),
      15u);
  EXPECT_GT(frames, 15);  // an answer per frame at most
  // Nothing was administered: no reset, no fixtures asked of the server.
  const auto journal = server->Journal();
  EXPECT_FALSE(journal.empty());
  for (const auto& entry : journal)
    EXPECT_EQ(entry.url.find("/__restbox/"), std::string::npos) << entry.url;
}

}  // namespace
}  // namespace restbox::console
