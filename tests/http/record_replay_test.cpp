// restbox-mock --proxy / --record / --replay (issue 12 item 2), through the real program:
//   - a restbox-mock on a free loopback port plays "the real server"; a second one proxies all
//     five APIs to it and records; every realistic row of the contract sweep (the endpoint
//     tables' rows: every endpoint of the five APIs) runs through the proxy and must pass;
//   - the cassette must hold none of the fixtures' credentials (GET /__restbox/fixtures);
//   - a third restbox-mock replays the cassette: the same rows get the same answers (status and
//     body, exchange by exchange), and a request never recorded gets the documented 501;
//   - an upstream that deviates from the contract (tests/check/wrong_server.hpp) shows in
//     GET /__restbox/problems, the journal and the log; an unreachable one is a 502;
//   - usage errors exit 2 with a sentence.
#include <gtest/gtest.h>

#include <cstdio>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fixture_credentials.hpp"
#include "http_admin.hpp"
#include "mock_process.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/masking.hpp"
#include "restbox/services/registry.hpp"
#include "restbox/transports/curl_transport.hpp"
#include "restbox/transports/recording_transport.hpp"
#include "run_command.hpp"
#include "sweep.hpp"
#include "wrong_server.hpp"

namespace restbox::conformance {
namespace {

using core::Json;

std::shared_ptr<core::Transport> Curl() {
  transports::CurlOptions options;
  options.no_proxy = "127.0.0.1";
  return std::make_shared<transports::CurlTransport>(options);
}

core::Result<core::HttpResponse> Send(core::Transport& transport, core::Method method,
                                      const std::string& url, core::Headers headers = {},
                                      std::string body = {}) {
  core::HttpRequest request;
  request.method = method;
  request.url = url;
  request.headers = std::move(headers);
  request.body = std::move(body);
  std::promise<core::Result<core::HttpResponse>> promise;
  auto answer = promise.get_future();
  core::Context context;
  context.timeout = core::Duration(20'000);
  transport.Send(std::move(request), context, [&promise](core::Result<core::HttpResponse> r) {
    promise.set_value(std::move(r));
  });
  return answer.get();
}

Json GetJson(core::Transport& transport, const std::string& url) {
  auto r = Send(transport, core::Method::kGet, url);
  EXPECT_TRUE(r.ok() && r->status == 200)
      << url << ": " << (r.ok() ? r->body : core::ToString(r.error()));
  if (!r.ok()) return nullptr;
  auto parsed = core::ParseJson(r->body);
  return parsed.ok() ? *parsed : Json();
}

// The admin side of a replay: nothing to reset or configure (the recorded answers already show
// the effect), and the fixtures the recording used.
class ReplayAdmin final : public contract::MockAdmin {
 public:
  explicit ReplayAdmin(Json fixtures) : fixtures_(std::move(fixtures)) {}
  contract::Task<bool> Reset() override { co_return true; }
  contract::Task<Json> Fixtures() override { co_return fixtures_; }
  contract::Task<std::optional<std::string>> ApplySettings(std::string, Json) override {
    co_return std::nullopt;
  }
  contract::Task<bool> AdvanceClock(core::Duration) override { co_return true; }
  contract::Task<bool> AddFault(Json) override { co_return true; }

 private:
  Json fixtures_;
};

std::string PathAndQuery(const std::string& url) {
  auto parts = core::ParseUrl(url);
  return parts ? parts->path + (parts->query.empty() ? "" : "?" + parts->query) : url;
}

struct RowsRun {
  std::vector<std::string> failures;  // rows whose outcome is not the documented one
  std::set<std::string> endpoints;    // "service endpoint" of the rows that passed
  transports::Cassette exchanges;     // what the client sent and got, in order
};

// Every realistic row of the sweep against `base_url` (reset and faults through `admin`).
RowsRun RunEveryRow(const std::string& base_url, std::shared_ptr<contract::MockAdmin> admin) {
  auto seen = std::make_shared<transports::RecordingTransport>(Curl());
  contract::Target target;
  target.name = "through " + base_url;
  target.transport = seen;
  target.base_url = base_url;
  target.admin = std::move(admin);
  static const std::vector<contract::Case> cases = contract::AllCases();
  RowsRun run;
  for (const auto& row : contract::AllRows()) {
    const contract::Case* c = contract::FindCase(cases, row, false);
    if (!c) {
      run.failures.push_back(row.Name() + ": no realistic case");
      continue;
    }
    const std::string problem =
        contract::Check(row, contract::RunToCompletion(contract::RunCase(target, row, *c, false)));
    if (problem.empty()) {
      run.endpoints.insert(row.service + " " + row.endpoint);
    } else {
      run.failures.push_back(row.Name() + ": " + problem);
    }
  }
  run.exchanges = seen->cassette();
  return run;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "  " + l + "\n";
  return out;
}

std::vector<std::string> ProxyArgs(const std::string& upstream) {
  std::vector<std::string> args{"--quiet"};
  for (const char* id : {"chikage", "wncms", "inventory", "market", "findhelper"}) {
    args.push_back("--proxy");
    args.push_back(std::string(id) + "=" + upstream);
  }
  return args;
}

TEST(RecordReplay, EveryEndpointThroughTheProxyIsRecordedWithoutSecretsAndReplaysTheSame) {
  const std::string cassette = ::testing::TempDir() + "restbox_record_replay.har";
  std::remove(cassette.c_str());
  MockProcess upstream(RESTBOX_MOCK_BINARY, {"--quiet"});
  ASSERT_EQ(upstream.Start(), "");
  auto proxy_args = ProxyArgs(upstream.base_url());
  proxy_args.insert(proxy_args.end(), {"--record", cassette});
  MockProcess proxy(RESTBOX_MOCK_BINARY, proxy_args);
  ASSERT_EQ(proxy.Start(), "");
  auto curl = Curl();
  auto upstream_admin = std::make_shared<contract::HttpAdmin>(curl, upstream.base_url());
  const Json fixtures = contract::RunToCompletion(upstream_admin->Fixtures());

  // 1. Record: every row through the proxy gets its documented answer from the upstream.
  const RowsRun recorded = RunEveryRow(proxy.base_url(), upstream_admin);
  EXPECT_TRUE(recorded.failures.empty()) << "through the proxy:\n" << Join(recorded.failures);
  std::set<std::string> every_endpoint;
  for (const auto& entry : services::AllServices()) {
    for (const auto& e : entry.spec->endpoints) every_endpoint.insert(entry.spec->id + " " + e.id);
  }
  EXPECT_EQ(recorded.endpoints, every_endpoint);
  ASSERT_GT(recorded.exchanges.size(), every_endpoint.size());
  std::printf("%zu rows, %zu exchanges through the proxy\n", contract::AllRows().size(),
              recorded.exchanges.size());

  // The proxy checked every exchange; the upstream is restbox-mock, so whatever differs from
  // the contract is on the request side (the error rows send broken requests on purpose).
  const Json problems = GetJson(*curl, proxy.base_url() + "/__restbox/problems");
  EXPECT_EQ(problems["checked"].get<std::size_t>(), recorded.exchanges.size());
  for (const auto& e : problems["exchanges"]) {
    for (const auto& p : e["problems"]) {
      EXPECT_EQ(p["path"].get<std::string>().rfind("request", 0), 0u)
          << "the upstream's answer was reported: " << e.dump();
    }
  }

  // 2. The file holds every exchange already, while the proxy still runs (each one is flushed
  // as it completes: what a crash would leave), and no credential of the fixtures.
  auto on_disk = transports::Cassette::Load(cassette);
  ASSERT_TRUE(on_disk.ok()) << on_disk.error().message;
  EXPECT_EQ(on_disk->size(), recorded.exchanges.size());
  proxy.Stop();
  const std::string har = testing::ReadFile(cassette);
  const auto credentials = testing::FixtureCredentials(fixtures);
  ASSERT_GE(credentials.size(), 20u);
  for (const auto& secret : credentials)
    EXPECT_EQ(har.find(secret), std::string::npos) << secret << " is in the cassette";
  EXPECT_NE(har.find(core::MaskSecret(fixtures["chikage"]["test_key"].get<std::string>())),
            std::string::npos);  // what was sent is there, masked
  EXPECT_NE(har.find("\"version\":\"1.2\""), std::string::npos);

  // 3. Replay with nothing behind it: the same rows, the same answers, exchange by exchange.
  MockProcess replay(RESTBOX_MOCK_BINARY, {"--quiet", "--replay", cassette});
  ASSERT_EQ(replay.Start(), "");
  upstream.Stop();  // offline for real
  const RowsRun replayed = RunEveryRow(replay.base_url(), std::make_shared<ReplayAdmin>(fixtures));
  EXPECT_TRUE(replayed.failures.empty()) << "replayed:\n" << Join(replayed.failures);
  ASSERT_EQ(replayed.exchanges.size(), recorded.exchanges.size());
  int differences = 0;
  for (std::size_t i = 0; i < recorded.exchanges.size() && differences < 5; ++i) {
    const auto& a = recorded.exchanges.entries()[i];
    const auto& b = replayed.exchanges.entries()[i];
    const std::string what = std::string(core::ToString(a.request.method)) + " " +
                             PathAndQuery(a.request.url) + " (exchange " + std::to_string(i) + ")";
    EXPECT_EQ(PathAndQuery(b.request.url), PathAndQuery(a.request.url)) << what;
    ASSERT_TRUE(a.response && b.response) << what;
    const bool same =
        a.response->status == b.response->status && a.response->body == b.response->body;
    EXPECT_TRUE(same) << what << "\n  recorded " << a.response->status << " "
                      << a.response->body.substr(0, 300) << "\n  replayed " << b.response->status
                      << " " << b.response->body.substr(0, 300);
    differences += same ? 0 : 1;
  }

  // 4. A request that was never recorded: the documented 501 naming the nearest recordings.
  const std::string key = fixtures["chikage"]["test_key"].get<std::string>();
  auto miss =
      Send(*curl, core::Method::kGet, replay.base_url() + "/api/v1/data/orders/rec_never_recorded",
           {{"Authorization", "Bearer " + key}});
  ASSERT_TRUE(miss.ok());
  EXPECT_EQ(miss->status, 501);
  EXPECT_EQ(miss->headers.GetOr("X-Restbox-Error", ""), "1");
  auto body = core::ParseJson(miss->body);
  ASSERT_TRUE(body.ok()) << miss->body;
  EXPECT_EQ((*body)["error"], "no_recording");
  EXPECT_EQ((*body)["restbox_error"].get<std::string>().rfind(
                "no recording matches GET /api/v1/data/orders/rec_never_recorded (", 0),
            0u)
      << miss->body;
  EXPECT_EQ((*body)["recordings"].get<std::size_t>(), recorded.exchanges.size());
  ASSERT_FALSE((*body)["candidates"].empty());
  EXPECT_NE((*body)["candidates"][0]["url"].get<std::string>().find("/api/v1/data/orders/"),
            std::string::npos);
  EXPECT_EQ(miss->body.find(key), std::string::npos);
  const Json journal = GetJson(*curl, replay.base_url() + "/__restbox/journal?limit=1");
  ASSERT_EQ(journal.size(), 1u);
  EXPECT_EQ(journal[0]["status"], 501);
  EXPECT_EQ(journal[0]["upstream"], "cassette " + cassette);
  std::remove(cassette.c_str());
}

TEST(RecordReplay, AnUpstreamThatDeviatesShowsInProblemsJournalAndLog) {
  check_test::WrongServer wrong;
  MockProcess proxy(RESTBOX_MOCK_BINARY, {"--proxy", "findhelper=" + wrong.base_url()});
  ASSERT_EQ(proxy.Start(), "");
  auto curl = Curl();
  const core::Headers keys{{"X-API-Key", "fh_key_good"}, {"X-API-Secret", "fh_secret_good"}};
  auto job = Send(*curl, core::Method::kGet, proxy.base_url() + "/api/jobs/123", keys);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->status, 200);
  EXPECT_NE(job->body.find("\"id\":\"123\""), std::string::npos);  // passed on as the upstream said
  auto list = Send(*curl, core::Method::kGet, proxy.base_url() + "/api/jobs", keys);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->status, 200);

