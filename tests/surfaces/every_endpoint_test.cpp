// Every endpoint, every surface: for each endpoint of the endpoint tables (never a sample), the
// console's first Send answers the documented success against a real restbox-mock over HTTP, and
// each of its exports, run as a user would paste it, gets the same status:
//   - the cURL export under bash + /usr/bin/curl (of the HTTP exchange, and of the in-process one,
//     which targets the local restbox-mock),
//   - the JS export under node against the npm package (build/wasm/npm),
//   - the C++ export compiled against the installed SDK (find_package) and run.
// Each export's credentials come from the variables its own commented line names, set here to the
// fixtures' demo values. The mock is reset before every run so a write cannot change what the
// next one sees.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "contract_run.hpp"
#include "endpoint_cases.hpp"
#include "export.hpp"
#include "mock_process.hpp"
#include "model.hpp"
#include "restbox/services/registry.hpp"
#include "run_command.hpp"

namespace restbox::console {
namespace {

namespace fs = std::filesystem;
using restbox::testing::CommandOptions;
using restbox::testing::CommandResult;
using restbox::testing::RunCommand;
using restbox::testing::WriteFile;

using restbox::testing::AllEndpoints;
using restbox::testing::EndpointCase;

std::string WorkDir() {
  return RESTBOX_SURFACES_WORK;
}

// restbox-mock, once for the whole run.
conformance::MockProcess* g_mock = nullptr;

class MockEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    mock_ = std::make_unique<conformance::MockProcess>(RESTBOX_MOCK_BINARY);
    const std::string problem = mock_->Start();
    ASSERT_EQ(problem, "") << "cannot start restbox-mock";
    g_mock = mock_.get();
    std::error_code ec;
    fs::remove_all(WorkDir(), ec);
    fs::create_directories(WorkDir());
    // curl's own config file (HOME/.curlrc) makes every pasted command print its status last,
    // without changing the command: the export runs exactly as the console gave it.
    WriteFile(WorkDir() + "/home/.curlrc",
              "silent\nshow-error\nwrite-out = \"\\nrestbox-status: %{http_code}\\n\"\n");
  }
  void TearDown() override {
    g_mock = nullptr;
    mock_.reset();
  }

 private:
  std::unique_ptr<conformance::MockProcess> mock_;
};
const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new MockEnvironment);

void ResetMock() {
  conformance::SimpleResponse r =
      conformance::HttpPost("127.0.0.1", g_mock->port(), "/__restbox/reset", "{}", 10'000);
  ASSERT_EQ(r.status, 200) << "reset failed: " << r.body;
}

// Sends the endpoint's first request (what selecting it fills in) to environment `environment`
// of a fresh console model, and waits for the answer.
struct Sent {
  std::shared_ptr<Model> model;
  const Exchange* exchange = nullptr;
};
Sent FirstSend(const EndpointCase& c, TargetKind target) {
  Model::Options options;
  options.http_mock_url = g_mock->base_url();
  Sent sent{std::make_shared<Model>(options)};
  Model& model = *sent.model;
  model.Select(c.service, c.endpoint);
  for (std::size_t i = 0; i < model.environments.size(); ++i) {
    if (model.environments[i].target == target) {
      model.draft.environment = i;
      break;
    }
  }
  const auto id = model.Send(model.draft);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  const Exchange* e = model.FindExchange(id);
  while (!e->done && std::chrono::steady_clock::now() < deadline) {
    model.Pump();
    if (!e->done) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  sent.exchange = e;
  return sent;
}

ExportOptions OptionsFor(const Model& model, const Exchange& e) {
  ExportOptions options;
  options.secrets = model.KnownSecrets(e.secrets);
  options.public_values = model.PublicValues();
  options.mock_url = g_mock->base_url();
  return options;
}

// The variables an export's commented line sets ("export NAME='value'"), as the user would set
// them.
std::map<std::string, std::string> VariablesOf(const std::string& text) {
  std::map<std::string, std::string> vars;
  static const std::regex line(R"(export (RESTBOX_[A-Z0-9_]+)='([^']*)')");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), line); it != std::sregex_iterator();
       ++it) {
    vars[(*it)[1]] = (*it)[2];
  }
  return vars;
}

// The status a run printed: curl's write-out line, or the first word of the JS export's output.
int CurlStatus(const std::string& output) {
  static const std::regex status(R"(restbox-status: (\d+))");
  std::smatch m;
  return std::regex_search(output, m, status) ? std::stoi(m[1]) : 0;
}
int JsStatus(const std::string& output) {
  static const std::regex status(R"((^|\n)(\d{3}) )");
  std::smatch m;
  return std::regex_search(output, m, status) ? std::stoi(m[2]) : 0;
}

