// The Contract tab's Live target against a restbox-mock process on 127.0.0.1, treated as a foreign
// server (each service's base URL, no admin API): restbox-check's realistic rows with the
// environment's credentials as the only fixtures. Rows pass; a transport that alters one field of
// one answer makes that cell fail with the problem at its JSON path; rows needing a fixture the
// environment lacks are skipped, naming it; writes run only when "Allow writes" is ticked.
// A separate program (tests/ui/CMakeLists.txt): it needs the restbox-mock binary and libcurl.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "console.hpp"
#include "contract_run.hpp"
#include "mock_process.hpp"
#include "null_host.hpp"
#include "restbox/transports/curl_transport.hpp"

namespace restbox::console {
namespace {

using core::Json;

// Sends through curl; when `break_jobs_list` is set, the answer to GET /api/jobs (findhelper's
// jobs.list) comes back with data[0].id a string, as a server that drifted from its table would.
class BreakingTransport final : public core::Transport {
 public:
  BreakingTransport() {
    transports::CurlOptions options;
    options.no_proxy = "127.0.0.1,localhost,::1";
    inner_ = std::make_shared<transports::CurlTransport>(options);
  }
  bool break_jobs_list = false;
  void Send(core::HttpRequest request, const core::Context& context,
            core::TransportCompletion completion) override {
    const bool target = break_jobs_list && request.method == core::Method::kGet &&
                        request.url.size() >= 9 &&
                        request.url.compare(request.url.size() - 9, 9, "/api/jobs") == 0;
    inner_->Send(std::move(request), context,
                 [target, completion](core::Result<core::HttpResponse> r) {
                   if (target && r.ok()) {
                     auto body = core::ParseJson(r->body);
                     if (body.ok() && body->contains("data") && !(*body)["data"].empty()) {
                       (*body)["data"][0]["id"] = "broken";
                       r->body = core::DumpJson(*body);
                     }
                   }
                   completion(std::move(r));
                 });
  }

 private:
  std::shared_ptr<core::Transport> inner_;
};

class LiveContractTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    mock_ = new conformance::MockProcess(RESTBOX_MOCK_BINARY, {"--quiet"});
    ASSERT_EQ(mock_->Start(), "");
  }
  static void TearDownTestSuite() {
    delete mock_;
    mock_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(mock_, nullptr);
    // A fresh server state for each test (the tab never resets it: a foreign server).
    ASSERT_EQ(conformance::HttpPost("127.0.0.1", mock_->port(), "/__restbox/reset", "{}").status,
              200);
    auto fixtures = core::ParseJson(
        conformance::HttpGet("127.0.0.1", mock_->port(), "/__restbox/fixtures").body);
    ASSERT_TRUE(fixtures.ok());
    fixtures_ = *fixtures;
    Model::Options options;
    options.http_transport = transport_;
    console_ = std::make_unique<Console>(options);
    // The Live environment: every service at the mock's root, its working credentials only.
    auto& envs = console_->model().environments;
    live_ = 0;
    while (live_ < envs.size() && envs[live_].target != TargetKind::kLive) ++live_;
    ASSERT_LT(live_, envs.size());
    Environment& live = envs[live_];
    for (const auto& service : console_->model().services()) {
      live.service_base_url[service.id] = mock_->base_url();
      const Json& f = fixtures_[service.id];
      services::Credentials c;
      for (const char* role : {"test_key", "api_key", "consumer_key", "api_token"}) {
        if (f.contains(role)) {
          c.key = f[role].get<std::string>();
          break;
        }
      }
      if (f.contains("api_secret")) c.secret = f["api_secret"].get<std::string>();
      live.credentials[service.id] = c;
    }
    console_->ShowTab(Console::Tab::kContract);
    host_.Run(*console_, 3);
  }

  const Json& State() { return console_->hook().state(); }

  void ChooseLive() {
    ASSERT_TRUE(host_.Click(*console_, "contract/target"));
    host_.Frame(*console_);  // a popup's first frame only measures it
    ASSERT_TRUE(host_.Click(*console_, "contract/target/live/" + std::to_string(live_ + 1)));
    ASSERT_EQ(State()["contract/live"], true);
  }

  // Runs and draws frames until the run ends (curl answers on its thread; each frame resumes).
  void RunToEnd() {
    ASSERT_TRUE(host_.Click(*console_, "contract/run"));
    ASSERT_EQ(State()["contract/error"], "");
    int frames = 0;
    while (State()["contract/running"] == true && frames < 200'000) {
      host_.Frame(*console_);
      ++frames;
    }
    ASSERT_EQ(State()["contract/running"], false);
  }

  // What a cell's click-through shows (its only run: Live rows are realistic).
  Json Cell(const std::string& service, const std::string& endpoint, const std::string& column) {
    const std::string id = "contract/cell/" + service + "/" + endpoint + "/" + column;
    EXPECT_TRUE(host_.Click(*console_, id)) << "not drawn: " << id;
    host_.Frame(*console_);
    const Json& selected = State()["contract/selected"];
    EXPECT_EQ(selected["runs"].size(), 1u) << selected.dump();
    return selected["runs"].empty() ? Json::object() : selected["runs"][0];
  }

