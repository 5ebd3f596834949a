// The request side of the in-process fast path: a request may carry its body's JSON value
// (HttpRequest::json, set by ServiceClient), which the mock reads instead of parsing the bytes.
// Whatever takes that path answers, stores and journals exactly what the same bytes alone give.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/mock/all.hpp"

namespace restbox::mock {
namespace {

using core::Json;

std::shared_ptr<MockServer> Server() {
  MockOptions o;
  o.clock = std::make_shared<core::ManualClock>();
  o.limits_enabled = false;
  return MakeMockServer(o);
}

core::HttpRequest Request(core::Method method, std::string url, const Json* body,
                          const std::vector<std::pair<std::string, std::string>>& headers) {
  core::HttpRequest r;
  r.method = method;
  r.url = std::move(url);
  for (const auto& [n, v] : headers) r.headers.Set(n, v);
  if (body) {
    r.headers.Set("Content-Type", "application/json");
    r.body = core::DumpJson(*body);
  }
  return r;
}

// The request once as bytes only and once with its value attached, each to its own fresh mock
// (same seed): status, body, journal and state must be the same.
struct Pair {
  std::shared_ptr<MockServer> bytes = Server(), value = Server();
  std::vector<core::HttpResponse> Send(
      core::Method method, const std::string& url, const std::optional<Json>& body,
      const std::vector<std::pair<std::string, std::string>>& headers) {
    core::HttpRequest plain = Request(method, url, body ? &*body : nullptr, headers);
    core::HttpRequest attached = plain;
    if (body) {
      attached.json = core::SharedWireExact(Json(*body));
      EXPECT_NE(attached.json, nullptr);
    }
    auto a = bytes->Process(std::move(plain)).response;
    auto b = value->Process(std::move(attached)).response;
    EXPECT_EQ(a.status, b.status) << url;
    EXPECT_EQ(a.body, b.body) << url;
    return {a, b};
  }
  void ExpectSameWorld() {
    auto ja = bytes->Journal(0), jb = value->Journal(0);
    ASSERT_EQ(ja.size(), jb.size());
    for (std::size_t i = 0; i < ja.size(); ++i) {
      EXPECT_EQ(ja[i].request_body, jb[i].request_body);
      EXPECT_EQ(ja[i].response_body, jb[i].response_body);
    }
    EXPECT_EQ(core::DumpJson(bytes->World()), core::DumpJson(value->World()));
  }
};

TEST(RequestJson, ChikageWritesAndReadsTheSameWithTheAttachedValue) {
  Pair p;
  const auto key = p.bytes->Fixtures()["chikage"]["test_key"].get<std::string>();
  const std::vector<std::pair<std::string, std::string>> auth = {
      {"Authorization", "Bearer " + key}};
  Json order = {{"order_id", "ORD-台北"}, {"amount", 45000}, {"items", {"A", "B"}}, {"paid", true}};
  auto created = p.Send(core::Method::kPost, "http://mock/api/v1/data/orders", order, auth);
  ASSERT_EQ(created[0].status, 202) << created[0].body;
  const auto id = (*core::ParseJson(created[0].body))["id"].get<std::string>();
  p.bytes->Tick();
  p.value->Tick();
  auto got = p.Send(core::Method::kGet, "http://mock/api/v1/data/orders/" + id, std::nullopt, auth);
  ASSERT_EQ(got[0].status, 200) << got[0].body;
  EXPECT_EQ((*core::ParseJson(got[0].body))["data"], order);
  // A replace with a value that fails the schema is refused alike.
  Json bad = {{"amount", "lots"}};
  auto refused = p.Send(core::Method::kPut, "http://mock/api/v1/data/orders/" + id, bad, auth);
  EXPECT_EQ(refused[0].status, 400) << refused[0].body;
  p.ExpectSameWorld();
}

TEST(RequestJson, OtherServicesAnswerTheSameWithTheAttachedValue) {
  Pair p;
  Json fixtures = p.bytes->Fixtures();
  const auto token = fixtures["wncms"]["api_token"].get<std::string>();
  p.Send(core::Method::kPost, "http://mock/api/v1/posts/index",
         Json{{"api_token", token}, {"page_size", 3}, {"sort", "title"}}, {});
  p.Send(core::Method::kPost, "http://mock/api/v1/posts/store",
         Json{{"api_token", token}, {"title", "Hello"}, {"content", "x"}}, {});
  const auto inv = fixtures["inventory"]["api_key"].get<std::string>();
  p.Send(core::Method::kPost, "http://mock/apiV1/templates", Json{{"name", "T"}},
         {{"Authorization", "Bearer " + inv}});
  p.Send(core::Method::kPost, "http://mock/api/jobs", Json{{"title", "Job"}},
         {{"X-API-Key", fixtures["findhelper"]["api_key"].get<std::string>()},
          {"X-API-Secret", fixtures["findhelper"]["api_secret"].get<std::string>()}});
  p.ExpectSameWorld();
}

// Bytes that are not JSON carry no value (nothing attaches one to them): still the 400.
TEST(RequestJson, InvalidBytesStillAnswer400) {
  auto server = Server();
  const auto key = server->Fixtures()["chikage"]["test_key"].get<std::string>();
  core::HttpRequest r;
  r.method = core::Method::kPost;
  r.url = "http://mock/api/v1/data/orders";
  r.headers.Set("Authorization", "Bearer " + key);
  r.headers.Set("Content-Type", "application/json");
  r.body = "{\"order_id\":";
  auto answer = server->Process(std::move(r)).response;
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.body.find("Invalid JSON body"), std::string::npos) << answer.body;
}

}  // namespace
}  // namespace restbox::mock
