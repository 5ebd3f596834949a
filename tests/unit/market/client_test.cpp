// The consumer client against the in-process mock platform, on a manual clock: typed results,
// credits and balances, busy retries with backoff, client-side validation, the platform's checks,
// the plans' charges and the ledger, settings and state.
#include <gtest/gtest.h>

#include "restbox/core/clock.hpp"
#include "restbox/market/client.hpp"
#include "restbox/market/provider.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/transports/in_process_transport.hpp"

namespace restbox::market {
namespace {

using core::Json;

class MarketClient : public testing::Test {
 protected:
  MarketClient() {
    mock::MockOptions o;
    o.clock = clock_;
    server_ = mock::MakeMockServer(o);
    transports::InProcessOptions t;
    t.scheduler = clock_;
    transport_ = std::make_shared<transports::InProcessTransport>(server_, t);
    fix_ = server_->Fixtures()["market"];
  }

  ClientOptions Options(const std::string& key) const {
    ClientOptions o;
    o.transport = transport_;
    o.base_url = "http://mock";
    o.clock = clock_;
    o.scheduler = clock_;
    o.random = [] { return 0.5; };  // no jitter: backoff is exactly 250 ms, 500 ms, 1000 ms
    o.api_key = key;
    return o;
  }
  Client Consumer() const { return Client(Options(fix_["consumer_key"])); }

  // The result of a call that needs no waiting (the in-process mock answers at once).
  template <typename T>
  static core::Result<T> Done(core::Future<T> f) {
    auto r = f.TryGet();
    if (!r) return core::MakeError(core::ErrorKind::kTimeout, "not completed");
    return std::move(*r);
  }

  std::string Project() const { return fix_["project"]; }
  std::string Slug() const { return fix_["slug"]; }
  Json Params(const std::string& product_id = "123456") const {
    Json p = fix_["params"];
    p["productId"] = product_id;
    return p;
  }
  Json Setting(const std::string& name) const { return (*server_->Settings("market"))[name]; }
  double Balance(const std::string& consumer = "demo") const {
    return Setting("consumer." + consumer + ".balance").get<double>();
  }
  void Apply(const Json& patch) const {
    ASSERT_EQ(server_->ApplySettings("market", patch), std::nullopt);
  }
  Json State() const { return server_->State()["market"]; }
  Json Endpoint(const std::string& id) const {
    Json state = State();
    for (const auto& e : state["endpoints"]) {
      if (e["project"].get<std::string>() + "/" + e["slug"].get<std::string>() == id) return e;
    }
    return nullptr;
  }
  // A raw request straight to the mock (what any HTTP client could send).
  core::HttpResponse Raw(core::Method method, const std::string& url, std::string body,
                         core::Headers headers) const {
    return server_->Process({method, url, std::move(headers), std::move(body)}).response;
  }
  core::Headers Auth() const {
    return {{"Authorization", "Bearer " + fix_["consumer_key"].get<std::string>()}};
  }

