// The restbox-mock program itself: flags, the banner, the request log, --service, the state file
// (an SQLite database committed at each write, loaded at start; read back with --export-state)
// and SIGTERM. Runs the real binary on
// free loopback ports through the conformance suite's process helper.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "mock_process.hpp"
#include "raw_client.hpp"
#include "restbox/core/json_codec.hpp"
#include "run_command.hpp"

extern char** environ;

namespace restbox {
namespace {

using conformance::MockProcess;
using core::Json;
using ::testing::HasSubstr;
using ::testing::Not;

std::string TempPath(const std::string& name) {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/restbox-cli-XXXXXX";
  if (!::mkdtemp(dir.data())) return {};
  return dir + "/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct Exit {
  int code = -1;
  std::string output;
};

// Runs restbox-mock with `args` to its end (flags that make it exit at once).
Exit RunToExit(std::vector<std::string> args) {
  std::string out_path = TempPath("out.txt");
  args.insert(args.begin(), RESTBOX_MOCK_BINARY);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  Exit result;
  if (::posix_spawn(&pid, RESTBOX_MOCK_BINARY, &actions, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  result.output = ReadFile(out_path);
  return result;
}

httplib::Client Client(const MockProcess& mock) {
  httplib::Client c("127.0.0.1", mock.port());
  c.set_connection_timeout(5, 0);
  c.set_read_timeout(10, 0);
  return c;
}

Json Body(const std::string& text) {
  auto parsed = core::ParseJson(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? parsed.value() : Json();
}

// Waits (bounded) until `predicate` holds; process supervision, not test timing.
template <typename Predicate>
bool Eventually(Predicate predicate) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < until) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return predicate();
}

TEST(RestboxMockCli, HelpListsEveryFlag) {
  Exit e = RunToExit({"--help"});
  EXPECT_EQ(e.code, 0);
  for (const char* flag : {"--host", "--port", "--service", "--state", "--seed", "--latency",
                           "--manual-clock", "--no-limits", "--help"})
    EXPECT_THAT(e.output, HasSubstr(flag));
}

TEST(RestboxMockCli, BadFlagsExitWith2AndSayWhy) {
  Exit unknown = RunToExit({"--bogus"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.output, HasSubstr("unknown option --bogus"));
  Exit port = RunToExit({"--port", "99999"});
  EXPECT_EQ(port.code, 2);
  EXPECT_THAT(port.output, HasSubstr("--port"));
  Exit service = RunToExit({"--service", "no-such-api"});
  EXPECT_EQ(service.code, 2);
  EXPECT_THAT(service.output, HasSubstr("no-such-api"));
  Exit missing = RunToExit({"--state"});
  EXPECT_EQ(missing.code, 2);
}

TEST(RestboxMockCli, PrintsABannerAndOneLogLinePerRequest) {
  MockProcess mock(RESTBOX_MOCK_BINARY);
  ASSERT_EQ(mock.Start(), "");
  auto client = Client(mock);
  auto r = client.Get("/__restbox/fixtures", {{"X-Request-Id", "cli-log-1"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  mock.Stop();
  std::string out = mock.Output();
  EXPECT_THAT(out, HasSubstr("listening on " + mock.base_url()));
  EXPECT_THAT(out, HasSubstr(mock.base_url() + "/__restbox/fixtures"));
  EXPECT_THAT(out, HasSubstr("curl -s "));  // one per API: TheBannersCurlCommandsWorkAsPrinted
  EXPECT_THAT(out, HasSubstr("GET /__restbox/fixtures 200 "));
  EXPECT_THAT(out, HasSubstr("rid=cli-log-1"));
}

TEST(RestboxMockCli, ServiceFlagServesOnlyThatApi) {
  MockProcess all(RESTBOX_MOCK_BINARY, {"--quiet"});
  ASSERT_EQ(all.Start(), "");
  auto services = Body(Client(all).Get("/__restbox/health")->body)["services"];
  ASSERT_FALSE(services.empty());
  std::string first = services[0].get<std::string>();
  all.Stop();

  MockProcess one(RESTBOX_MOCK_BINARY, {"--quiet", "--service", first});
  ASSERT_EQ(one.Start(), "");
  EXPECT_EQ(Body(Client(one).Get("/__restbox/health")->body)["services"], Json::array({first}));
}

TEST(RestboxMockCli, AManualClockStandsStillUntilTheAdminApiAdvancesIt) {
  MockProcess mock(RESTBOX_MOCK_BINARY, {"--quiet", "--manual-clock"});
  ASSERT_EQ(mock.Start(), "");
  auto client = Client(mock);
  auto now = [&client] {
    auto r = client.Get("/__restbox/clock");
    return r && r->status == 200 ? Body(r->body).value("now", "") : "no answer";
  };
  EXPECT_EQ(now(), "2026-01-01T00:00:00.000Z");
  ASSERT_TRUE(client.Get("/__restbox/fixtures"));  // requests do not move it either
  EXPECT_EQ(now(), "2026-01-01T00:00:00.000Z");
  auto advanced = client.Post("/__restbox/clock/advance", R"({"seconds":90})", "application/json");
  ASSERT_TRUE(advanced);
  EXPECT_EQ(advanced->status, 200) << advanced->body;
  EXPECT_EQ(now(), "2026-01-01T00:01:30.000Z");
  mock.Stop();
  EXPECT_THAT(mock.Output(), HasSubstr("manual clock"));  // the banner says so
}

TEST(RestboxMockCli, ASecondServerOnTheSamePortRefusesToStart) {
  MockProcess first(RESTBOX_MOCK_BINARY, {"--quiet"});
  ASSERT_EQ(first.Start(), "");
  Exit second = RunToExit({"--port", std::to_string(first.port()), "--quiet"});
  EXPECT_EQ(second.code, 1);
  EXPECT_THAT(second.output, HasSubstr("cannot listen"));
}

TEST(RestboxMockCli, TheStateFileSurvivesARestart) {
  std::string state = TempPath("state.db");
  std::string id;
  std::string key;
  {
    MockProcess mock(RESTBOX_MOCK_BINARY, {"--quiet", "--state", state});
    ASSERT_EQ(mock.Start(), "");
    auto client = Client(mock);
    Json fixtures = Body(client.Get("/__restbox/fixtures")->body);
    if (!fixtures.contains("chikage")) GTEST_SKIP() << "chikage is not part of this build";
    key = fixtures["chikage"]["test_key"].get<std::string>();
    auto created = client.Post("/api/v1/data/orders", {{"Authorization", "Bearer " + key}},
                               R"({"order_id":"SURVIVES-1"})", "application/json");
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 202);
    id = Body(created->body)["id"].get<std::string>();
    ASSERT_EQ(
        client.Post("/__restbox/settings/chikage", R"({"monthly_quota": 77})", "application/json")
            ->status,
        200);
    mock.Stop();
    EXPECT_THAT(mock.Output(), HasSubstr("state kept in " + state));
  }
  std::string exported = state + ".json";
  ASSERT_EQ(RunToExit({"--state", state, "--export-state", exported}).code, 0);
  Json saved = Body(ReadFile(exported));
  EXPECT_EQ(saved["chikage"]["settings"]["monthly_quota"], 77);

  MockProcess again(RESTBOX_MOCK_BINARY, {"--quiet", "--state", state});
  ASSERT_EQ(again.Start(), "");
  auto client = Client(again);
  auto record =
      client.Get(("/api/v1/data/orders/" + id).c_str(), {{"Authorization", "Bearer " + key}});
  ASSERT_TRUE(record);
  EXPECT_EQ(record->status, 200) << record->body;
  EXPECT_EQ(Body(record->body)["data"]["order_id"], "SURVIVES-1");
  EXPECT_EQ(Body(client.Get("/__restbox/settings/chikage")->body)["monthly_quota"], 77);
}

TEST(RestboxMockCli, AnInvalidStateFileIsNotOverwritten) {
  std::string state = TempPath("state.json");
  { std::ofstream(state) << "{ this is not json"; }
  Exit e = RunToExit({"--port", "0", "--state", state});
  EXPECT_EQ(e.code, 1);
  EXPECT_THAT(e.output, HasSubstr("refusing to start"));
  EXPECT_EQ(ReadFile(state), "{ this is not json");
}

// The curl command of each API in the banner: "  <service>   curl -s ...", after the "try" line.
std::map<std::string, std::string> BannerCurls(const std::string& out) {
  std::map<std::string, std::string> curls;
  std::istringstream lines(out);
  bool in_try = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("try ")) {
      in_try = true;
      continue;
    }
    if (!in_try) continue;
    if (!line.starts_with("  ")) break;
    std::istringstream words(line);
    std::string service;
    words >> service;
    std::size_t at = line.find("curl ");
    if (at != std::string::npos) curls[service] = line.substr(at);
  }
  return curls;
}

struct CurlResult {
  int status = 0;
  Json body;
  std::string raw;
};

// Runs a banner line through the shell as a user would paste it, with /usr/bin/curl.
CurlResult RunCurl(const std::string& line) {
  std::string command =
      "/usr/bin/curl --max-time 10 -w '\\n%{http_code}'" + line.substr(std::string("curl").size());
  CurlResult result;
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return result;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof(buf), pipe)) > 0;) result.raw.append(buf, n);
  ::pclose(pipe);
  std::size_t cut = result.raw.rfind('\n');
  if (cut == std::string::npos) return result;
  result.status = std::atoi(result.raw.c_str() + cut + 1);
  auto parsed = core::ParseJson(result.raw.substr(0, cut));
  if (parsed.ok()) result.body = std::move(parsed.value());
  return result;
}

TEST(RestboxMockCli, TheBannersCurlCommandsWorkAsPrinted) {
  if (::access("/usr/bin/curl", X_OK) != 0) GTEST_SKIP() << "/usr/bin/curl is not installed";
  MockProcess mock(RESTBOX_MOCK_BINARY);
  ASSERT_EQ(mock.Start(), "");
  auto client = Client(mock);
  const Json fixtures = Body(client.Get("/__restbox/fixtures")->body);
  const Json services = Body(client.Get("/__restbox/health")->body)["services"];
  const std::string out = mock.Output();
  EXPECT_THAT(out, HasSubstr(mock.base_url() + "/__restbox/fixtures"));
  auto curls = BannerCurls(out);
  ASSERT_EQ(curls.size(), services.size()) << out;  // five in a full build
  for (const auto& service : services) {
    const std::string id = service.get<std::string>();
    SCOPED_TRACE(id);
    ASSERT_TRUE(curls.count(id)) << out;
    const std::string& line = curls[id];
    // Loopback only: every command targets this mock.
    ASSERT_THAT(line, HasSubstr(mock.base_url() + "/")) << line;
    ASSERT_EQ(line.find("http://", line.find(mock.base_url()) + 1), std::string::npos) << line;
    CurlResult r = RunCurl(line);
    EXPECT_GE(r.status, 200) << line << "\n" << r.raw;
    EXPECT_LT(r.status, 300) << line << "\n" << r.raw;
    const Json& b = r.body;
    if (id == "chikage") {
      EXPECT_EQ(b["success"], true) << r.raw;
      EXPECT_EQ(b["id"], fixtures["chikage"]["test_record_id"]) << r.raw;
    } else if (id == "wncms") {
      // The CMS envelope with a list page.
      EXPECT_EQ(b["code"], 200) << r.raw;
      EXPECT_EQ(b["status"], "success") << r.raw;
      EXPECT_TRUE(b["data"]["data"].is_array()) << r.raw;
      EXPECT_TRUE(b["data"].contains("pagination")) << r.raw;
    } else if (id == "inventory") {
      EXPECT_EQ(b["success"], true) << r.raw;
      EXPECT_TRUE(b.contains("data")) << r.raw;
    } else if (id == "market") {
      // The marketplace convention: code 0 is success (1000..1005 are its errors).
      EXPECT_EQ(b["code"], 0) << r.raw;
      EXPECT_TRUE(b.contains("result")) << r.raw;
    } else if (id == "findhelper") {
      EXPECT_EQ(b["success"], true) << r.raw;
      EXPECT_TRUE(b["data"].is_array()) << r.raw;
    } else {
      ADD_FAILURE() << "no expectation for service " << id;
    }
  }
}

// ---- issue 11: the trust boundary's flags, and shutdown
// ------------------------------------------

TEST(RestboxMockCli, HelpListsTheSecurityFlags) {
  Exit e = RunToExit({"--help"});
  EXPECT_EQ(e.code, 0);
  for (const char* flag :
       {"--allow-host", "--allow-origin", "--admin-token", "--webhook-allow", "second Ctrl-C"})
    EXPECT_THAT(e.output, HasSubstr(flag));
}

TEST(RestboxMockCli, BadSecurityFlagsExitWith2AndSayWhy) {
  struct Case {
    std::vector<std::string> args;
    const char* says;
  };
  for (const Case& c : std::vector<Case>{
           {{"--allow-host", "bad host"}, "--allow-host needs a host name"},
           {{"--allow-origin", "devbox.lan"}, "--allow-origin needs an origin"},
           {{"--admin-token", ""}, "--admin-token needs"},
           {{"--admin-token", "has space"}, "--admin-token needs"},
           {{"--webhook-allow", "hooks.invalid:99999"}, "--webhook-allow needs HOST"}}) {
    Exit e = RunToExit(c.args);
    EXPECT_EQ(e.code, 2) << c.args[0];
    EXPECT_THAT(e.output, HasSubstr(c.says));
  }
}

TEST(RestboxMockCli, AnAdminTokenOnLoopbackIsRequiredAndPrinted) {
  MockProcess mock(RESTBOX_MOCK_BINARY, {"--admin-token", "cli-token-0123456789", "--allow-host",
                                         "devbox.test", "--webhook-allow", "hooks.invalid:8443"});
  ASSERT_EQ(mock.Start(15'000, /*need_admin_api=*/false), "");
  EXPECT_EQ(mock.health_status(), 401);
  auto client = Client(mock);
  auto denied = client.Get("/__restbox/fixtures");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 401);
  auto allowed =
      client.Get("/__restbox/fixtures", {{"Authorization", "Bearer cli-token-0123456789"}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200);
  auto rebound = client.Get(
      "/__restbox/health",
      {{"Host", "rebind.attacker.example"}, {"X-Restbox-Admin-Token", "cli-token-0123456789"}});
  ASSERT_TRUE(rebound);
  EXPECT_EQ(rebound->status, 403);  // a token does not make a foreign Host acceptable
  mock.Stop();
  const std::string out = mock.Output();
  EXPECT_THAT(out, HasSubstr("admin token cli-token-0123456789"));
  EXPECT_THAT(out, HasSubstr("host devbox.test allowed"));
  EXPECT_THAT(out, HasSubstr("webhooks to hooks.invalid:8443 allowed"));
  EXPECT_THAT(out, Not(HasSubstr("WARNING")));  // loopback: no warning
}

// restbox-mock on a free port with its output in a file, for tests that signal it themselves.
class Spawned {
 public:
  explicit Spawned(std::vector<std::string> args) {
    out_path_ = TempPath("out.txt");
    args.insert(args.begin(), {RESTBOX_MOCK_BINARY, "--port", "0"});
    std::string problem;
    pid_ =
        restbox::testing::Spawn(args, {.output_path = out_path_, .truncate_output = true}, problem);
    Eventually([&] {
      std::string out = Output();
      std::size_t at = out.find("listening on http://127.0.0.1:");
      if (at == std::string::npos) return false;
      port_ = std::atoi(out.c_str() + at + std::string("listening on http://127.0.0.1:").size());
      return port_ > 0;
    });
  }
  ~Spawned() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  int port() const { return port_; }
  std::string Output() const { return ReadFile(out_path_); }
  void Signal(int sig) const { ::kill(pid_, sig); }
  // Waits (bounded) for the exit; the exit code, or -1.
  int Wait(std::chrono::seconds bound = std::chrono::seconds(20)) {
    int status = 0;
    auto until = std::chrono::steady_clock::now() + bound;
    while (std::chrono::steady_clock::now() < until) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string out_path_;
};

// A restbox-mock whose shutdown has a webhook delivery to wait for: a receiver that accepts the
// POST and never answers.
struct HangingDelivery {
  mock::testing::RawReceiver receiver{[](const std::string&) { return std::string(); }};
  std::string state = TempPath("state.db");
  Spawned mock{{"--quiet", "--state", state}};
  std::string id;

  void Start() {
    ASSERT_GT(mock.port(), 0) << mock.Output();
    httplib::Client client("127.0.0.1", mock.port());
    client.set_read_timeout(10, 0);
    Json fixtures = Body(client.Get("/__restbox/fixtures")->body);
    if (!fixtures.contains("chikage")) GTEST_SKIP() << "chikage is not part of this build";
    auto created = client.Post(
        "/api/v1/data/orders",
        {{"Authorization", "Bearer " + fixtures["chikage"]["test_key"].get<std::string>()},
         {"X-Webhook-Callback", "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook"}},
        R"({"order_id":"HANG-1"})", "application/json");
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 202) << created->body;
    id = Body(created->body)["id"].get<std::string>();
    // The housekeeper applies the write and starts the delivery within a second.
    ASSERT_TRUE(Eventually([&] { return receiver.connections() > 0; }));
  }
};

TEST(RestboxMockCli, ShutdownWaitsForAWebhookReceiverNoLongerThanTheDeadline) {
  HangingDelivery run;
  run.Start();
  if (HasFatalFailure() || IsSkipped()) return;
  auto start = std::chrono::steady_clock::now();
  run.mock.Signal(SIGTERM);
  EXPECT_EQ(run.mock.Wait(), 0) << run.mock.Output();
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, std::chrono::seconds(7)) << "the delivery deadline is 5 s";
  EXPECT_THAT(run.mock.Output(), HasSubstr("state kept in"));
  std::string exported = run.state + ".json";
  ASSERT_EQ(RunToExit({"--state", run.state, "--export-state", exported}).code, 0);
  Json saved = Body(ReadFile(exported));
  EXPECT_EQ(saved["chikage"]["webhook_deliveries"][0]["last_status"], 0);  // timed out, reported
}

TEST(RestboxMockCli, ASecondCtrlCExitsAtOnceAfterSaving) {
  HangingDelivery run;
  run.Start();
  if (HasFatalFailure() || IsSkipped()) return;
  run.mock.Signal(SIGINT);
  ASSERT_TRUE(Eventually([&] {
    return run.mock.Output().find("Ctrl-C again") != std::string::npos;
  })) << run.mock.Output();
  auto start = std::chrono::steady_clock::now();
  run.mock.Signal(SIGINT);
  EXPECT_EQ(run.mock.Wait(), 130) << run.mock.Output();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_THAT(run.mock.Output(), HasSubstr("exited at once; state kept in " + run.state));
  std::string exported = run.state + ".json";
  ASSERT_EQ(RunToExit({"--state", run.state, "--export-state", exported}).code, 0);
  EXPECT_THAT(ReadFile(exported), HasSubstr(run.id));
}

}  // namespace
}  // namespace restbox
