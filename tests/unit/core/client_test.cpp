// ServiceClient (client.hpp) on the policy pipeline: requests built from the endpoint table,
// client-side validation, the interpreter's results and errors with their meta (attempts,
// Retry-After, service facts), cancellation through Futures, and the lifetime rule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/pipeline_harness.hpp"

#include "restbox/core/client.hpp"
#include "restbox/core/future.hpp"

namespace restbox::core {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): the bench of this test
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;

Result<Json> InterpretTest(const EndpointSpec& endpoint, const HttpResponse& response);
Result<Json> InterpretEnveloped(const EndpointSpec& endpoint, const HttpResponse& response);
std::optional<Error> CheckTest(const CallSpec& call, std::vector<FieldError> problems);

const ServiceSpec& TestSpec() {
  static const ServiceSpec spec = [] {
    ServiceSpec s;
    s.id = "test";
    s.default_base_url = "http://svc";
    EndpointSpec list;
    list.id = "list";
    list.method = Method::kGet;
    list.path = "/items";
    list.success = {200};
    list.idempotent = true;
    list.fields = {
        {.name = "page", .in = FieldIn::kQuery, .type = FieldType::kInteger, .minimum = 1}};
    EndpointSpec create;
    create.id = "create";
    create.method = Method::kPost;
    create.path = "/items";
    create.success = {201};
    create.idempotent = false;
    create.fields = {
        {.name = "title", .type = FieldType::kString, .required = true, .max_length = 5}};
    s.endpoints = {list, create};
    s.interpret = &InterpretTest;
    s.check_request = &CheckTest;
    return s;
  }();
  return spec;
}

// The same service with an envelope {"code","message","data"} and its own error codes.
const ServiceSpec& EnvelopedSpec() {
  static const ServiceSpec spec = [] {
    ServiceSpec s = TestSpec();
    s.interpret = &InterpretEnveloped;
    return s;
  }();
  return spec;
}

Error ParseTestError(const HttpResponse& r) {
  Error e;
  e.kind = ErrorKindFromStatus(r.status);
  e.http_status = r.status;
  e.raw_body = r.body;
  auto parsed = ParseJson(r.body);
  e.message = parsed.ok() ? JsonValueOr<std::string>(*parsed, "error", "failed") : "failed";
  return e;
}

std::optional<Error> CheckTest(const CallSpec&, std::vector<FieldError> problems) {
  if (problems.empty()) return std::nullopt;
  Error e = MakeError(ErrorKind::kClientValidation, "invalid");
  e.details = std::move(problems);
  return e;
}

Result<Json> InterpretTest(const EndpointSpec& endpoint, const HttpResponse& response) {
  return InterpretJsonResponse(endpoint, response, &ParseTestError);
}

// Reports the envelope's facts in its Result's meta; errors carry the service's code.
Result<Json> InterpretEnveloped(const EndpointSpec& endpoint, const HttpResponse& response) {
  if (!endpoint.AcceptsAsSuccess(response.status)) {
    Error e = ParseTestError(response);
    e.code = "NOT_FOUND";
    return e;
  }
  auto body = ParseJson(response.body);
  if (!body.ok()) return body.error();
  Result<Json> out((*body)["data"]);
  out.meta().service_code = std::to_string((*body)["code"].get<int>());
  out.meta().service_message = (*body)["message"].get<std::string>();
  return out;
}

struct ClientHarness : Harness {
  ServiceClient Client() {
    ClientOptions o;
    static_cast<PipelineOptions&>(o) = Options();
    return ServiceClient(TestSpec(), o);
  }
  static CallSpec Spec(const ServiceClient& c, std::string_view endpoint) {
    CallSpec call;
    call.endpoint = &c.Endpoint(endpoint);
    call.secrets = {kKey};
    call.headers.Set("Authorization", std::string("Bearer ") + kKey);
    call.rate_key = kKey;
    return call;
  }
};

// A typed client's conversion of the interpreter's JSON: here the JSON itself.
Result<Json> DecodeBody(Json data) {
  return data;
}