  std::shared_ptr<core::ManualClock> clock_ = std::make_shared<core::ManualClock>();
  std::shared_ptr<mock::MockServer> server_;
  std::shared_ptr<transports::InProcessTransport> transport_;
  Json fix_;
};

void ExpectCode(const core::Result<CallResult>& r, const std::string& code) {
  ASSERT_FALSE(r.ok()) << Json(r.value()).dump();
  EXPECT_EQ(r.error().kind, core::ErrorKind::kService) << r.error().Describe();
  EXPECT_EQ(r.error().code, code) << r.error().Describe();
  EXPECT_EQ(r.error().http_status, 200) << r.error().Describe();
}

// ---- success and credits -----------------------------------------------------------------------

TEST_F(MarketClient, CallReturnsTheResultAndTheCreditsCharged) {
  auto client = Consumer();
  auto r = Done(client.Call(Project(), Slug(), Params()));
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(r->code, 0);
  EXPECT_EQ(r->credits, 0.001);
  EXPECT_EQ(r->result["productId"], "123456");
  EXPECT_EQ(r->result["bindId"], "123");
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(Balance(), 99.999);
  Json e = Endpoint("demo-shop/product-info");
  EXPECT_EQ(e["calls"], 1);
  EXPECT_EQ(e["successful_calls"], 1);
  EXPECT_EQ(e["credits_earned"], 0.001);
}

TEST_F(MarketClient, ThePlatformPassesOnlyCodeResultMsgAndCredits) {
  // The demo backend adds otherField1 and traceId, and answers its own HTTP statuses.
  auto ok =
      Raw(core::Method::kGet, "/market/demo-shop/product-info?bindId=1&productId=77", "", Auth());
  EXPECT_EQ(ok.status, 200);
  Json body = Json::parse(ok.body);
  EXPECT_EQ(body.size(), 3u) << ok.body;
  EXPECT_TRUE(body.contains("code") && body.contains("credits") && body.contains("result"));
  auto missing = Raw(core::Method::kGet, "/market/demo-shop/product-info?bindId=1&productId=404404",
                     "", Auth());
  EXPECT_EQ(missing.status, 200);  // the backend used 404; the platform does not pass it on
  EXPECT_EQ(Json::parse(missing.body),
            Json::parse(R"({"code":1002,"msg":"product 404404 does not exist"})"));
  // The hidden backend URL never reaches a consumer.
  auto broken = Raw(core::Method::kGet, "/market/demo-shop/product-info?bindId=1&productId=500500",
                    "", Auth());
  EXPECT_EQ(broken.body.find("internal"), std::string::npos) << broken.body;
  EXPECT_EQ(Json::parse(broken.body)["code"], 1000);
}

TEST_F(MarketClient, EveryPathToInternalError) {
  auto client = Consumer();
  struct Trigger {
    const char* role;
    const char* message;
  };
  for (const Trigger& t :
       {Trigger{"broken_product_id", "The provider's service failed to answer properly"},
        Trigger{"malformed_product_id", "The provider's service failed to answer properly"},
        Trigger{"failing_product_id", "product database unavailable"}}) {
    auto r = Done(client.Call(Project(), Slug(), Params(fix_[t.role])));
    ExpectCode(r, "1000");
    EXPECT_EQ(r.error().message, t.message) << t.role;
  }
  EXPECT_EQ(Balance(), 100);  // none of them is charged
  Json ledger = State()["ledger"];
  ASSERT_EQ(ledger.size(), 3u);
  EXPECT_EQ(ledger[0]["backend_status"], 502);
  EXPECT_EQ(ledger[0]["reason"], "not charged: backend answer outside the convention");
  EXPECT_EQ(ledger[2]["backend_status"], 500);
}

TEST_F(MarketClient, CallGetSendsParamsAsQuery) {
  auto client = Consumer();
  auto r = Done(client.CallGet(Project(), Slug(), Params("42")));
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(r->result["productId"], "42");
  auto journal = server_->Journal(1);
  ASSERT_EQ(journal.size(), 1u);
  EXPECT_EQ(journal[0].method, core::Method::kGet);
  EXPECT_NE(journal[0].url.find("bindId=123"), std::string::npos) << journal[0].url;
  EXPECT_NE(journal[0].url.find("productId=42"), std::string::npos) << journal[0].url;
  EXPECT_TRUE(journal[0].request_body.empty());
}

TEST_F(MarketClient, TheHttpStatusIsIgnoredTheCodeDecides) {
  mock::FaultRule fault;
  fault.status = 503;
  fault.times = 1;
  server_->AddFault(fault);
  auto client = Consumer();
  auto r = Done(client.Call(Project(), Slug(), Params()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, core::ErrorKind::kService);
  EXPECT_EQ(r.error().code, "1000");
  EXPECT_EQ(r.error().http_status, 503);
}

// ---- busy retries ------------------------------------------------------------------------------

TEST_F(MarketClient, BusyIsRetriedWithBackoffEvenForPost) {
  Apply({{"endpoint.demo-shop/product-info.busy_next", 2}});
  auto client = Consumer();
  auto future = client.Call(Project(), Slug(), Params());
  EXPECT_FALSE(future.ready());  // attempt 1 answered 1003; waiting 250 ms
  clock_->Advance(core::Duration(249));
  EXPECT_FALSE(future.ready());
  clock_->Advance(core::Duration(1));  // attempt 2: 1003 again; waiting 500 ms
  EXPECT_FALSE(future.ready());
  clock_->Advance(core::Duration(499));
  EXPECT_FALSE(future.ready());
  clock_->Advance(core::Duration(1));  // attempt 3: success
  auto r = Done(std::move(future));
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  ASSERT_EQ(r.meta().attempts.size(), 3u);
  EXPECT_EQ(r.meta().attempts[0].delay_before_next, core::Duration(250));
  EXPECT_EQ(r.meta().attempts[1].delay_before_next, core::Duration(500));
  EXPECT_EQ(Balance(), 99.999);  // busy answers are not charged
  Json e = Endpoint("demo-shop/product-info");
  EXPECT_EQ(e["calls"], 3);
  EXPECT_EQ(e["successful_calls"], 1);
}

TEST_F(MarketClient, BusyGivesUpAfterMaxAttempts) {
  auto client = Consumer();
  auto future = client.Call(Project(), Slug(), Params(fix_["busy_product_id"]));
  clock_->Advance(core::Duration(250 + 500 + 1000));
  auto r = Done(std::move(future));
  ExpectCode(r, "1003");
  EXPECT_EQ(r.meta().attempts.size(), 4u);
  EXPECT_EQ(r.error().message, "inventory service is busy, retry later");
}

TEST_F(MarketClient, BusyRetryCanBeSwitchedOff) {
  auto o = Options(fix_["consumer_key"]);
  o.retry_busy = false;
  Client client(o);
  auto r = Done(client.Call(Project(), Slug(), Params(fix_["busy_product_id"])));
  ExpectCode(r, "1003");
  EXPECT_EQ(r.meta().attempts.size(), 1u);
}

TEST_F(MarketClient, OtherCodesAreFinal) {
  auto client = Consumer();
  for (const std::string& id : {fix_["not_found_product_id"].get<std::string>(),
                                fix_["broken_product_id"].get<std::string>()}) {
    auto r = Done(client.Call(Project(), Slug(), Params(id)));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.meta().attempts.size(), 1u) << id;
  }
}

// ---- client-side validation --------------------------------------------------------------------

TEST_F(MarketClient, ClientValidationGivesThePlatformsError) {
  auto o = Options(fix_["consumer_key"]);
  o.schemas["demo-shop/product-info"] = fix_["params_schema"].get<ParamsSchema>();
  Client checked(o);
  Json params = Params();
  params.erase("bindId");
  auto local = Done(checked.Call(Project(), Slug(), params));
  ASSERT_FALSE(local.ok());
  EXPECT_EQ(local.error().kind, core::ErrorKind::kClientValidation);
  EXPECT_TRUE(server_->Journal().empty());  // never sent

  o.client_validation = false;
  Client unchecked(o);
  auto remote = Done(unchecked.Call(Project(), Slug(), params));
  ExpectCode(remote, "1001");
  EXPECT_EQ(local.error().code, remote.error().code);
  EXPECT_EQ(local.error().message, "not sent: " + remote.error().message);
  EXPECT_TRUE(local.error().not_sent);
  EXPECT_EQ(local.error().details, remote.error().details);
  EXPECT_EQ(remote.error().message, "Missing required parameter: bindId");
  EXPECT_EQ(remote.error().details, (std::vector<core::FieldError>{{"bindId", "is required"}}));

  // The GET variant is checked the same way, and a complete call passes.
  auto get = Done(checked.CallGet(Project(), Slug(), Json{{"productId", "1"}}));
  ASSERT_FALSE(get.ok());
  EXPECT_EQ(get.error().kind, core::ErrorKind::kClientValidation);
  EXPECT_TRUE(Done(checked.CallGet(Project(), Slug(), Params())).ok());
}

// ---- the platform's checks ---------------------------------------------------------------------

TEST_F(MarketClient, PlatformChecksPresenceTheProviderChecksTypes) {
  auto client = Consumer();
  auto r = Done(client.Call(Project(), Slug(), Json{{"bindId", 123}, {"productId", "1"}}));
  ExpectCode(r, "1001");
  EXPECT_EQ(r.error().message, "Invalid parameters: bindId must be a string");
  auto letters = Done(client.Call(Project(), Slug(), Params("abc")));
  ExpectCode(letters, "1001");
  EXPECT_EQ(letters.error().message, "productId must be numeric");
  EXPECT_EQ(Balance(), 100);
}

TEST_F(MarketClient, KeysAndProjectVisibility) {
  auto client = Consumer();
  ExpectCode(Done(client.Call(fix_["private_project"], fix_["private_slug"], Json::object())),
             "1004");
  Apply({{"project.internal-tools.public", true}});
  auto open = Done(client.Call(fix_["private_project"], fix_["private_slug"], Json::object()));
  ASSERT_TRUE(open.ok()) << open.error().Describe();
  EXPECT_EQ(open->credits, 0.002);

  const std::string disabled = fix_["disabled_key"];
  Client disabled_client(Options(disabled));
  auto refused = Done(disabled_client.Call(Project(), Slug(), Params()));
  ExpectCode(refused, "1004");
  EXPECT_EQ(refused.error().message.find(disabled), std::string::npos);
  ExpectCode(Done(Client(Options("")).Call(Project(), Slug(), Params())), "1004");
  auto raw = Raw(core::Method::kPost, "/market/demo-shop/product-info", "{}",
                 {{"Authorization", "Basic abc"}});
  EXPECT_EQ(Json::parse(raw.body)["code"], 1004);
}

TEST_F(MarketClient, MissingAndOfflineEndpoints) {
  auto client = Consumer();
  ExpectCode(Done(client.Call(Project(), "no-such-slug", Params())), "1002");
  ExpectCode(Done(client.Call("no-such-project", Slug(), Params())), "1002");
  auto offline = Done(client.Call(Project(), fix_["offline_slug"], Params()));
  ExpectCode(offline, "1002");
  EXPECT_EQ(offline.error().message, "Endpoint demo-shop/product-legacy is offline");
  Apply({{"endpoint.demo-shop/product-legacy.online", true}});
  EXPECT_TRUE(Done(client.Call(Project(), fix_["offline_slug"], Params())).ok());
  Apply({{"project.demo-shop.online", false}});
  ExpectCode(Done(client.Call(Project(), Slug(), Params())), "1002");
}

TEST_F(MarketClient, BalanceBelowThePrice) {
  Client low(Options(fix_["low_balance_key"]));
  auto r = Done(low.Call(Project(), Slug(), Params()));
  ExpectCode(r, "1005");
  EXPECT_EQ(r.error().message,
            "Balance insufficient: the call needs 0.001 credits, the balance is 0.0005");
  Apply({{"consumer.low.balance", 0.001}});
  auto paid = Done(low.Call(Project(), Slug(), Params()));
  ASSERT_TRUE(paid.ok());
  EXPECT_EQ(Balance("low"), 0);
  ExpectCode(Done(low.Call(Project(), Slug(), Params())), "1005");
  Client empty(Options(fix_["empty_balance_key"]));
  ExpectCode(Done(empty.CallGet(Project(), Slug(), Params())), "1005");
}

// ---- plans -------------------------------------------------------------------------------------

TEST_F(MarketClient, DynamicPlanChargesCreditsDeductCapped) {
  auto client = Consumer();
  const std::string slug = fix_["dynamic_slug"];
  auto three = Done(client.Call(Project(), slug, fix_["dynamic_params"]));
  ASSERT_TRUE(three.ok()) << three.error().Describe();
  EXPECT_EQ(three->credits, 0.03);
  auto thirty = Done(client.Call(Project(), slug, Json{{"city", "Tokyo"}, {"days", 30}}));
  ASSERT_TRUE(thirty.ok());
  EXPECT_EQ(thirty->credits, 0.2);  // 0.3 asked, capped
  auto cached = Done(client.Call(Project(), slug, Json{{"city", "Tokyo"}, {"cached", true}}));
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(cached->credits, 0);  // no creditsDeduct: no charge
  EXPECT_EQ(Balance(), RoundCredits(100 - 0.03 - 0.2));
  // The default of days (1) is applied by the provider.
  auto one = Done(client.Call(Project(), slug, Json{{"city", "Paris"}}));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->credits, 0.01);
  EXPECT_EQ(one->result["forecast"].size(), 1u);
}

TEST_F(MarketClient, ForceDeductChargesAFailedCall) {
  auto client = Consumer();
  auto r = Done(client.Call(Project(), fix_["dynamic_slug"], Json{{"city", "Atlantis"}}));
  ExpectCode(r, "1002");
  // The charge of a failed call travels in the answer's body.
  auto body = ReadCallResult(r.error().raw_body);
  ASSERT_TRUE(body);
  EXPECT_EQ(body->credits, 0.005);
  EXPECT_EQ(Balance(), 99.995);
  Json e = Endpoint("demo-shop/weather-forecast");
  EXPECT_EQ(e["successful_calls"], 1);  // counted on the same rule as charging
  Json last = State()["ledger"].back();
  EXPECT_EQ(last["forceDeduct"], true);
  EXPECT_EQ(last["charged"], 0.005);
  EXPECT_EQ(last["code"], 1002);
}

TEST_F(MarketClient, DynamicPlanNeedsTheCapAsBalanceAndNoGet) {
  Client low(Options(fix_["low_balance_key"]));
  Apply({{"consumer.low.balance", 0.19}});
  ExpectCode(Done(low.Call(Project(), fix_["dynamic_slug"], fix_["dynamic_params"])), "1005");
  auto client = Consumer();
  auto get = Done(client.CallGet(Project(), fix_["dynamic_slug"], fix_["dynamic_params"]));
  ExpectCode(get, "1001");
  EXPECT_EQ(
      get.error().message,
      "Endpoint demo-shop/weather-forecast has a Json Schema: call it with POST and a JSON body");
}

TEST_F(MarketClient, TieredPlanCountsPerDayAndEndsInAFlatFee) {
  auto client = Consumer();
  const std::string slug = fix_["tiered_slug"];
  std::vector<double> charged;
  for (int i = 0; i < 7; ++i) {
    if (i == 2) {
      // A failed call (the provider refuses the ip) is not counted and does not move the band.
      ExpectCode(Done(client.CallGet(Project(), slug, Json{{"ip", "not-an-ip"}})), "1001");
    }
    auto r = Done(client.CallGet(Project(), slug, fix_["tiered_params"]));
    ASSERT_TRUE(r.ok()) << r.error().Describe();
    charged.push_back(*r->credits);
  }
  EXPECT_EQ(charged, (std::vector<double>{0.01, 0.01, 0.01, 0.005, 0.005, 0, 0}));
  EXPECT_EQ(Balance(), 99.96);
  // A new UTC day starts the bands again.
  clock_->Advance(std::chrono::hours(24));
  auto next_day = Done(client.CallGet(Project(), slug, fix_["tiered_params"]));
  ASSERT_TRUE(next_day.ok());
  EXPECT_EQ(next_day->credits, 0.01);
}

// ---- forced codes, settings, state, bad input --------------------------------------------------

TEST_F(MarketClient, PreferForcesACodeAndBusyIsStillRetried) {
  auto client = Consumer();
  RequestOptions forced;
  forced.headers.Set("Prefer", "code=1005");
  ExpectCode(Done(client.Call(Project(), Slug(), Params(), forced)), "1005");
  forced.headers.Set("Prefer", "code=1003");
  auto future = client.Call(Project(), Slug(), Params(), forced);
  clock_->Advance(core::Duration(250 + 500 + 1000));
  auto r = Done(std::move(future));
  ExpectCode(r, "1003");
  EXPECT_EQ(r.meta().attempts.size(), 4u);
}

TEST_F(MarketClient, SettingsPatchesAreAllOrNothing) {
  EXPECT_TRUE(
      server_->ApplySettings("market", {{"project.demo-shop.public", false}, {"no.such", true}}));
  EXPECT_TRUE(server_->ApplySettings(
      "market", {{"project.demo-shop.public", false}, {"consumer.demo.balance", -1}}));
  EXPECT_TRUE(
      server_->ApplySettings("market", {{"endpoint.demo-shop/product-info.busy_next", 1.5}}));
  EXPECT_TRUE(server_->ApplySettings("market", {{"consumer.demo.enabled", "no"}}));
  EXPECT_TRUE(server_->ApplySettings("market", Json::array()));
  EXPECT_EQ(Setting("project.demo-shop.public"), true);
  EXPECT_EQ(Balance(), 100);
  Apply({{"consumer.demo.balance", 5}, {"consumer.demo.enabled", false}});
  EXPECT_EQ(Balance(), 5);
  EXPECT_EQ(Setting("consumer.demo.enabled"), false);
}

TEST_F(MarketClient, LedgerIsBrowsableAndKeysStayMasked) {
  auto client = Consumer();
  ASSERT_TRUE(Done(client.Call(Project(), Slug(), Params())).ok());
  ASSERT_FALSE(Done(client.Call(Project(), Slug(), Params(fix_["not_found_product_id"]))).ok());
  Json ledger = State()["ledger"];
  ASSERT_EQ(ledger.size(), 2u);
  EXPECT_EQ(ledger[0]["consumer"], "demo");
  EXPECT_EQ(ledger[0]["endpoint"], "demo-shop/product-info");
  EXPECT_EQ(ledger[0]["charged"], 0.001);
  EXPECT_EQ(ledger[0]["balance_after"], 99.999);
  EXPECT_EQ(ledger[1]["charged"], 0);
  EXPECT_EQ(ledger[1]["counted"], false);
  std::string dump = server_->State().dump();
  for (const char* role : {"consumer_key", "empty_balance_key", "low_balance_key", "disabled_key"})
    EXPECT_EQ(dump.find(fix_[role].get<std::string>()), std::string::npos) << role;
  auto journal = server_->Journal(1);
  EXPECT_EQ(journal[0]
                .request_headers.Get("Authorization")
                ->find(fix_["consumer_key"].get<std::string>()),
            std::string::npos);
}

TEST_F(MarketClient, StateSurvivesARestart) {
  auto client = Consumer();
  const std::string slug = fix_["tiered_slug"];
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(Done(client.CallGet(Project(), slug, fix_["tiered_params"])).ok());
  Apply({{"project.internal-tools.public", true}, {"consumer.low.enabled", false}});
  Json saved = server_->State();

  mock::MockOptions o;
  o.clock = clock_;
  auto restarted = mock::MakeMockServer(o);
  ASSERT_EQ(restarted->LoadState(saved), std::nullopt);
  Json state = restarted->State()["market"];
  EXPECT_EQ(state["ledger"], saved["market"]["ledger"]);
  EXPECT_EQ(state["settings"], saved["market"]["settings"]);
  EXPECT_EQ(state["daily_counts"], saved["market"]["daily_counts"]);
  // The day's count carries on: the 4th call is in the second band.
  transports::InProcessOptions t;
  t.scheduler = clock_;
  auto o2 = Options(fix_["consumer_key"]);
  o2.transport = std::make_shared<transports::InProcessTransport>(restarted, t);
  Client again(o2);
  auto fourth = Done(again.CallGet(Project(), slug, fix_["tiered_params"]));
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(fourth->credits, 0.005);
  EXPECT_EQ((*restarted->Settings("market"))["consumer.demo.balance"],
            RoundCredits(100 - 0.03 - 0.005));

  // A bad state changes nothing.
  Json bad = saved;
  bad["market"]["settings"]["consumer.demo.balance"] = "lots";
  EXPECT_TRUE(restarted->LoadState(bad));
  EXPECT_TRUE(restarted->LoadState(Json::parse(R"({"market": {"ledger": 5}})")));
  EXPECT_TRUE(restarted->LoadState(
      Json::parse(R"({"market": {"endpoints": [{"project": "x", "slug": "y"}]}})")));
  EXPECT_EQ((*restarted->Settings("market"))["consumer.demo.balance"],
            RoundCredits(100 - 0.03 - 0.005));
}

TEST_F(MarketClient, ResetRestoresTheFixtures) {
  auto client = Consumer();
  ASSERT_TRUE(Done(client.Call(Project(), Slug(), Params())).ok());
  Apply({{"project.demo-shop.public", false}});
  server_->Reset();
  EXPECT_EQ(Balance(), 100);
  EXPECT_EQ(Setting("project.demo-shop.public"), true);
  EXPECT_TRUE(State()["ledger"].empty());
  EXPECT_EQ(server_->Fixtures()["market"], fix_);
}

TEST_F(MarketClient, BadInputGetsADocumentedCode) {
  struct Bad {
    core::Method method;
    std::string url;
    std::string body;
    core::Headers headers;
    int status;
    int code;
  };
  core::Headers auth = Auth();
  core::Headers weird = {{"Authorization", std::string("Bearer \xff\xfe\x00", 10)},
                         {"Prefer", "code=abc"}};
  const std::vector<Bad> cases = {
      {core::Method::kPost, "/market/demo-shop/product-info", "{not json", auth, 200, 1001},
      {core::Method::kPost, "/market/demo-shop/product-info", "[1,2,3]", auth, 200, 1001},
      {core::Method::kPost, "/market/demo-shop/product-info", "\"text\"", auth, 200, 1001},
      {core::Method::kPost, "/market/demo-shop/product-info", std::string("\x00\x01\xff", 3), auth,
       200, 1001},
      {core::Method::kPost, "/market/demo-shop/product-info", "   ", auth, 200,
       1001},  // blank: no params
      {core::Method::kGet, "/market/demo-shop/product-info?bindId=%ff%fe&productId=%00", "", auth,
       200, 1001},
      {core::Method::kGet, "/market/%2e%2e/%2f?x", "", auth, 200, 1002},
      {core::Method::kGet, "/market/demo-shop", "", auth, 404, 1002},
      {core::Method::kPut, "/market/demo-shop/product-info", "{}", auth, 405, 1002},
      {core::Method::kGet,
       "/market/demo-shop/product-info",
       "",
       {{"Authorization", "Bearer "}},
       200,
       1004},
      {core::Method::kGet,
       "/market/demo-shop/product-info",
       "",
       {{"Authorization", std::string(100000, 'B')}},
       200,
       1004},
  };
  for (const auto& c : cases) {
    auto r = Raw(c.method, c.url, c.body, c.headers);
    EXPECT_EQ(r.status, c.status) << c.url << " " << c.body;
    auto parsed = ReadCallResult(r.body);
    ASSERT_TRUE(parsed) << r.body;
    EXPECT_EQ(parsed->code, c.code) << c.url << " " << r.body;
  }
  // A malformed Prefer is the mock's own 400; an odd key is just unknown.
  auto prefer = Raw(core::Method::kGet, "/market/demo-shop/product-info", "", weird);
  EXPECT_EQ(prefer.status, 400);
}

TEST_F(MarketClient, ErrorResponseForAnyStatus) {
  mock::ServiceModule* module = server_->FindService("market");
  ASSERT_NE(module, nullptr);
  struct Row {
    int status;
    std::string code;
    int expected;
  };
  for (const auto& row : std::vector<Row>{{200, "1003", 1003},
                                          {200, "1005", 1005},
                                          {500, "", 1000},
                                          {502, "", 1000},
                                          {404, "NOT_FOUND", 1002},
                                          {429, "", 1003},
                                          {401, "", 1004},
                                          {400, "", 1001},
                                          {200, "0", 1000}}) {
    auto r = module->ErrorResponse(row.status, row.code, "why");
    EXPECT_EQ(r.status, row.status);
    auto parsed = ReadCallResult(r.body);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->code, row.expected) << row.status << " " << row.code;
    EXPECT_EQ(parsed->msg, "why");
  }
}

