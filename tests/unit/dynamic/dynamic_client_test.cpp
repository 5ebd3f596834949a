// DynamicClient: parameter routing, credentials per auth scheme, validation, interpretation, and
// the pipeline behaviour it inherits (retries, cancellation, masking). Synthetic services cover
// the three auth schemes whatever services this build has; the last tests use the real mock.

#include <gtest/gtest.h>

#include "restbox/core/clock.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/services/dynamic_client.hpp"
#include "restbox/transports/in_process_transport.hpp"
#include "scripted_transport.hpp"

namespace restbox::services {
namespace {

using core::FieldIn;
using core::FieldType;
using core::Json;

using restbox::testing::ScriptedTransport;

core::HttpResponse Answer(int status, std::string body) {
  core::HttpResponse r;
  r.status = status;
  r.headers.Set("Content-Type", "application/json");
  r.headers.Set("X-Request-Id", "req-" + std::to_string(status));
  r.body = std::move(body);
  return r;
}

core::Result<Json> TestInterpret(const core::EndpointSpec& endpoint, const core::HttpResponse& r) {
  auto body = core::ParseJson(r.body);
  if (endpoint.IsSuccess(r.status)) return body;
  core::Error e = core::MakeError(
      core::ErrorKindFromStatus(r.status),
      body.ok() ? core::JsonValueOr<std::string>(*body, "error", "failed") : "failed");
  e.code = "E" + std::to_string(r.status);
  return e;
}

core::ServiceSpec MakeSpec(core::AuthScheme auth) {
  core::ServiceSpec s;
  s.id = "test";
  s.auth = auth;
  core::EndpointSpec create;
  create.id = "items.create";
  create.method = core::Method::kPost;
  create.path = "/v1/{group}/items";
  create.success = {201};
  create.fields = {
      {.name = "group", .in = FieldIn::kPath, .required = true},
      {.name = "dry_run", .in = FieldIn::kQuery, .type = FieldType::kBoolean},
      {.name = "X-Trace", .in = FieldIn::kHeader},
      {.name = "title", .in = FieldIn::kBody, .required = true, .max_length = 8},
      {.name = "tags", .in = FieldIn::kBody, .type = FieldType::kArray},
  };
  core::EndpointSpec get;
  get.id = "items.get";
  get.method = core::Method::kGet;
  get.path = "/v1/{group}/items/{id}";
  get.success = {200};
  get.idempotent = true;
  get.fields = {{.name = "group", .in = FieldIn::kPath, .required = true},
                {.name = "id", .in = FieldIn::kPath, .required = true},
                {.name = "query", .in = FieldIn::kQuery}};
  s.endpoints = {create, get};
  s.interpret = &TestInterpret;
  return s;
}

struct Harness {
  explicit Harness(core::AuthScheme auth,
                   Credentials credentials = {"k_secret_value_1234", "s3cr3t_value_5678"})
      : spec(MakeSpec(auth)), entry{&spec, spec.interpret} {
    transport = std::make_shared<ScriptedTransport>();
    DynamicClientOptions o;
    o.transport = transport;
    o.base_url = "http://svc";
    o.clock = clock;
    o.scheduler = clock;
    o.random = [] { return 0.5; };
    o.request_id_generator = [] { return std::string("rid"); };
    o.credentials = std::move(credentials);
    client = std::make_unique<DynamicClient>(entry, o);
  }
  core::Result<Json> Run(std::string_view endpoint, DynamicRequest request) {
    auto future = client->Call(endpoint, std::move(request));
    auto result = future.TryGet();
    EXPECT_TRUE(result.has_value()) << "the call did not complete inline";
    if (!result) return core::MakeError(core::ErrorKind::kProtocol, "not complete");
    return std::move(*result);
  }
  core::ServiceSpec spec;
  ServiceEntry entry;
  std::shared_ptr<core::ManualClock> clock = std::make_shared<core::ManualClock>();
  std::shared_ptr<ScriptedTransport> transport;
  std::unique_ptr<DynamicClient> client;
};

TEST(DynamicRequest, FromParamsRoutesMembersByTheFieldTable) {
  auto spec = MakeSpec(core::AuthScheme::kBearer);
  auto r = DynamicRequest::FromParams(
      *spec.Find("items.create"),
      {{"group", "g 1"}, {"dry_run", true}, {"X-Trace", "t-1"}, {"title", "Hi"}, {"extra", 5}});
  ASSERT_EQ(r.path.size(), 1u);
  EXPECT_EQ(r.path[0], std::make_pair(std::string("group"), std::string("g 1")));
  ASSERT_EQ(r.query.size(), 1u);
  EXPECT_EQ(r.query[0].second, "true");
  EXPECT_EQ(r.headers.GetOr("x-trace", ""), "t-1");
  ASSERT_TRUE(r.body.has_value());
  // Unknown members go to the body of a POST.
  EXPECT_EQ(*r.body, (Json{{"title", "Hi"}, {"extra", 5}}));
}

TEST(DynamicRequest, FromParamsSendsUnknownMembersOfAGetToTheQuery) {
  auto spec = MakeSpec(core::AuthScheme::kBearer);
  auto r = DynamicRequest::FromParams(
      *spec.Find("items.get"), {{"group", "a"}, {"id", 7}, {"tags", {"x", 2}}, {"n", nullptr}});
  EXPECT_FALSE(r.body.has_value());
  ASSERT_EQ(r.path.size(), 2u);
  EXPECT_EQ(r.path[1].second, "7");
  ASSERT_EQ(r.query.size(), 1u);
  EXPECT_EQ(r.query[0], std::make_pair(std::string("tags"), std::string("x,2")));
}

TEST(DynamicRequest, FromParamsTakesGroupsAsGivenUnlessAFieldHasTheirName) {
  auto spec = MakeSpec(core::AuthScheme::kBearer);
  auto create =
      DynamicRequest::FromParams(*spec.Find("items.create"), {{"path", {{"group", "p"}}},
                                                              {"headers", {{"Prefer", "code=503"}}},
                                                              {"body", {{"title", "T"}}},
                                                              {"tags", {"a"}}});
  ASSERT_EQ(create.path.size(), 1u);
  EXPECT_EQ(create.path[0].second, "p");
  EXPECT_EQ(create.headers.GetOr("Prefer", ""), "code=503");
  EXPECT_EQ(*create.body, (Json{{"title", "T"}, {"tags", {"a"}}}));
  // items.get has a query field called "query": the member is that field, not a group.
  auto get = DynamicRequest::FromParams(*spec.Find("items.get"), {{"query", "abc"}});
  ASSERT_EQ(get.query.size(), 1u);
  EXPECT_EQ(get.query[0], std::make_pair(std::string("query"), std::string("abc")));
  EXPECT_TRUE(DynamicRequest::FromParams(*spec.Find("items.get"), Json::array()).path.empty());
}

TEST(DynamicClient, BearerCredentialGoesToAuthorizationUnlessTheCallerSetsOne) {
  Harness h(core::AuthScheme::kBearer);
  h.transport->answers = {Answer(201, R"({"id":1})"), Answer(201, R"({"id":2})")};
  auto ok = h.Run("items.create", DynamicRequest::FromParams(*h.spec.Find("items.create"),
                                                             {{"group", "g"}, {"title", "A"}}));
  ASSERT_TRUE(ok.ok()) << ok.error().Describe();
  EXPECT_EQ(h.transport->requests[0].headers.GetOr("Authorization", ""),
            "Bearer k_secret_value_1234");
  EXPECT_EQ(h.transport->requests[0].url, "http://svc/v1/g/items");

  auto other =
      DynamicRequest::FromParams(*h.spec.Find("items.create"), {{"group", "g"}, {"title", "A"}});
  other.headers.Set("Authorization", "Bearer other");
  ASSERT_TRUE(h.Run("items.create", std::move(other)).ok());
  EXPECT_EQ(h.transport->requests[1].headers.GetOr("Authorization", ""), "Bearer other");
}

TEST(DynamicClient, BodyTokenCredentialIsAddedToTheJsonBodyOnly) {
  Harness h(core::AuthScheme::kBodyToken);
  h.transport->answers = {Answer(201, "{}"), Answer(201, "{}")};
  ASSERT_TRUE(h.Run("items.create", DynamicRequest::FromParams(*h.spec.Find("items.create"),
                                                               {{"group", "g"}, {"title", "A"}}))
                  .ok());
  auto body = core::ParseJson(h.transport->requests[0].body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["api_token"], "k_secret_value_1234");
  EXPECT_FALSE(h.transport->requests[0].headers.Has("Authorization"));

  DynamicRequest raw;
  raw.path = {{"group", "g"}};
  raw.raw_body = "{not json";
  ASSERT_TRUE(h.Run("items.create", std::move(raw)).ok());
  EXPECT_EQ(h.transport->requests[1].body, "{not json");
}

TEST(DynamicClient, KeyAndSecretCredentialsGoToTheirHeaders) {
  Harness h(core::AuthScheme::kKeyAndSecret);
  h.transport->answers = {Answer(200, R"({"id":"9"})")};
  auto r = h.Run("items.get", DynamicRequest::FromParams(*h.spec.Find("items.get"),
                                                         {{"group", "g"}, {"id", "9"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(h.transport->requests[0].headers.GetOr("X-API-Key", ""), "k_secret_value_1234");
  EXPECT_EQ(h.transport->requests[0].headers.GetOr("X-API-Secret", ""), "s3cr3t_value_5678");
}

TEST(DynamicClient, EmptyCredentialsSendNone) {
  Harness h(core::AuthScheme::kKeyAndSecret, Credentials{});
  h.transport->answers = {Answer(401, R"({"error":"missing key"})")};
  auto r = h.Run("items.get", DynamicRequest::FromParams(*h.spec.Find("items.get"),
                                                         {{"group", "g"}, {"id", "9"}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, core::ErrorKind::kUnauthorized);
  EXPECT_FALSE(h.transport->requests[0].headers.Has("X-API-Key"));
  EXPECT_FALSE(h.transport->requests[0].headers.Has("X-API-Secret"));
}

TEST(DynamicClient, UnknownEndpointIsAnInvalidArgument) {
  Harness h(core::AuthScheme::kBearer);
  auto r = h.Run("items.nope", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, core::ErrorKind::kInvalidArgument);
  EXPECT_NE(r.error().message.find("items.nope"), std::string::npos);
  EXPECT_TRUE(h.transport->requests.empty());
}

TEST(DynamicClient, MissingPathValuesAndBadFieldsFailBeforeSending) {
  Harness h(core::AuthScheme::kBearer);
  auto r = h.Run("items.create", DynamicRequest::FromParams(*h.spec.Find("items.create"),
                                                            {{"title", "far too long"}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, core::ErrorKind::kClientValidation);
  ASSERT_EQ(r.error().details.size(), 2u);
  EXPECT_EQ(r.error().details[0].field, "group");
  EXPECT_EQ(r.error().details[1].field, "title");
  EXPECT_TRUE(r.error().not_sent);
  EXPECT_EQ(r.error().message,
            "not sent: Validation failed; 2 invalid fields: group: is required; title: must be at "
            "most 8 characters");
  EXPECT_TRUE(h.transport->requests.empty());
}

TEST(DynamicClient, RawBodySkipsBodyChecksButNotPathChecks) {
  Harness h(core::AuthScheme::kBearer);
  h.transport->answers = {Answer(400, R"({"error":"invalid JSON"})")};
  DynamicRequest raw;
  raw.path = {{"group", "g"}};
  raw.raw_body = "{";
  auto r = h.Run("items.create", std::move(raw));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, core::ErrorKind::kBadRequest);
  EXPECT_EQ(r.error().code, "E400");
  EXPECT_EQ(r.error().raw_body, R"({"error":"invalid JSON"})");
  ASSERT_EQ(h.transport->requests.size(), 1u);
}

TEST(DynamicClient, ValidationCanBeSwitchedOff) {
  Harness h(core::AuthScheme::kBearer);
  DynamicClientOptions o;
  o.transport = h.transport;
  o.base_url = "http://svc";
  o.client_validation = false;
  DynamicClient client(h.entry, o);
  h.transport->answers = {Answer(404, R"({"error":"no route"})")};
  auto r = client.Call("items.get", {}).TryGet();
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().kind, core::ErrorKind::kNotFound);
  // The placeholders stay literal, so the server decides.
  EXPECT_EQ(h.transport->requests[0].url, "http://svc/v1/{group}/items/{id}");
}

TEST(DynamicClient, InterpretsSuccessAndKeepsTheMeta) {
  Harness h(core::AuthScheme::kBearer);
  h.transport->answers = {Answer(200, R"({"id":"9","n":[1,2]})")};
  auto r = h.Run("items.get", DynamicRequest::FromParams(*h.spec.Find("items.get"),
                                                         {{"group", "g"}, {"id", "9"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), (Json{{"id", "9"}, {"n", {1, 2}}}));
  EXPECT_EQ(r.meta().status, 200);
  EXPECT_EQ(r.meta().request_id, "req-200");
  ASSERT_EQ(r.meta().attempts.size(), 1u);
  EXPECT_EQ(h.transport->requests[0].headers.GetOr("X-Request-Id", ""), "rid");
}

TEST(DynamicClient, RetriesIdempotentEndpointsThroughThePipeline) {
  Harness h(core::AuthScheme::kBearer);
  h.transport->answers = {Answer(503, R"({"error":"busy"})"), Answer(200, R"({"id":"9"})")};
  auto future = h.client->Call(
      "items.get",
      DynamicRequest::FromParams(*h.spec.Find("items.get"), {{"group", "g"}, {"id", "9"}}));
  EXPECT_FALSE(future.ready());  // waiting for the backoff on the manual clock
  h.clock->Advance(core::Duration(1000));
  auto r = future.TryGet();
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->ok());
  ASSERT_EQ(r->meta().attempts.size(), 2u);
  EXPECT_EQ(r->meta().attempts[0].status, 503);
  EXPECT_EQ(r->meta().attempts[1].status, 200);
}

TEST(DynamicClient, DoesNotRetryANonIdempotentPost) {
  Harness h(core::AuthScheme::kBearer);
  h.transport->answers = {Answer(503, R"({"error":"busy"})"), Answer(201, "{}")};
  auto r = h.Run("items.create", DynamicRequest::FromParams(*h.spec.Find("items.create"),
                                                            {{"group", "g"}, {"title", "A"}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, core::ErrorKind::kServerError);
  EXPECT_EQ(h.transport->requests.size(), 1u);
}

TEST(DynamicClient, CancellationEndsACallInFlight) {
  Harness h(core::AuthScheme::kBearer);
  auto future = h.client->Call(
      "items.get",
      DynamicRequest::FromParams(*h.spec.Find("items.get"), {{"group", "g"}, {"id", "9"}}));
  EXPECT_FALSE(future.ready());
  future.Cancel();
  auto r = future.TryGet();
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().kind, core::ErrorKind::kCancelled);
}

TEST(DynamicClient, RedactsCredentialsFromErrors) {
  Harness h(core::AuthScheme::kBearer);
  h.transport->answers = {Answer(401, R"({"error":"unknown key k_secret_value_1234"})")};
  auto r = h.Run("items.get", DynamicRequest::FromParams(*h.spec.Find("items.get"),
                                                         {{"group", "g"}, {"id", "9"}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find("k_secret_value_1234"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().raw_body.find("k_secret_value_1234"), std::string::npos);
  EXPECT_EQ(r.error().request_id, "req-401");
}

TEST(DynamicClientJson, ResultsBecomePlainObjects) {
  Harness h(core::AuthScheme::kBearer);
  h.transport->answers = {Answer(200, R"({"id":"9"})"), Answer(404, R"({"error":"gone"})")};
  auto request = [&] {
    return DynamicRequest::FromParams(*h.spec.Find("items.get"), {{"group", "g"}, {"id", "9"}});
  };
  Json ok = ToJson(h.Run("items.get", request()));
  EXPECT_EQ(ok["ok"], true);
  EXPECT_EQ(ok["status"], 200);
  EXPECT_EQ(ok["data"], (Json{{"id", "9"}}));
  EXPECT_EQ(ok["headers"]["X-Request-Id"], "req-200");
  EXPECT_EQ(ok["requestId"], "req-200");
  EXPECT_EQ(ok["attempts"].size(), 1u);
  EXPECT_FALSE(ok.contains("error"));

  Json failed = ToJson(h.Run("items.get", request()));
  EXPECT_EQ(failed["ok"], false);
  EXPECT_EQ(failed["status"], 404);
  EXPECT_EQ(failed["error"]["kind"], "not_found");
  EXPECT_EQ(failed["error"]["code"], "E404");
  EXPECT_EQ(failed["error"]["message"], "gone");
  EXPECT_FALSE(failed.contains("data"));

  Json invalid = ToJson(h.Run("items.nope", {}));
  EXPECT_EQ(invalid["status"], 0);
  EXPECT_EQ(invalid["error"]["kind"], "invalid_argument");
}

TEST(DynamicClientJson, DescribeServiceListsEndpointsAndFields) {
  auto spec = MakeSpec(core::AuthScheme::kKeyAndSecret);
  spec.endpoints[0].fields[3].default_value = "\"untitled\"";
  spec.endpoints[0].example_request = "not json";
  Json d = DescribeService(spec);
  EXPECT_EQ(d["auth"], "key_and_secret");
  ASSERT_EQ(d["endpoints"].size(), 2u);
  const Json& create = d["endpoints"][0];
  EXPECT_EQ(create["method"], "POST");
  EXPECT_EQ(create["success"], Json::array({201}));
  EXPECT_EQ(create["fields"][3]["maxLength"], 8);
  EXPECT_EQ(create["fields"][3]["default"], "untitled");
  EXPECT_EQ(create["fields"][1]["in"], "query");
  EXPECT_EQ(create["exampleRequest"], "not json");
  EXPECT_FALSE(create["fields"][0].contains("minimum"));
}

// ---- Against the in-process mock: every registered service is reachable generically ----

TEST(DynamicClientMock, EveryServiceOfTheRegistryGetsAClient) {
  for (const auto& entry : AllServices()) {
    auto client = DynamicClient::ForService(entry.spec->id, {});
    ASSERT_NE(client, nullptr) << entry.spec->id;
    EXPECT_EQ(&client->spec(), entry.spec);
  }
  EXPECT_EQ(DynamicClient::ForService("no-such-service", {}), nullptr);
}

// The service table's retry rule (market's 1003 "busy") is the generic client's too, as it is the
// typed client's: one busy answer, then the success, in two attempts.
TEST(DynamicClientMock, MarketBusyIsRetriedLikeTheTypedClientDoes) {
  if (!FindService("market")) GTEST_SKIP() << "market is not in this build";
  auto clock = std::make_shared<core::ManualClock>();
  mock::MockOptions mo;
  mo.clock = clock;
  auto server = mock::MakeMockServer(mo);
  const Json f = server->Fixtures()["market"];
  const std::string endpoint_name =
      f["project"].get<std::string>() + "/" + f["slug"].get<std::string>();
  ASSERT_EQ(server->ApplySettings("market", {{"endpoint." + endpoint_name + ".busy_next", 1}}),
            std::nullopt);
  DynamicClientOptions o;
  o.transport = std::make_shared<transports::InProcessTransport>(
      server, transports::InProcessOptions{.scheduler = clock});
  o.clock = clock;
  o.scheduler = clock;
  o.credentials.key = f["consumer_key"].get<std::string>();
  auto client = DynamicClient::ForService("market", o);
  Json params = f["params"];
  params["project"] = f["project"];
  params["slug"] = f["slug"];
  auto future =
      client->Call("call", DynamicRequest::FromParams(*client->spec().Find("call"), params));
  EXPECT_FALSE(future.ready());  // attempt 1 answered 1003: waiting for the backoff
  clock->Advance(core::Duration(60'000));
  auto r = future.TryGet();
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->ok()) << r->error().Describe();
  ASSERT_EQ(r->meta().attempts.size(), 2u);
  EXPECT_EQ(r->value()["code"], 0);
}

TEST(DynamicClientMock, ChikageCreateThenReadThroughTheMock) {
  if (!FindService("chikage")) GTEST_SKIP() << "chikage is not in this build";
  auto clock = std::make_shared<core::ManualClock>();
  mock::MockOptions mo;
  mo.clock = clock;
  auto server = mock::MakeMockServer(mo);
  const Json fixtures = server->Fixtures()["chikage"];
  DynamicClientOptions o;
  o.transport = std::make_shared<transports::InProcessTransport>(
      server, transports::InProcessOptions{.scheduler = clock});
  o.clock = clock;
  o.scheduler = clock;
  o.base_url = "http://mock";
  o.credentials.key = fixtures["test_key"].get<std::string>();
  auto client = DynamicClient::ForService("chikage", o);

  const auto& create = *client->spec().Find("create");
  auto created =
      client
          ->Call("create",
                 DynamicRequest::FromParams(
                     create, {{"slug", fixtures["slug"]}, {"order_id", "ORD-9"}, {"amount", 3}}))
          .TryGet();
  ASSERT_TRUE(created.has_value());
  ASSERT_TRUE(created->ok()) << created->error().Describe();
  EXPECT_EQ(created->status(), 202);
  std::string id = core::JsonValueOr<std::string>(created->value(), "id", "");
  ASSERT_FALSE(id.empty());

  auto read = client
                  ->Call("get", DynamicRequest::FromParams(*client->spec().Find("get"),
                                                           {{"slug", "orders"}, {"record_id", id}}))
                  .TryGet();
  ASSERT_TRUE(read.has_value());
  ASSERT_TRUE(read->ok()) << read->error().Describe();
  EXPECT_EQ(read->value()["data"]["order_id"], "ORD-9");

  server->ForceStatus(403, {.service = "chikage", .endpoint = "get"});
  auto forced =
      client
          ->Call("get", DynamicRequest::FromParams(*client->spec().Find("get"),
                                                   {{"slug", "orders"}, {"record_id", id}}))
          .TryGet();
  ASSERT_TRUE(forced.has_value());
  ASSERT_FALSE(forced->ok());
  EXPECT_EQ(forced->error().kind, core::ErrorKind::kForbidden);
  // The mock's journal saw the key masked.
  auto journal = server->Journal();
  ASSERT_FALSE(journal.empty());
  EXPECT_EQ(journal.back().request_headers.GetOr("Authorization", "").find(o.credentials.key),
            std::string::npos);
}

// The envelope facts reach meta() through the generic client too (what the console shows).
TEST(DynamicClientMock, ServiceCodesAreInMetaForEveryService) {
  auto clock = std::make_shared<core::ManualClock>();
  mock::MockOptions mo;
  mo.clock = clock;
  auto server = mock::MakeMockServer(mo);
  const Json fixtures = server->Fixtures();
  auto client_for = [&](const std::string& id, std::string key, std::string secret = "") {
    DynamicClientOptions o;
    o.transport = std::make_shared<transports::InProcessTransport>(
        server, transports::InProcessOptions{.scheduler = clock});
    o.clock = clock;
    o.scheduler = clock;
    o.base_url = "http://mock";
    o.retry.max_attempts = 1;
    o.credentials = {std::move(key), std::move(secret)};
    return DynamicClient::ForService(id, o);
  };
  auto call = [](DynamicClient& client, const std::string& endpoint, const Json& params) {
    auto r =
        client.Call(endpoint, DynamicRequest::FromParams(*client.spec().Find(endpoint), params))
            .TryGet();
    EXPECT_TRUE(r.has_value()) << endpoint;
    return r ? std::move(*r) : core::Result<Json>(core::MakeError(core::ErrorKind::kTimeout, "?"));
  };
  if (FindService("wncms")) {
    auto cms = client_for("wncms", fixtures["wncms"]["api_token"]);
    auto listed = call(*cms, "posts.index", Json::object());
    ASSERT_TRUE(listed.ok()) << listed.error();
    EXPECT_EQ(listed.meta().service_code, "200");
    EXPECT_EQ(listed.meta().service_message, "Successfully fetched posts");
    auto missing = call(*cms, "posts.show", {{"id", "999999"}});
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.meta().service_code, "404");
  }
  if (FindService("market")) {
    const Json& m = fixtures["market"];
    auto market = client_for("market", m["consumer_key"]);
    Json params = m["params"];
    params["project"] = m["project"];
    params["slug"] = m["slug"];
    auto paid = call(*market, "call", params);
    ASSERT_TRUE(paid.ok()) << paid.error();
    EXPECT_EQ(paid.meta().service_code, "0");
    auto broke = client_for("market", m["empty_balance_key"]);
    auto refused = call(*broke, "call", params);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.meta().service_code, "1005");
  }
  if (FindService("findhelper")) {
    const Json& f = fixtures["findhelper"];
    auto jobs = client_for("findhelper", f["api_key"], f["api_secret"]);
    auto missing =
        call(*jobs, "jobs.get", {{"id", std::to_string(f["not_found_job_id"].get<int>())}});
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.meta().service_code, "NOT_FOUND");
  }
}

}  // namespace
}  // namespace restbox::services