// A credential given to the export must be what the environment had: the demo value.
void ExpectDemoVariables(const std::string& text, const Exchange& e) {
  const auto vars = VariablesOf(text);
  if (!e.credentials.key.empty()) {
    EXPECT_EQ(vars.size(), e.credentials.secret.empty() ? 1u : 2u) << text;
  }
  for (const auto& [name, value] : vars) {
    EXPECT_TRUE(value == e.credentials.key || value == e.credentials.secret)
        << name << "=" << value << "\n"
        << text;
  }
  EXPECT_EQ(text.find("****"), std::string::npos) << "a masked value cannot run:\n" << text;
  EXPECT_EQ(text.find("http://mock"), std::string::npos) << "the in-process host is no address:\n"
                                                         << text;
}

class EverySurface : public ::testing::TestWithParam<EndpointCase> {};

TEST_P(EverySurface, FirstSendAndItsCurlAndJsExportsAgree) {
  const EndpointCase& c = GetParam();
  const std::string name = c.Name();
  ResetMock();
  Sent http = FirstSend(c, TargetKind::kHttpMock);
  ASSERT_TRUE(http.exchange->done) << "no answer in 20 s";
  const core::EndpointSpec* spec = http.model->FindEndpoint(c.service, c.endpoint);
  const int status = http.exchange->status;
  ASSERT_TRUE(spec->IsSuccess(status) && http.exchange->outcome.value("ok", false))
      << c.service << "/" << c.endpoint << " over HTTP answered " << status << ": "
      << http.exchange->outcome.dump(2);

  // cURL of the HTTP exchange.
  const std::string curl = ExportCurl(*http.exchange, OptionsFor(*http.model, *http.exchange));
  ExpectDemoVariables(curl, *http.exchange);
  WriteFile(WorkDir() + "/curl/" + name + ".sh", curl);
  ResetMock();
  auto vars = VariablesOf(curl);
  vars["HOME"] = WorkDir() + "/home";
  CommandResult run = RunCommand({"bash", WorkDir() + "/curl/" + name + ".sh"},
                                 {.env = vars, .timeout_ms = 30'000});
  EXPECT_EQ(run.exit_code, 0) << curl << "\n" << run.output;
  EXPECT_EQ(CurlStatus(run.output), status) << curl << "\n" << run.output;

  // cURL of the in-process exchange: it targets the local restbox-mock.
  Sent local = FirstSend(c, TargetKind::kInProcess);
  ASSERT_TRUE(local.exchange->done);
  EXPECT_EQ(local.exchange->status, status) << "in-process and HTTP disagree";
  const std::string local_curl =
      ExportCurl(*local.exchange, OptionsFor(*local.model, *local.exchange));
  ExpectDemoVariables(local_curl, *local.exchange);
  EXPECT_NE(local_curl.find(g_mock->base_url()), std::string::npos) << local_curl;
  WriteFile(WorkDir() + "/curl/" + name + "_in_process.sh", local_curl);
  ResetMock();
  vars = VariablesOf(local_curl);
  vars["HOME"] = WorkDir() + "/home";
  run = RunCommand({"bash", WorkDir() + "/curl/" + name + "_in_process.sh"},
                   {.env = vars, .timeout_ms = 30'000});
  EXPECT_EQ(CurlStatus(run.output), status) << local_curl << "\n" << run.output;

  // JS exports (HTTP and in-process) under node, against the npm package.
  const std::string npm = RESTBOX_NPM_DIR;
  if (!fs::exists(npm + "/restbox.mjs")) {
    if (std::getenv("RESTBOX_REQUIRE_NPM"))
      FAIL() << "no npm package at " << npm << " (build the wasm preset first)";
    GTEST_SKIP() << "no npm package at " << npm << ": the JS exports need the wasm build";
  }
  std::error_code ec;
  fs::create_directories(WorkDir() + "/js/node_modules", ec);
  if (!fs::exists(WorkDir() + "/js/node_modules/restbox-wasm")) {
    fs::create_directory_symlink(npm, WorkDir() + "/js/node_modules/restbox-wasm", ec);
  }
  for (const Sent* sent : {&http, &local}) {
    const std::string js = ExportJs(*sent->exchange, OptionsFor(*sent->model, *sent->exchange));
    ExpectDemoVariables(js, *sent->exchange);
    const std::string file =
        WorkDir() + "/js/" + name + (sent == &local ? "_in_process" : "") + ".mjs";
    WriteFile(file, js);
    ResetMock();
    run = RunCommand({"node", file}, {.env = VariablesOf(js), .timeout_ms = 60'000});
    EXPECT_EQ(run.exit_code, 0) << js << "\n" << run.output;
    EXPECT_EQ(JsStatus(run.output), status) << js << "\n" << run.output;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryEndpoint, EverySurface, ::testing::ValuesIn(AllEndpoints()),
                         [](const ::testing::TestParamInfo<EndpointCase>& param) {
                           return param.param.Name();
                         });

// The C++ exports of every endpoint (HTTP and in-process) compiled as one project against the
// installed SDK, then each run with its variables set: the same status as the console's Send.
TEST(EverySurfaceCpp, ExportsCompileAgainstTheInstalledSdkAndRun) {
  const std::string src = WorkDir() + "/cpp/src";
  struct Program {
    std::string name;
    std::string text;
    int status;
  };
  std::vector<Program> programs;
  for (const EndpointCase& c : AllEndpoints()) {
    for (TargetKind target : {TargetKind::kHttpMock, TargetKind::kInProcess}) {
      ResetMock();
      Sent sent = FirstSend(c, target);
      ASSERT_TRUE(sent.exchange->done);
      const std::string text = ExportCpp(*sent.exchange, OptionsFor(*sent.model, *sent.exchange));
      EXPECT_NE(text.find("::Client client(options);"), std::string::npos)
          << "not the typed client:\n"
          << text;
      ExpectDemoVariables(text, *sent.exchange);
      const std::string name = c.Name() + (target == TargetKind::kInProcess ? "_in_process" : "");
      WriteFile(src + "/" + name + ".cpp", text);
      programs.push_back({name, text, sent.exchange->status});
    }
  }
  const std::string build = WorkDir() + "/cpp/build";
  std::vector<std::string> configure = {
      RESTBOX_CMAKE, "-S", RESTBOX_SNIPPET_PROJECT, "-B", build, "-G", "Ninja",
      "-DCMAKE_PREFIX_PATH=" + std::string(RESTBOX_INSTALL_PREFIX), "-DSNIPPET_SOURCES=" + src,
      // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): the macro's text is the value
      "-DCMAKE_CXX_COMPILER=" RESTBOX_CXX};
  if (std::string(RESTBOX_CXX_LAUNCHER).size())
    configure.push_back("-DCMAKE_CXX_COMPILER_LAUNCHER=" RESTBOX_CXX_LAUNCHER);
  CommandResult r = RunCommand(configure, {.timeout_ms = 120'000});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = RunCommand({RESTBOX_CMAKE, "--build", build, "-j", "2"}, {.timeout_ms = 1'200'000});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const Program& p : programs) {
    ResetMock();
    CommandResult run =
        RunCommand({build + "/bin/" + p.name}, {.env = VariablesOf(p.text), .timeout_ms = 30'000});
    EXPECT_EQ(run.exit_code, 0) << p.name << "\n" << p.text << "\n" << run.output;
    static const std::regex status(R"re("status": (\d+))re");
    std::smatch m;
    EXPECT_TRUE(std::regex_search(run.output, m, status) && std::stoi(m[1]) == p.status)
        << p.name << " expected " << p.status << "\n"
        << run.output;
  }
}

// An unset variable stops the export with a message naming it, before anything is sent.
TEST(EverySurfaceCpp, AnUnsetVariableIsNamedNotSentEmpty) {
  Sent sent = FirstSend({"chikage", "get"}, TargetKind::kHttpMock);
  const std::string curl = ExportCurl(*sent.exchange, OptionsFor(*sent.model, *sent.exchange));
  WriteFile(WorkDir() + "/curl/unset.sh", curl);
  CommandResult run =
      RunCommand({"env", "-u", "RESTBOX_CHIKAGE_KEY", "bash", WorkDir() + "/curl/unset.sh"},
                 {.env = {{"HOME", WorkDir() + "/home"}}});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.output.find("RESTBOX_CHIKAGE_KEY"), std::string::npos) << run.output;
  EXPECT_EQ(CurlStatus(run.output), 0) << "curl ran without the key:\n" << run.output;
}

// The Contract tab's engine against restbox-mock over HTTP, through the transport the console
// gives the HTTP-mock environment (curl): every job, realistic and forced, started on a
// contract::Loop as the panel does (no worker thread: curl's thread only posts resumptions, this
// thread runs them), passes.
TEST(ContractTabOverHttp, EveryJobPassesThroughTheLoop) {
  Model::Options options;
  options.http_mock_url = g_mock->base_url();
  Model model(options);
  const Environment* env = nullptr;
  for (const auto& e : model.environments) {
    if (e.target == TargetKind::kHttpMock) env = &e;
  }
  ASSERT_NE(env, nullptr);
  auto run = ContractRun::OverHttp(model.TransportFor(*env), env->base_url, {true, true});
  ASSERT_FALSE(run->jobs().empty());
  contract::Loop loop;
  const auto self = std::this_thread::get_id();
  std::size_t passed = 0;
  for (std::size_t i = 0; i < run->jobs().size(); ++i) {
    std::optional<ContractResult> result;
    bool finished = false;
    bool on_this_thread = false;
    contract::Start<ContractResult>(
        run->RunJob(i), &loop, [&](std::optional<ContractResult>* r, const std::exception_ptr&) {
          on_this_thread = std::this_thread::get_id() == self;
          if (r) result = std::move(**r);
          finished = true;
        });
    loop.RunUntil([&] { return finished; });
    EXPECT_TRUE(on_this_thread);
    ASSERT_TRUE(result.has_value()) << "job " << i << " threw";
    if (result->passed) {
      ++passed;
    } else {
      ADD_FAILURE() << run->jobs()[i].row.Name() << (run->jobs()[i].forced ? " forced: " : ": ")
                    << result->message;
    }
  }
  EXPECT_EQ(passed, run->jobs().size());
  ResetMock();
}

}  // namespace
}  // namespace restbox::console