TEST_F(MarketClient, FixturesHoldTheContractRoles) {
  for (const char* role : {"project", "slug", "consumer_key", "empty_balance_key", "params",
                           "not_found_product_id", "busy_product_id"}) {
    EXPECT_TRUE(fix_.contains(role)) << role;
  }
  EXPECT_EQ(fix_["params"], Json({{"bindId", "123"}, {"productId", "123456"}}));
  auto schema = fix_["params_schema"].get<ParamsSchema>();
  ASSERT_EQ(schema.size(), 2u);
  EXPECT_EQ(schema[0].name, "bindId");
  EXPECT_TRUE(schema[0].required);
  EXPECT_EQ(schema[1].name, "productId");
  EXPECT_EQ(schema[1].type, ParamType::kString);
}

// ---- one result shape: the platform's code and msg in meta() ------------------------------------

TEST_F(MarketClient, ThePlatformsCodeAndMsgAreInMeta) {
  auto client = Consumer();
  auto ok = Done(client.Call(Project(), Slug(), Params()));
  ASSERT_TRUE(ok.ok()) << ok.error();
  EXPECT_EQ(ok.meta().service_code, "0");
  EXPECT_EQ(ok.meta().service_message, "");
  auto missing = Done(client.Call(Project(), Slug(), Params(fix_["not_found_product_id"])));
  ExpectCode(missing, "1002");
  EXPECT_EQ(missing.meta().service_code, "1002");
  EXPECT_EQ(missing.meta().service_message, "product 404404 does not exist");
  EXPECT_EQ(missing.meta().service_code, missing.error().code);
}

TEST_F(MarketClient, AChainedCallCanBeWaitedFor) {
  auto client = Consumer();
  std::string printed;
  auto done = client.Call(Project(), Slug(), Params())
                  .Then([](core::Result<CallResult> r) { return r->result["productId"]; })
                  .Then([&](core::Result<Json> id) { printed = id.ok() ? id->dump() : "error"; });
#ifndef __EMSCRIPTEN__
  done.Wait();
#endif
  EXPECT_TRUE(done.ready());
  EXPECT_EQ(printed, "\"123456\"");
}

}  // namespace
}  // namespace restbox::market