  static conformance::MockProcess* mock_;
  Json fixtures_;
  std::shared_ptr<BreakingTransport> transport_ = std::make_shared<BreakingTransport>();
  std::size_t live_ = 0;
  NullHost host_{2400, 1600};
  std::unique_ptr<Console> console_;
};
conformance::MockProcess* LiveContractTest::mock_ = nullptr;

TEST_F(LiveContractTest, RealisticRowsPassAndRowsNeedingAbsentFixturesOrWritesAreSkippedNamingWhy) {
  ChooseLive();
  RunToEnd();
  const auto done = State()["contract/done"].get<std::size_t>();
  const auto skipped = State()["contract/skipped"].get<std::size_t>();
  EXPECT_EQ(done, State()["contract/total"].get<std::size_t>());
  // Realistic rows only, one per documented row (forcing a row needs restbox-mock's Prefer).
  EXPECT_EQ(done, contract::AllRows().size());
  EXPECT_EQ(State()["contract/failed"], 0u);
  // Reads that need nothing but a key pass (findhelper's and wncms's lists...).
  EXPECT_GE(done - skipped, 15u);
  EXPECT_GT(skipped, 0u);
  EXPECT_NE(State()["contract/live_summary"].get<std::string>().find("requests"),
            std::string::npos);

  Json pass = Cell("findhelper", "jobs.list", "200");
  EXPECT_EQ(pass["passed"], true) << pass.dump();
  EXPECT_EQ(pass["skipped"], false);
  ASSERT_FALSE(pass["exchanges"].empty());
  EXPECT_EQ(pass["exchanges"].back()["status"], 200);
  EXPECT_EQ(pass["exchanges"].back()["url"], mock_->base_url() + "/api/jobs");
  // The environment's secret is shown masked.
  EXPECT_EQ(pass["exchanges"].back()["text"].get<std::string>().find(
                fixtures_["findhelper"]["api_secret"].get<std::string>()),
            std::string::npos);

  // A template token is not among the environment's fixtures (and no create made one).
  Json missing = Cell("inventory", "templates.get", "200");
  EXPECT_EQ(missing["skipped"], true) << missing.dump();
  EXPECT_EQ(missing["message"], "missing fixture inventory.template_token");
  EXPECT_TRUE(missing["exchanges"].empty());

  Json write = Cell("findhelper", "jobs.create", "201");
  EXPECT_EQ(write["skipped"], true) << write.dump();
  EXPECT_NE(write["message"].get<std::string>().find("writes run only"), std::string::npos);
}

TEST_F(LiveContractTest, AnAnswerThatDriftsFromTheTableFailsItsCellWithTheProblemAtItsPath) {
  transport_->break_jobs_list = true;
  ChooseLive();
  RunToEnd();
  EXPECT_EQ(State()["contract/failed"], 1u);
  Json broken = Cell("findhelper", "jobs.list", "200");
  EXPECT_EQ(broken["passed"], false) << broken.dump();
  EXPECT_EQ(broken["skipped"], false);
  ASSERT_FALSE(broken["problems"].empty()) << broken.dump();
  bool found = false;
  for (const auto& p : broken["problems"]) {
    if (p["path"] == "$.data[0].id") {
      found = true;
      EXPECT_NE(p["actual"].get<std::string>().find("string"), std::string::npos) << p.dump();
    }
  }
  EXPECT_TRUE(found) << broken.dump();
  EXPECT_NE(broken["message"].get<std::string>().find("$.data[0].id"), std::string::npos);
}

TEST_F(LiveContractTest, AllowWritesRunsTheWritesAndChainsTheIdsTheyCreate) {
  ChooseLive();
  ASSERT_TRUE(host_.Click(*console_, "contract/allow_writes"));
  RunToEnd();
  EXPECT_EQ(State()["contract/failed"], 0u);
  Json create = Cell("findhelper", "jobs.create", "201");
  EXPECT_EQ(create["passed"], true) << create.dump();
  // The job the create returned is the one the later rows read (no job_id fixture was given).
  Json get = Cell("findhelper", "jobs.get", "200");
  EXPECT_EQ(get["passed"], true) << get.dump();
}

// A base URL the check cannot use: Run does not start, and the tab says why.
TEST_F(LiveContractTest, AnEnvironmentWithABaseUrlThatIsNotHttpDoesNotStartAndSaysWhy) {
  console_->model().environments[live_].service_base_url["inventory"] = "ftp://x.invalid";
  ChooseLive();
  ASSERT_TRUE(host_.Click(*console_, "contract/run"));
  host_.Frame(*console_);
  EXPECT_EQ(State()["contract/running"], false);
  EXPECT_EQ(State()["contract/done"], 0u);
  const std::string error = State()["contract/error"];
  EXPECT_NE(error.find("ftp://x.invalid"), std::string::npos) << error;
  EXPECT_NE(error.find("not an absolute http"), std::string::npos) << error;
}

// The engine without the panel: a base URL that is not http(s) is refused before anything is sent.
TEST(LiveContractRun, ABadBaseUrlIsAConfigError) {
  check::CheckOptions o;
  o.services = {{"inventory", "ftp://x.invalid"}};
  o.transport = std::make_shared<BreakingTransport>();
  EXPECT_THROW(ContractRun::Live(o), check::ConfigError);
}

}  // namespace
}  // namespace restbox::console