TEST(ServiceClient, ResultMetaHoldsTheAttemptTimeline) {
  ClientHarness h;
  auto client = h.Client();
  h.transport->Script(Answer(503, {{"Retry-After", "1"}}));
  h.transport->Script(Answer(500));
  h.transport->Script(Answer(200, {{"X-Request-Id", "server-rid"}}, R"({"items":[1,2]})"));
  auto future = client.Call<Json>(ClientHarness::Spec(client, "list"), &DecodeBody);
  EXPECT_FALSE(future.ready());
  h.clock->Advance(Duration(1000));
  EXPECT_FALSE(future.ready());
  h.clock->Advance(Duration(500));
  auto result = future.TryGet();
  ASSERT_TRUE(result);
  ASSERT_TRUE(result->ok());
  EXPECT_EQ((**result)["items"], Json({1, 2}));
  const ResponseMeta& meta = result->meta();
  EXPECT_EQ(meta.status, 200);
  EXPECT_EQ(meta.request_id, "server-rid");
  ASSERT_EQ(meta.attempts.size(), 3u);
  EXPECT_EQ(meta.attempts[0].status, 503);
  EXPECT_EQ(meta.attempts[0].delay_before_next, Duration(1000));
  EXPECT_THAT(meta.attempts[0].note, HasSubstr("(Retry-After)"));
  EXPECT_EQ(meta.attempts[1].status, 500);
  EXPECT_EQ(meta.attempts[1].delay_before_next, Duration(500));
  EXPECT_THAT(meta.attempts[1].note, HasSubstr("(backoff)"));
  EXPECT_EQ(meta.attempts[2].status, 200);
  EXPECT_EQ(meta.attempts[2].number, 3);
}

TEST(ServiceClient, ContextIdempotentOverridesTheTable) {
  ClientHarness h;
  auto client = h.Client();
  // A POST the caller knows is safe to repeat.
  h.transport->Script(Answer(503));
  h.transport->Script(Answer(201, {}, "{}"));
  auto post = ClientHarness::Spec(client, "create");
  post.body = Json{{"title", "a"}};
  post.context.idempotent = true;
  auto created = client.Call<Json>(post, &DecodeBody);
  h.clock->Advance(seconds(1));
  EXPECT_EQ(h.transport->requests.size(), 2u);
  auto r1 = created.TryGet();
  ASSERT_TRUE(r1 && r1->ok());
  // A GET the caller wants tried only once.
  h.transport->Script(Answer(503));
  auto get = ClientHarness::Spec(client, "list");
  get.context.idempotent = false;
  auto listed = client.Call<Json>(get, &DecodeBody);
  h.clock->Advance(seconds(10));
  EXPECT_EQ(h.transport->requests.size(), 3u);
  auto r2 = listed.TryGet();
  ASSERT_TRUE(r2);
  ASSERT_FALSE(r2->ok());
  EXPECT_EQ(r2->error().http_status, 503);
  EXPECT_EQ(r2->error().kind, ErrorKind::kServerError);
  // And by default the POST is not retried.
  h.transport->Script(Answer(503));
  auto plain = ClientHarness::Spec(client, "create");
  plain.body = Json{{"title", "b"}};
  auto once = client.Call<Json>(plain, &DecodeBody);
  h.clock->Advance(seconds(10));
  EXPECT_EQ(h.transport->requests.size(), 4u);
}

TEST(ServiceClient, ErrorsCarryStatusRequestIdRetryAfterAndNoSecrets) {
  ClientHarness h;
  auto o = h.Options();
  o.retry.max_attempts = 1;
  ClientOptions co;
  static_cast<PipelineOptions&>(co) = o;
  ServiceClient client(TestSpec(), co);
  h.transport->Script(Answer(429, {{"Retry-After", "30"}, {"X-Request-Id", "rid-from-server"}},
                             std::string(R"({"error":"quota used up for )") + kKey + R"("})"));
  auto f = client.Call<Json>(ClientHarness::Spec(client, "list"), &DecodeBody);
  auto r = f.TryGet();
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->ok());
  const Error& e = r->error();
  EXPECT_EQ(e.kind, ErrorKind::kRateLimited);
  EXPECT_EQ(e.http_status, 429);
  EXPECT_EQ(e.request_id, "rid-from-server");
  EXPECT_EQ(e.retry_after, seconds(30));
  EXPECT_THAT(e.message, Not(HasSubstr(kKey)));
  EXPECT_THAT(e.message, HasSubstr("tm_test_****6789"));
  EXPECT_THAT(e.raw_body, Not(HasSubstr(kKey)));
  EXPECT_EQ(r->meta().attempts.size(), 1u);
  EXPECT_EQ(e.attempts, 1);
  EXPECT_FALSE(e.not_sent);
}