  const Json problems = GetJson(*curl, proxy.base_url() + "/__restbox/problems");
  EXPECT_EQ(problems["checked"], 2);
  EXPECT_EQ(problems["with_problems"], 1);
  ASSERT_EQ(problems["exchanges"].size(), 1u);
  const Json& p = problems["exchanges"][0];
  EXPECT_EQ(p["service"], "findhelper");
  EXPECT_EQ(p["endpoint"], "jobs.get");
  EXPECT_EQ(p["url"], "/api/jobs/123");
  EXPECT_EQ(p["status"], 200);
  EXPECT_EQ(p["upstream"], wrong.base_url() + "/api/jobs/123");
  EXPECT_EQ(p["problems"],
            Json::parse(R"([{"path":"$.data.id","expected":"integer","actual":"string"}])"));

  const Json journal = GetJson(*curl, proxy.base_url() + "/__restbox/journal");
  ASSERT_EQ(journal.size(), 2u);
  EXPECT_EQ(journal[0]["problems"], p["problems"]);
  EXPECT_EQ(journal[1]["problems"], Json::array());
  EXPECT_EQ(journal[0]["request_headers"]["X-API-Key"], core::MaskSecret("fh_key_good"));

  // The mock still answers the APIs it does not forward.
  auto mocked =
      Send(*curl, core::Method::kGet, proxy.base_url() + "/api/v1/data/orders/rec_demo000001",
           {{"Authorization", "Bearer tm_test_demo4d2f8a9c0b1e7f3a"}});
  ASSERT_TRUE(mocked.ok());
  EXPECT_EQ(mocked->status, 200);
  proxy.Stop();
  const std::string log = proxy.Output();
  EXPECT_NE(log.find(" problems findhelper jobs.get GET /api/jobs/123 200: $.data.id: expected "
                     "integer, got string"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("proxy       findhelper -> http://127.0.0.1:"), std::string::npos) << log;
}

TEST(RecordReplay, AnUpstreamThatCannotBeReachedIsA502) {
  // A port reserved (bound) but never started: nothing listens there, and nobody else takes it.
  MockProcess nobody(RESTBOX_MOCK_BINARY);
  const int port = nobody.port();
  MockProcess proxy(RESTBOX_MOCK_BINARY,
                    {"--quiet", "--proxy", "market=http://127.0.0.1:" + std::to_string(port)});
  ASSERT_EQ(proxy.Start(), "");
  auto curl = Curl();
  auto r = Send(*curl, core::Method::kPost, proxy.base_url() + "/market/demo-shop/product-info",
                {{"Content-Type", "application/json"}}, R"({"bindId":"1","productId":"2"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 502);
  EXPECT_EQ(r->headers.GetOr("X-Restbox-Error", ""), "1");
  auto body = core::ParseJson(r->body);
  ASSERT_TRUE(body.ok()) << r->body;
  EXPECT_EQ((*body)["kind"], "connection");
  EXPECT_EQ((*body)["upstream"],
            "http://127.0.0.1:" + std::to_string(port) + "/market/demo-shop/product-info");
  EXPECT_EQ((*body)["restbox_error"].get<std::string>().rfind(
                "restbox-mock could not reach the market upstream http://127.0.0.1:", 0),
            0u)
      << r->body;
}

TEST(RecordReplay, UsageErrorsExit2WithASentence) {
  const std::string bad_har = ::testing::TempDir() + "restbox_not_a.har";
  testing::WriteFile(bad_har, R"({"log":{"version":"1.2","entries":[{"request":{}}]}})");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--proxy", "nosuch=http://127.0.0.1:1"},
       "--proxy: unknown service 'nosuch' (this build has: "},
      {{"--proxy", "chikage"}, "--proxy needs ID=URL"},
      {{"--proxy", "chikage=ftp://127.0.0.1/"}, "--proxy chikage=URL needs an http(s) URL"},
      {{"--proxy", "chikage=http://127.0.0.1:1?x=1"},
       "without query, fragment or user information"},
      {{"--proxy", "chikage=http://a:1", "--proxy", "chikage=http://b:1"},
       "--proxy chikage given twice"},
      {{"--service", "wncms", "--proxy", "chikage=http://127.0.0.1:1"},
       "--proxy chikage: that API is not served (add --service chikage)"},
      {{"--record", "x.har"}, "--record FILE records what --proxy forwards"},
      {{"--replay", "x.har", "--proxy", "chikage=http://127.0.0.1:1"},
       "--replay serves a cassette offline; it cannot be combined with --proxy or --record"},
      {{"--replay", "/no/such/dir/x.har"}, "--replay: cannot read /no/such/dir/x.har: "},
      {{"--replay", bad_har}, "not a HAR cassette: $.log.entries[0].request.method: absent"},
      {{"--proxy", "chikage=http://127.0.0.1:1", "--record", "/no/such/dir/x.har"},
       "--record: cannot write /no/such/dir/x.har: "},
  };
  for (const auto& c : cases) {
    std::vector<std::string> argv{RESTBOX_MOCK_BINARY, "--port", "0"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    auto result = testing::RunCommand(argv, {.timeout_ms = 20'000});
    std::string shown;
    for (const auto& a : c.args) shown += a + " ";
    EXPECT_EQ(result.exit_code, 2) << shown << "\n" << result.output;
    EXPECT_NE(result.output.find(c.message), std::string::npos) << shown << "\n" << result.output;
  }
  std::remove(bad_har.c_str());
}

}  // namespace
}  // namespace restbox::conformance
