// Realistic triggers for every documented row of market (API-CONTRACT section 4). Both variants
// of the consumer route (POST "call", GET "call_get") reach every code from a realistic request.
#include "restbox/market/client.hpp"
#include "sweep.hpp"

namespace restbox::contract {
namespace {

using core::Json;
using market::Client;

struct Ctx {
  Env& env;
  const Json& fix;
  explicit Ctx(Env& e) : env(e), fix(e.Fix("market")) {}
  Client MakeClient(const std::string& key) const {
    market::ClientOptions o;
    static_cast<core::ClientOptions&>(o) = env.Options();
    o.api_key = key;
    return Client(o);
  }
  Client Consumer() const { return MakeClient(fix.at("consumer_key")); }
  std::string Project() const { return fix.at("project"); }
  std::string Slug() const { return fix.at("slug"); }
  Json Params() const { return fix.at("params"); }
  Json ParamsFor(const std::string& product_id) const {
    Json p = Params();
    p["productId"] = product_id;
    return p;
  }
  market::RequestOptions Req() const {
    market::RequestOptions r;
    r.headers = env.extra;
    return r;
  }
  // One call of the endpoint variant under test.
  Task<Outcome> Run(const std::string& endpoint, Client& client, const std::string& project,
                    const std::string& slug, const Json& params) const {
    return endpoint == market::kCall ? ToOutcome(client.Call(project, slug, params, Req()))
                                     : ToOutcome(client.CallGet(project, slug, params, Req()));
  }
};

}  // namespace

// Listed in the generated all_cases.cpp (mock-server/contract/CMakeLists.txt).
std::vector<Case> MarketCases() {
  std::vector<Case> cases;
  auto add = [&](const std::string& ep, int status, std::string code, std::string trigger,
                 const std::function<Task<Outcome>(Ctx&)>& fn) {
    cases.push_back({"market", ep, status, std::move(code), std::move(trigger),
                     [fn](Env& env) -> Task<Outcome> {
                       Ctx c(env);  // lives in this coroutine's frame while fn's task runs
                       co_return co_await fn(c);
                     }});
  };

  for (const std::string& ep : {std::string(market::kCall), std::string(market::kCallGet)}) {
    add(ep, 200, "", "the demo endpoint with the seed's params and a funded key", [ep](Ctx& c) {
      auto client = c.Consumer();
      return c.Run(ep, client, c.Project(), c.Slug(), c.Params());
    });
    add(ep, 200, "1000", "the provider's backend answers an HTML 502 page (not JSON)",
        [ep](Ctx& c) {
          auto client = c.Consumer();
          return c.Run(ep, client, c.Project(), c.Slug(),
                       c.ParamsFor(c.fix.at("broken_product_id")));
        });
    add(ep, 200, "1001", "required param productId missing (platform check)", [ep](Ctx& c) {
      auto client = c.Consumer();
      Json params = c.Params();
      params.erase("productId");
      return c.Run(ep, client, c.Project(), c.Slug(), params);
    });
    add(ep, 200, "1002", "the provider does not know not_found_product_id", [ep](Ctx& c) {
      auto client = c.Consumer();
      return c.Run(ep, client, c.Project(), c.Slug(),
                   c.ParamsFor(c.fix.at("not_found_product_id")));
    });
    add(ep, 200, "1003", "the provider is busy for busy_product_id", [ep](Ctx& c) {
      auto client = c.Consumer();
      return c.Run(ep, client, c.Project(), c.Slug(), c.ParamsFor(c.fix.at("busy_product_id")));
    });
    if (ep == market::kCall) {
      add(ep, 200, "1004", "a key the platform does not know", [ep](Ctx& c) {
        auto client = c.MakeClient("mkt_live_not_a_real_key_000000");
        return c.Run(ep, client, c.Project(), c.Slug(), c.Params());
      });
    } else {
      add(ep, 200, "1004", "a valid key on a project that is not Public", [ep](Ctx& c) {
        auto client = c.Consumer();
        return c.Run(ep, client, c.fix.at("private_project"), c.fix.at("private_slug"),
                     Json::object());
      });
    }
    add(ep, 200, "1005", "empty_balance_key (balance 0 < price 0.001)", [ep](Ctx& c) {
      auto client = c.MakeClient(c.fix.at("empty_balance_key"));
      return c.Run(ep, client, c.Project(), c.Slug(), c.Params());
    });
  }
  return cases;
}

}  // namespace restbox::contract
