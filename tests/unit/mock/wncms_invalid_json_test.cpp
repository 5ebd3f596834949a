// wncms: a body that is not valid JSON answers 400 in the envelope on every route (as every other
// API answers invalid JSON), before the token is looked at, whatever the route's auth setting.
// The routes come from the endpoint table (and the posts/index alias), not from a list written
// here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "restbox/core/schema.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/wncms/models.hpp"
#include "restbox/wncms/spec.hpp"

namespace restbox::mock {
namespace {

using core::Json;

std::vector<const core::EndpointSpec*> Routes() {
  std::vector<const core::EndpointSpec*> out;
  for (const auto& ep : wncms::Spec().endpoints) out.push_back(&ep);
  out.push_back(&wncms::PostsIndexAlias());
  return out;
}

std::string UrlOf(const core::EndpointSpec& ep) {
  std::string path = ep.path;
  if (auto at = path.find("{id}"); at != std::string::npos) path.replace(at, 4, "1");
  return "http://mock" + path;
}

core::HttpResponse Send(MockServer& server, const core::EndpointSpec& ep, std::string body) {
  core::HttpRequest r;
  r.method = ep.method;
  r.url = UrlOf(ep);
  r.headers.Set("Content-Type", "application/json");
  r.body = std::move(body);
  return server.Process(std::move(r)).response;
}

void ExpectInvalidJson400(const core::EndpointSpec& ep, const core::HttpResponse& response,
                          const std::string& what) {
  SCOPED_TRACE(ep.path + " (" + what + ")");
  EXPECT_EQ(response.status, 400) << response.body;
  auto body = core::ParseJson(response.body);
  ASSERT_TRUE(body.ok()) << response.body;
  EXPECT_EQ((*body)["code"], 400);
  EXPECT_EQ((*body)["status"], "fail");
  EXPECT_TRUE((*body)["message"].is_string());
  EXPECT_TRUE(body->contains("data") && body->contains("extra")) << response.body;
  // The table documents the answer, and the body has the table's shape.
  const core::Json* schema = ep.ResponseSchema(400, "400");
  ASSERT_NE(schema, nullptr) << "no documented 400 on " << ep.id;
  for (const auto& p : core::ValidateSchema(*schema, *body)) ADD_FAILURE() << core::ToString(p);
  // The SDK reads it as the route's documented 400.
  core::Error e = wncms::ParseError(response);
  EXPECT_EQ(e.http_status, 400);
  EXPECT_EQ(e.code, "400");
}

TEST(WncmsInvalidJson, EveryRouteAnswers400InTheEnvelope) {
  auto server = MakeMockServer();
  const std::string token = server->Fixtures()["wncms"]["api_token"];
  const std::vector<std::string> bodies = {
      "{not json",
      R"({"api_token": ")" + token + R"(", "page": )",  // a valid token in a truncated document
      "\xff\xfe{}",
  };
  const auto routes = Routes();
  ASSERT_EQ(routes.size(), wncms::Spec().endpoints.size() + 1);
  for (const core::EndpointSpec* ep : routes) {
    for (const auto& body : bodies) ExpectInvalidJson400(*ep, Send(*server, *ep, body), body);
  }
}

TEST(WncmsInvalidJson, RoutesWithoutAuthAnswer400Too) {
  auto server = MakeMockServer();
  Json patch = Json::object();
  for (const auto& ep : wncms::Spec().endpoints)
    patch[std::string(wncms::FeatureKey(ep.id)) + std::string(wncms::kAuthSettingSuffix)] = "none";
  auto problem = server->ApplySettings("wncms", patch);
  ASSERT_FALSE(problem) << *problem;
  for (const core::EndpointSpec* ep : Routes())
    ExpectInvalidJson400(*ep, Send(*server, *ep, "[1,"), "auth none");
}

TEST(WncmsInvalidJson, ValidJsonStillGoesToTheTokenCheck) {
  // Only invalid JSON changed: a JSON body without a token is still a 401 on every route.
  auto server = MakeMockServer();
  for (const core::EndpointSpec* ep : Routes()) {
    auto r = Send(*server, *ep, "{}");
    EXPECT_EQ(r.status, 401) << ep->path << " " << r.body;
  }
}

TEST(WncmsInvalidJson, DisabledRouteStillAnswers403First) {
  auto server = MakeMockServer();
  for (const auto& ep : wncms::Spec().endpoints) {
    auto problem = server->ApplySettings("wncms", {{std::string(wncms::FeatureKey(ep.id)), false}});
    ASSERT_FALSE(problem) << *problem;
    EXPECT_EQ(Send(*server, ep, "{not json").status, 403) << ep.path;
  }
}

}  // namespace
}  // namespace restbox::mock