// The date form of Retry-After reaches the error too (it used to be read as seconds only).
TEST(ServiceClient, AnHttpDateRetryAfterIsTheErrorsRetryAfter) {
  ClientHarness h;
  ClientOptions co;
  static_cast<PipelineOptions&>(co) = h.Options();
  co.retry.max_attempts = 1;
  ServiceClient client(TestSpec(), co);
  const std::string in_90_s = FormatHttpDate(h.clock->Now() + seconds(90));
  h.transport->Script(Answer(429, {{"Retry-After", in_90_s}}, R"({"error":"slow down"})"));
  auto r = client.Call<Json>(ClientHarness::Spec(client, "list"), &DecodeBody).TryGet();
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().retry_after, seconds(90)) << in_90_s;
}

TEST(ServiceClient, UndecodableSuccessIsADecodeError) {
  ClientHarness h;
  auto client = h.Client();
  h.transport->Script(Answer(200, {}, "not json"));
  auto r = client.Call<Json>(ClientHarness::Spec(client, "list"), &DecodeBody).TryGet();
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().kind, ErrorKind::kDecode);
  EXPECT_EQ(r->error().http_status, 200);
  EXPECT_EQ(r->error().raw_body, "not json");
}

TEST(ServiceClient, ClientValidationStopsBeforeSending) {
  ClientHarness h;
  auto client = h.Client();
  auto call = ClientHarness::Spec(client, "create");
  call.body = Json{{"title", "far too long"}};
  auto r = client.Call<Json>(call, &DecodeBody).TryGet();
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().kind, ErrorKind::kClientValidation);
  ASSERT_EQ(r->error().details.size(), 1u);
  EXPECT_EQ(r->error().details[0].field, "title");
  // Says so: nothing was sent.
  EXPECT_EQ(r->error().message,
            "not sent: invalid; 1 invalid field: title: must be at most 5 characters");
  EXPECT_TRUE(r->error().not_sent);
  EXPECT_EQ(r->error().attempts, 0);
  EXPECT_TRUE(r->meta().attempts.empty());
  auto q = ClientHarness::Spec(client, "list");
  q.query = {{"page", "0"}};
  auto r2 = client.Call<Json>(q, &DecodeBody, {{"extra", "service rule"}}).TryGet();
  ASSERT_TRUE(r2);
  ASSERT_EQ(r2->error().details.size(), 2u);
  EXPECT_EQ(r2->error().details[0], (FieldError{"page", "must be at least 1"}));
  EXPECT_EQ(r2->error().details[1], (FieldError{"extra", "service rule"}));
  EXPECT_TRUE(h.transport->requests.empty());
}

