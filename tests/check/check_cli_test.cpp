// The restbox-check program as a user runs it: against a restbox-mock process over HTTP (every
// row runs and passes; the JUnit report validates against tests/check/junit.xsd and its counts
// match the JSON), against a deliberately wrong server (each deviation on its row, with its
// path; rows needing absent fixtures skipped), and with bad arguments (exit 2, a message).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <map>

#include "mock_process.hpp"
#include "restbox/core/json_codec.hpp"
#include "run_command.hpp"
#include "wrong_server.hpp"

namespace restbox::check_test {
namespace {

using core::Json;
using testing::RunCommand;

std::string TempDir() {
  auto dir =
      std::filesystem::temp_directory_path() / ("restbox-check-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

Json ReadJson(const std::string& path) {
  auto parsed = core::ParseJson(testing::ReadFile(path));
  EXPECT_TRUE(parsed.ok()) << path;
  return parsed.ok() ? *parsed : Json();
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(RestboxCheckCli, EveryRowRunsAndPassesAgainstRestboxMockOverHttp) {
  conformance::MockProcess mock(RESTBOX_MOCK_BINARY, {"--quiet"});
  ASSERT_EQ(mock.Start(), "");
  std::string dir = TempDir();
  std::string json = dir + "/mock.json", junit = dir + "/mock.xml", html = dir + "/mock.html";
  auto run = RunCommand({RESTBOX_CHECK_BINARY, "--mock-url", mock.base_url(), "--json", json,
                         "--junit", junit, "--html", html, "--min-coverage", "100"},
                        {.timeout_ms = 600'000});
  EXPECT_EQ(run.exit_code, 0) << run.output.substr(0, 8000);
  Json report = ReadJson(json);
  ASSERT_TRUE(report.contains("rows"));
  int rows = 0;
  for (const auto& row : report["rows"]) {
    ++rows;
    EXPECT_EQ(row["outcome"], "pass") << row.dump().substr(0, 2000);
    EXPECT_FALSE(row["exchanges"].empty()) << row["service"] << " " << row["endpoint"];
  }
  EXPECT_GT(rows, 400);
  EXPECT_EQ(report["summary"]["rows"], rows);
  EXPECT_EQ(report["summary"]["skip"], 0);
  EXPECT_EQ(report["summary"]["coverage_percent"], 100.0);

  // JUnit: valid against the schema, one testcase per row, the same counts.
  auto lint = RunCommand({"xmllint", "--noout", "--schema", RESTBOX_JUNIT_XSD, junit});
  EXPECT_EQ(lint.exit_code, 0) << lint.output.substr(0, 4000);
  std::string xml = testing::ReadFile(junit);
  EXPECT_EQ(Count(xml, "<testcase "), rows);
  EXPECT_EQ(Count(xml, "<failure "), report["summary"]["fail"].get<int>());
  EXPECT_EQ(Count(xml, "<skipped "), report["summary"]["skip"].get<int>());
  EXPECT_NE(xml.find("tests=\"" + std::to_string(rows) + "\" failures=\"0\""), std::string::npos);

  // HTML: one page, every exchange, no fixture secret in clear.
  std::string page = testing::ReadFile(html);
  EXPECT_NE(page.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_EQ(page.find("<script src"), std::string::npos);
  auto fixtures = conformance::HttpGet("127.0.0.1", mock.port(), "/__restbox/fixtures");
  auto fix = core::ParseJson(fixtures.body);
  ASSERT_TRUE(fix.ok());
  for (const char* role : {"api_key", "second_user_key", "expired_key"})
    EXPECT_EQ(page.find((*fix)["inventory"][role].get<std::string>()), std::string::npos) << role;
  EXPECT_EQ(page.find((*fix)["findhelper"]["api_secret"].get<std::string>()), std::string::npos);
  EXPECT_EQ(page.find((*fix)["wncms"]["api_token"].get<std::string>()), std::string::npos);
}

const Json* FindRow(const Json& report, const std::string& endpoint, int status,
                    const std::string& code = "") {
  for (const auto& row : report.at("rows")) {
    if (row["endpoint"] == endpoint && row["status"] == status && row["code"] == code &&
        row["mode"] == "realistic")
      return &row;
  }
  return nullptr;
}

bool HasProblem(const Json& row, const std::string& path_part, const std::string& text_part = "") {
  for (const auto& p : row.at("problems")) {
    std::string all = p["path"].get<std::string>() + " " + p["expected"].get<std::string>() + " " +
                      p["actual"].get<std::string>();
    if (p["path"].get<std::string>().find(path_part) != std::string::npos &&
        all.find(text_part) != std::string::npos)
      return true;
  }
  return false;
}

TEST(RestboxCheckCli, EachDeviationOfAWrongServerIsReportedOnItsRow) {
  WrongServer server;
  std::string dir = TempDir();
  std::string fixtures = dir + "/wrong-fixtures.json", json = dir + "/wrong.json",
              junit = dir + "/wrong.xml";
  ASSERT_TRUE(testing::WriteFile(fixtures, WrongServer::Fixtures()));
  auto run =
      RunCommand({RESTBOX_CHECK_BINARY, "--service", "findhelper=" + server.base_url(),
                  "--market-provider", server.base_url() + "/provider", "--fixtures", fixtures,
                  "--allow-writes", "--compare-mock", "--json", json, "--junit", junit},
                 {.timeout_ms = 120'000});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  testing::WriteFile(dir + "/wrong.txt",
                     run.output);  // the sample report of mock-server/check/README.md
  Json report = ReadJson(json);

  const Json* wrong_type = FindRow(report, "jobs.get", 200);
  ASSERT_TRUE(wrong_type);
  EXPECT_EQ((*wrong_type)["outcome"], "fail");
  EXPECT_TRUE(HasProblem(*wrong_type, "$.data.id", "string")) << wrong_type->dump();

  const Json* wrong_status = FindRow(report, "jobs.get", 404, "NOT_FOUND");
  ASSERT_TRUE(wrong_status);
  EXPECT_EQ((*wrong_status)["outcome"], "fail");
  ASSERT_FALSE((*wrong_status)["problems"].empty());
  EXPECT_EQ((*wrong_status)["problems"][0],
            Json({{"path", "status"}, {"expected", "404"}, {"actual", "200"}}));

  const Json* envelope = FindRow(report, "jobs.get", 403, "FORBIDDEN");
  ASSERT_TRUE(envelope);
  EXPECT_EQ((*envelope)["outcome"], "fail");
  EXPECT_TRUE(HasProblem(*envelope, "$.error", "string")) << envelope->dump();

  const Json* missing = FindRow(report, "jobs.create", 201);
  ASSERT_TRUE(missing);
  EXPECT_EQ((*missing)["outcome"], "fail");
  EXPECT_TRUE(HasProblem(*missing, "$.data", "createdAt")) << missing->dump();

  const Json* code = FindRow(report, "provider", 200, "1003");
  ASSERT_TRUE(code);
  EXPECT_EQ((*code)["outcome"], "fail");
  EXPECT_TRUE(HasProblem(*code, "$.code", "7")) << code->dump();

  // What the wrong server gets right passes: the list without pagination, the errors it gets right.
  struct Right {
    const char* endpoint;
    int status;
    const char* code;
  };
  const Right rights[] = {{"jobs.list", 200, ""},
                          {"jobs.list", 400, "VALIDATION_ERROR"},
                          {"jobs.get", 401, "UNAUTHORIZED"},
                          {"jobs.create", 400, "VALIDATION_ERROR"},
                          {"provider", 200, ""},
                          {"provider", 200, "1001"},
                          {"provider", 200, "1002"}};
  for (const auto& right : rights) {
    const Json* row = FindRow(report, right.endpoint, right.status, right.code);
    ASSERT_TRUE(row) << right.endpoint << " " << right.status;
    EXPECT_EQ((*row)["outcome"], "pass") << row->dump();
  }

  // Absent fixtures skip (named), never fail; so do the rows a real server cannot be asked for.
  const Json* scope = FindRow(report, "jobs.create", 403, "FORBIDDEN");
  ASSERT_TRUE(scope);
  EXPECT_EQ((*scope)["outcome"], "skip");
  EXPECT_EQ((*scope)["reason"], "missing fixture findhelper.read_only_key");
  const Json* limits = FindRow(report, "jobs.list", 429, "TOO_MANY_REQUESTS");
  ASSERT_TRUE(limits);
  EXPECT_EQ((*limits)["outcome"], "skip");
  EXPECT_NE((*limits)["reason"].get<std::string>().find("--include-limits"), std::string::npos);
  const Json* fault = FindRow(report, "jobs.get", 500, "INTERNAL_SERVER_ERROR");
  ASSERT_TRUE(fault);
  EXPECT_EQ((*fault)["outcome"], "skip");
  EXPECT_NE((*fault)["reason"].get<std::string>().find("admin API"), std::string::npos);
  for (const auto& row : report["rows"]) {
    if (row["mode"] == "forced") {
      EXPECT_EQ(row["outcome"], "skip");
    }
    EXPECT_NE(row["service"], "inventory");  // services not named are not in the run
  }
  // The failures are the five deviations and nothing else.
  EXPECT_EQ(report["summary"]["fail"], 5) << run.output;

  // --compare-mock: where the in-process mock answers the same rows differently.
  auto drift_of = [](const Json& row, const std::string& path) -> const Json* {
    for (const auto& d : row.at("drift")) {
      if (d["path"] == path) return &d;
    }
    return nullptr;
  };
  const Json* id_drift = drift_of(*wrong_type, "$.data.id");
  ASSERT_TRUE(id_drift) << wrong_type->dump();
  EXPECT_EQ(*id_drift,
            Json({{"path", "$.data.id"}, {"expected", "mock number"}, {"actual", "string"}}));
  const Json* status_drift = drift_of(*wrong_status, "status");
  ASSERT_TRUE(status_drift);
  EXPECT_EQ((*status_drift)["expected"], "mock 404");
  EXPECT_EQ((*status_drift)["actual"], "200");
  const Json* same = FindRow(report, "jobs.get", 401, "UNAUTHORIZED");
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->at("drift").empty()) << same->dump();
  // The mock's validation errors carry details, the wrong server's none: one difference.
  const Json* details = FindRow(report, "jobs.list", 400, "VALIDATION_ERROR");
  ASSERT_TRUE(details);
  EXPECT_EQ(
      details->at("drift"),
      Json::parse(R"([{"path":"$.error.details","expected":"mock array","actual":"absent"}])"));
  EXPECT_GE(report["summary"]["drifted"].get<int>(), 4);

  // The table names each failing row with its first problem.
  EXPECT_NE(run.output.find("$.data.id: expected integer, got string"), std::string::npos)
      << run.output;
  auto lint = RunCommand({"xmllint", "--noout", "--schema", RESTBOX_JUNIT_XSD, junit});
  EXPECT_EQ(lint.exit_code, 0) << lint.output;
}

TEST(RestboxCheckCli, UsageErrorsExit2WithAMessage) {
  struct Bad {
    std::vector<std::string> args;
    std::string message;
  };
  std::string dir = TempDir();
  ASSERT_TRUE(testing::WriteFile(dir + "/bad.json", "{not json"));
  const std::vector<Bad> cases = {
      {{"--frobnicate"}, "unknown argument \"--frobnicate\""},
      {{"--service", "inventory"}, "--service needs ID=BASE_URL"},
      {{"--service", "nosuch=http://127.0.0.1:9"}, "unknown service"},
      {{"--service", "inventory=ftp://x.invalid"}, "not an absolute http:// or https:// URL"},
      {{"--mock-url", "http://127.0.0.1:9", "--service", "inventory=http://127.0.0.1:9"},
       "different targets"},
      {{"--mock-url", "http://127.0.0.1:9", "--market-provider", "http://127.0.0.1:9/p"},
       "different targets"},
      {{"--market-provider", "ftp://x.invalid/p"}, "not an absolute http:// or https:// URL"},
      {{"--limit-scale", "0"}, "--limit-scale needs a positive number"},
      {{"--limit-scale", "fast"}, "--limit-scale needs a positive number"},
      {{"--budget", "-3"}, "--budget needs a positive whole number"},
      {{"--budget"}, "--budget needs a value"},
      {{"--min-coverage", "150"}, "--min-coverage needs a percentage"},
      {{"--only", "("}, "not a valid regular expression"},
      {{"--fixtures", dir + "/nope.json"}, "cannot read the file"},
      {{"--fixtures", dir + "/bad.json"}, "not JSON"},
      {{"--compare-mock"}, "--compare-mock compares a target"},
      {{"--mock-url", "http://127.0.0.1:9"}, "does not answer restbox-mock's admin API"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> argv = {RESTBOX_CHECK_BINARY};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    auto run = RunCommand(argv, {.timeout_ms = 30'000});
    EXPECT_EQ(run.exit_code, 2) << c.args[0] << ": " << run.output;
    EXPECT_NE(run.output.find(c.message), std::string::npos) << run.output;
  }
  auto help = RunCommand({RESTBOX_CHECK_BINARY, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("usage: restbox-check"), std::string::npos);
}

}  // namespace
}  // namespace restbox::check_test
