// The typed market client and the generic DynamicClient (behind the JavaScript API and the
// console) share one call path, core::ServiceClient::Call: the same busy retries, the same
// Retry-After in the error, the same client-side refusal. Each test runs the same exchange through
// both clients.
#include <gtest/gtest.h>

#include "restbox/core/clock.hpp"
#include "restbox/market/client.hpp"
#include "restbox/market/provider.hpp"
#include "restbox/services/dynamic_client.hpp"
#include "scripted_transport.hpp"

namespace restbox::market {
namespace {

using core::Json;

using restbox::testing::ScriptedTransport;

constexpr char kKey[] = "mk_consumer_key_0001";

core::HttpResponse Answer(std::string body, core::Headers headers = {}) {
  core::HttpResponse r;
  r.status = 200;  // the platform's convention: the body's code decides
  r.headers = std::move(headers);
  r.headers.Set("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

class MarketOneCallPath : public ::testing::Test {
 protected:
  template <typename Options>
  Options Base(int max_attempts) const {
    Options o;
    o.transport = transport_;
    o.base_url = "http://market.test";
    o.clock = clock_;
    o.scheduler = clock_;
    o.random = [] { return 0.5; };  // no jitter: the backoff is exactly 250 ms, 500 ms...
    o.retry.max_attempts = max_attempts;
    return o;
  }
  Client Typed(int max_attempts = 4) const {
    auto o = Base<ClientOptions>(max_attempts);
    o.api_key = kKey;
    return Client(o);
  }
  std::unique_ptr<services::DynamicClient> Generic(int max_attempts = 4) const {
    auto o = Base<services::DynamicClientOptions>(max_attempts);
    o.credentials.key = kKey;
    return services::DynamicClient::ForService("market", o);
  }
  static services::DynamicRequest Request(const services::DynamicClient& client,
                                          const Json& params) {
    return services::DynamicRequest::FromParams(*client.spec().Find(kCall), params);
  }

  std::shared_ptr<core::ManualClock> clock_ = std::make_shared<core::ManualClock>();
  std::shared_ptr<ScriptedTransport> transport_ = std::make_shared<ScriptedTransport>();
};

const Json kParams = {{"productId", "123456"}};
const Json kGenericParams = {
    {"project", "demo-shop"}, {"slug", "product-info"}, {"productId", "123456"}};

TEST_F(MarketOneCallPath, Code1003IsRetriedByTheTypedAndTheGenericClientAlike) {
  const std::string busy = R"({"code":1003,"msg":"busy, not processed"})";
  const std::string ok = R"({"code":0,"msg":"ok","result":{"price":12}})";

  transport_->answers = {Answer(busy), Answer(ok)};
  auto typed = Typed().Call("demo-shop", "product-info", kParams);
  EXPECT_FALSE(typed.ready());  // attempt 1 answered 1003: waiting 250 ms
  clock_->Advance(core::Duration(250));
  auto t = typed.TryGet();
  ASSERT_TRUE(t.has_value());
  ASSERT_TRUE(t->ok()) << t->error().Describe();
  EXPECT_EQ(t->meta().attempts.size(), 2u);
  EXPECT_EQ(t->meta().service_code, "0");
  EXPECT_EQ(t->value().result["price"], 12);

  transport_->answers = {Answer(busy), Answer(ok)};
  auto generic_client = Generic();
  auto generic = generic_client->Call(kCall, Request(*generic_client, kGenericParams));
  EXPECT_FALSE(generic.ready());  // the same wait
  clock_->Advance(core::Duration(250));
  auto g = generic.TryGet();
  ASSERT_TRUE(g.has_value());
  ASSERT_TRUE(g->ok()) << g->error().Describe();
  EXPECT_EQ(g->meta().attempts.size(), 2u);
  EXPECT_EQ(g->meta().service_code, "0");
  EXPECT_EQ(g->value()["result"]["price"], 12);

  ASSERT_EQ(transport_->requests.size(), 4u);
  // One credential rule: both clients sent the same Authorization header.
  EXPECT_EQ(transport_->requests[0].headers.Get("Authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(transport_->requests[2].headers.Get("Authorization"), std::string("Bearer ") + kKey);
}

TEST_F(MarketOneCallPath, AnHttpDateRetryAfterReachesTheErrorOfBothClients) {
  const std::string in_90_s = core::FormatHttpDate(clock_->Now() + std::chrono::seconds(90));
  const auto busy = [&] {
    return Answer(R"({"code":1003,"msg":"busy"})", {{"Retry-After", in_90_s}});
  };

  transport_->answers = {busy()};
  auto t = Typed(/*max_attempts=*/1).Call("demo-shop", "product-info", kParams).TryGet();
  ASSERT_TRUE(t.has_value());
  ASSERT_FALSE(t->ok());
  EXPECT_EQ(t->error().code, "1003");
  EXPECT_EQ(t->error().retry_after, std::chrono::seconds(90)) << in_90_s;
  ASSERT_EQ(t->meta().attempts.size(), 1u);
  EXPECT_EQ(t->meta().attempts[0].retry_after, std::chrono::seconds(90));

  transport_->answers = {busy()};
  auto generic_client = Generic(/*max_attempts=*/1);
  auto g = generic_client->Call(kCall, Request(*generic_client, kGenericParams)).TryGet();
  ASSERT_TRUE(g.has_value());
  ASSERT_FALSE(g->ok());
  EXPECT_EQ(g->error().code, "1003");
  EXPECT_EQ(g->error().retry_after, std::chrono::seconds(90)) << in_90_s;
}

// The pre-send check is the service's: the generic client refuses with the platform's 1001 (code,
// msg, details) as the typed client does, not with a generic "Validation failed".
TEST_F(MarketOneCallPath, TheGenericClientRefusesWithTheTypedClientsError) {
  auto generic_client = Generic();
  Json no_slug = kGenericParams;
  no_slug.erase("slug");
  auto g = generic_client->Call(kCall, Request(*generic_client, no_slug)).TryGet();
  ASSERT_TRUE(g.has_value());
  ASSERT_FALSE(g->ok());
  const core::Error& e = g->error();
  EXPECT_EQ(e.kind, core::ErrorKind::kClientValidation);
  EXPECT_EQ(e.code, "1001");
  ASSERT_EQ(e.details.size(), 1u);
  EXPECT_EQ(e.details[0].field, "slug");
  EXPECT_NE(e.message.find(ParamsErrorMessage(e.details)), std::string::npos) << e.message;
  EXPECT_TRUE(e.not_sent);

  // The typed client's refusal of a missing required param has the same shape.
  auto typed = Typed();
  typed.SetSchema("demo-shop", "product-info", {ParamSpec{.name = "productId", .required = true}});
  auto t = typed.Call("demo-shop", "product-info", Json::object()).TryGet();
  ASSERT_TRUE(t.has_value());
  ASSERT_FALSE(t->ok());
  EXPECT_EQ(t->error().kind, e.kind);
  EXPECT_EQ(t->error().code, e.code);
  EXPECT_NE(t->error().message.find(ParamsErrorMessage(t->error().details)), std::string::npos);
  EXPECT_TRUE(transport_->requests.empty());
}

}  // namespace
}  // namespace restbox::market