TEST(ServiceClient, BuildsTheRequestFromTheTable) {
  ClientHarness h;
  auto client = h.Client();
  h.transport->Script(Answer(201));
  auto call = ClientHarness::Spec(client, "create");
  call.body = Json{{"title", "台北"}};
  call.query = {{"q", "a b&c"}};
  (void)client.Call<Json>(call, &DecodeBody);
  ASSERT_EQ(h.transport->requests.size(), 1u);
  const HttpRequest& sent = h.transport->requests[0];
  EXPECT_EQ(sent.method, Method::kPost);
  EXPECT_EQ(sent.url, "http://svc/items?q=a%20b%26c");
  EXPECT_EQ(sent.body, R"({"title":"台北"})");
  EXPECT_EQ(sent.headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(sent.headers.Get("Accept"), "application/json");
}

// A body built from JSON goes with its value (HttpRequest::json), for the in-process mock to read
// instead of parsing: exactly what parsing the bytes gives, the bytes unchanged. A raw body, or a
// value whose bytes read back differently (NaN is written as null), carries none.
TEST(ServiceClient, AJsonBodyCarriesItsWireExactValue) {
  ClientHarness h;
  auto client = h.Client();
  h.transport->Script(Answer(201));
  h.transport->Script(Answer(201));
  h.transport->Script(Answer(201));
  auto call = ClientHarness::Spec(client, "create");
  call.body = Json{{"title", "台北"}, {"n", 7}, {"list", {1, -2, 2.5, nullptr}}};
  (void)client.Call<Json>(call, &DecodeBody);
  auto raw = ClientHarness::Spec(client, "create");
  raw.raw_body = R"({"title":"raw"})";
  (void)client.Call<Json>(raw, &DecodeBody);
  auto inexact = ClientHarness::Spec(client, "create");
  inexact.body = Json{{"title", "nan"}, {"x", std::numeric_limits<double>::quiet_NaN()}};
  (void)client.Call<Json>(inexact, &DecodeBody);
  ASSERT_EQ(h.transport->requests.size(), 3u);
  const HttpRequest& sent = h.transport->requests[0];
  EXPECT_EQ(sent.body, R"({"list":[1,-2,2.5,null],"n":7,"title":"台北"})");
  ASSERT_NE(sent.json, nullptr);
  auto reparsed = ParseJson(sent.body);
  ASSERT_TRUE(reparsed.ok());
  EXPECT_EQ(*sent.json, *reparsed);
  EXPECT_TRUE((*sent.json)["n"].is_number_unsigned());  // as the parser reads it
  EXPECT_EQ(DumpJson(*sent.json), sent.body);
  EXPECT_EQ(h.transport->requests[1].body, R"({"title":"raw"})");
  EXPECT_EQ(h.transport->requests[1].json, nullptr);
  EXPECT_EQ(h.transport->requests[2].body, R"({"title":"nan","x":null})");
  EXPECT_EQ(h.transport->requests[2].json, nullptr);
}

TEST(ServiceClient, FutureCancelWhileWaitingToRetryGivesCancelledOnce) {
  ClientHarness h;
  auto client = h.Client();
  h.transport->Script(Answer(503));
  auto future = client.Call<Json>(ClientHarness::Spec(client, "list"), &DecodeBody);
  int completions = 0;
  std::optional<Result<Json>> got;
  future.Then([&](Result<Json> r) {
    ++completions;
    got.emplace(std::move(r));
  });
  EXPECT_EQ(completions, 0);
  future.Cancel();
  EXPECT_EQ(completions, 1);
  ASSERT_TRUE(got);
  ASSERT_FALSE(got->ok());
  EXPECT_EQ(got->error().kind, ErrorKind::kCancelled);
  ASSERT_EQ(got->meta().attempts.size(), 1u);
  EXPECT_EQ(got->meta().attempts[0].status, 503);
  h.clock->Advance(seconds(60));
  EXPECT_EQ(completions, 1);
  EXPECT_EQ(h.transport->requests.size(), 1u);
}

TEST(ServiceClient, ErrorsCountEveryAttempt) {
  ClientHarness h;
  ClientOptions o;
  static_cast<PipelineOptions&>(o) = h.Options();
  o.retry.max_attempts = 3;
  ServiceClient client(TestSpec(), o);
  for (int i = 0; i < 3; ++i) h.transport->Script(Answer(503));
  auto future = client.Call<Json>(ClientHarness::Spec(client, "list"), &DecodeBody);
  h.clock->Advance(seconds(60));
  auto r = future.TryGet();
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().attempts, 3);
  EXPECT_EQ(r->meta().attempts.size(), 3u);
}

TEST(ServiceClient, ABaseUrlThatIsNotHttpIsRefusedWithoutSending) {
  for (std::string base :
       {"api.example.com", "ftp://files.example.com", "/relative", "http://", "mock"}) {
    ClientHarness h;
    ClientOptions o;
    static_cast<PipelineOptions&>(o) = h.Options();
    o.base_url = base;
    ServiceClient client(TestSpec(), o);
    ASSERT_TRUE(client.configuration_error()) << base;  // known at construction
    auto r = client.Call<Json>(ClientHarness::Spec(client, "list"), &DecodeBody).TryGet();
    ASSERT_TRUE(r) << base;
    ASSERT_FALSE(r->ok()) << base;
    const Error& e = r->error();
    EXPECT_EQ(e.kind, ErrorKind::kInvalidArgument) << base;
    EXPECT_TRUE(e.not_sent) << base;
    EXPECT_EQ(e.attempts, 0) << base;
    EXPECT_THAT(e.message, HasSubstr("not sent: the base URL \"" + base + "\""));
    EXPECT_THAT(e.message, HasSubstr("http:// or https://"));
    EXPECT_TRUE(h.transport->requests.empty()) << base;
  }
  for (std::string base :
       {"http://mock", "HTTPS://Example.com:8443/api/", "http://127.0.0.1:8080"}) {
    ClientHarness h;
    ClientOptions o;
    static_cast<PipelineOptions&>(o) = h.Options();
    o.base_url = base;
    ServiceClient client(TestSpec(), o);
    EXPECT_FALSE(client.configuration_error()) << base;
    auto r = client.Call<Json>(ClientHarness::Spec(client, "list"), &DecodeBody).TryGet();
    ASSERT_TRUE(r && r->ok()) << base;
  }
}

TEST(ServiceClient, ServiceFactsAreInTheMetaOfSuccessesAndErrors) {
  ClientHarness h;
  ClientOptions o;
  static_cast<PipelineOptions&>(o) = h.Options();
  o.retry.max_attempts = 1;
  ServiceClient client(EnvelopedSpec(), o);
  // The interpreter reports the envelope's facts in its Result's meta; the client keeps them.
  h.transport->Script(Answer(200, {}, R"({"code":200,"message":"tag #3 created","data":{}})"));
  auto ok = client.Call(ClientHarness::Spec(client, "list")).TryGet();
  ASSERT_TRUE(ok && ok->ok());
  EXPECT_EQ(ok->meta().service_code, "200");
  EXPECT_EQ(ok->meta().service_message, "tag #3 created");
  EXPECT_EQ(ok->meta().status, 200);
  // An error the service answered: the same facts as Error::code and message.
  h.transport->Script(Answer(404, {}, R"({"error":"no such item"})"));
  auto missing = client.Call(ClientHarness::Spec(client, "list")).TryGet();
  ASSERT_TRUE(missing && !missing->ok());
  EXPECT_EQ(missing->meta().service_code, "NOT_FOUND");
  EXPECT_EQ(missing->meta().service_code, missing->error().code);
  EXPECT_EQ(missing->meta().service_message, "no such item");
  // No answer, nothing said.
  h.transport->Script(Fail(ErrorKind::kConnection));
  auto down = client.Call(ClientHarness::Spec(client, "list")).TryGet();
  ASSERT_TRUE(down && !down->ok());
  EXPECT_EQ(down->meta().service_code, "");
  EXPECT_EQ(down->meta().service_message, "");
}

// The lifetime rule of client.hpp: a call owns what it needs, so its client may go first.
TEST(ServiceClient, AClientDestroyedBeforeTheAnswerStillDeliversIt) {
  ClientHarness h;
  Step late = Answer(200, {{"X-Request-Id", "late-rid"}}, R"({"items":[3]})");
  late.delay = Duration(5000);
  h.transport->Script(late);
  std::weak_ptr<ScriptedTransport> transport = h.transport;
  std::optional<Result<Json>> got;
  Future<Empty> done;
  {
    auto client = std::make_unique<ServiceClient>(h.Client());
    done = client->Call<Json>(ClientHarness::Spec(*client, "list"), &DecodeBody)
               .Then([&](Result<Json> r) { got.emplace(std::move(r)); });
    client.reset();       // the client goes before the answer...
    h.transport.reset();  // ...and so does the application's reference to the transport
  }
  EXPECT_FALSE(transport.expired());  // the pending call keeps the transport alive
  EXPECT_FALSE(got);
  h.clock->Advance(Duration(5000));
  ASSERT_TRUE(got);
  ASSERT_TRUE(got->ok());
  EXPECT_EQ((**got)["items"], Json({3}));
  EXPECT_EQ(got->meta().request_id, "late-rid");
  EXPECT_TRUE(done.ready());
  EXPECT_TRUE(transport.expired());  // released with the last call that used it
}

TEST(ServiceClient, CancelAtTheEndOfAChainCancelsTheCall) {
  ClientHarness h;
  auto client = h.Client();
  Step hold;
  hold.hold = true;
  h.transport->Script(hold);
  auto first = client.Call<Json>(ClientHarness::Spec(client, "list"), &DecodeBody);
  auto count = first.Then([](Result<Json> r) { return r->size(); });
  count.Cancel();
  auto r = count.TryGet();
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().kind, ErrorKind::kCancelled);  // through value(): the call's own error
  EXPECT_EQ(h.transport->requests.size(), 1u);
}

}  // namespace
}  // namespace restbox::core
