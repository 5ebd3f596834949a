// Realistic triggers for every documented row of chikage (API-CONTRACT section 1).
#include "restbox/chikage/client.hpp"
#include "sweep.hpp"

namespace restbox::contract {
namespace {

using chikage::Client;
using core::Json;

struct Ctx {
  Env& env;
  const Json& fix;
  explicit Ctx(Env& e) : env(e), fix(e.Fix("chikage")) {}
  Client MakeClient(const std::string& key) const {
    chikage::ClientOptions o;
    static_cast<core::ClientOptions&>(o) = env.Options();
    o.api_key = key;
    return Client(o);
  }
  Client Test() const { return MakeClient(fix.at("test_key")); }
  std::string Slug() const { return fix.at("slug"); }
  std::string Record() const { return fix.at("test_record_id"); }
  chikage::WriteOptions Write() const {
    chikage::WriteOptions w;
    w.headers = env.extra;
    return w;
  }
  chikage::RequestOptions Req() const {
    chikage::RequestOptions r;
    r.headers = env.extra;
    return r;
  }
};

Json Order() {
  return {{"order_id", "ORD-2024-001"}, {"amount", 45000}, {"items", {"Item A"}}, {"paid", true}};
}

// A row for each of the endpoint's methods whose trigger is "the key" or "the endpoint".
using Call = std::function<Task<Outcome>(Ctx&, Client&, const std::string& slug)>;

Task<Outcome> CallEndpoint(const std::string& endpoint, Ctx& c, Client& client,
                           const std::string& slug, const std::string& record) {
  if (endpoint == "create") return ToOutcome(client.Create(slug, Order(), c.Write()));
  if (endpoint == "get") return ToOutcome(client.Get(slug, record, c.Req()));
  if (endpoint == "replace") return ToOutcome(client.Replace(slug, record, Order(), c.Write()));
  return ToOutcome(client.Delete(slug, record, c.Write()));
}

}  // namespace

// Listed in the generated all_cases.cpp (mock-server/contract/CMakeLists.txt).
std::vector<Case> ChikageCases() {
  std::vector<Case> cases;
  const std::vector<std::string> all = {"create", "get", "replace", "delete"};
  const std::vector<std::string> with_body = {"create", "replace"};
  auto add = [&](const std::string& ep, int status, std::string trigger,
                 const std::function<Task<Outcome>(Ctx&)>& fn) {
    cases.push_back(
        {"chikage", ep, status, "", std::move(trigger), [fn](Env& env) -> Task<Outcome> {
           Ctx c(env);  // lives in this coroutine's frame while fn's task runs
           co_return co_await fn(c);
         }});
  };

  for (const auto& ep : all) {
    int ok = ep == "get" ? 200 : 202;
    add(ep, ok, "valid request with the test key", [ep](Ctx& c) {
      auto client = c.Test();
      return CallEndpoint(ep, c, client, c.Slug(), c.Record());
    });
    add(ep, 401, "disabled key", [ep](Ctx& c) {
      auto client = c.MakeClient(c.fix.at("disabled_key"));
      return CallEndpoint(ep, c, client, c.Slug(), c.Record());
    });
    add(ep, 403, "endpoint disabled by its owner", [ep](Ctx& c) {
      auto client = c.Test();
      return CallEndpoint(ep, c, client, c.fix.at("disabled_slug"), c.Record());
    });
    add(ep, 429, "key whose monthly quota is used up", [ep](Ctx& c) {
      auto client = c.MakeClient(c.fix.at("quota_exhausted_key"));
      return CallEndpoint(ep, c, client, c.Slug(), c.Record());
    });
    add(ep, 404, ep == "create" ? "unknown slug" : "unknown record id", [ep](Ctx& c) {
      auto client = c.Test();
      return ep == "create" ? CallEndpoint(ep, c, client, "no-such-endpoint", "")
                            : CallEndpoint(ep, c, client, c.Slug(), "rec_doesnotexist");
    });
    for (int s : {500, 502, 503}) {
      add(ep, s, "fault rule: the next request answers " + std::to_string(s),
          [ep, s](Ctx& c) -> Task<Outcome> {
            // The realistic trigger of a 5xx is a server fault: inject one through the admin API.
            auto client = c.Test();
            co_await c.env.admin().AddFault(StatusFault(s));
            co_return co_await CallEndpoint(ep, c, client, c.Slug(), c.Record());
          });
    }
  }
  for (const auto& ep : with_body) {
    add(ep, 400, "required field order_id missing", [ep](Ctx& c) {
      auto client = c.Test();
      Json body = {{"amount", 1}};
      return ep == "create" ? ToOutcome(client.Create(c.Slug(), body, c.Write()))
                            : ToOutcome(client.Replace(c.Slug(), c.Record(), body, c.Write()));
    });
    add(ep, 413, "body of 150 KB", [ep](Ctx& c) {
      auto client = c.Test();
      Json body = Order();
      body["notes"] = std::string(150 * 1024, 'x');
      return ep == "create" ? ToOutcome(client.Create(c.Slug(), body, c.Write()))
                            : ToOutcome(client.Replace(c.Slug(), c.Record(), body, c.Write()));
    });
    add(ep, 415, "Content-Type: text/plain", [ep](Ctx& c) {
      auto client = c.Test();
      auto w = c.Write();
      w.headers.Set("Content-Type", "text/plain");
      return ep == "create" ? ToOutcome(client.Create(c.Slug(), Order(), w))
                            : ToOutcome(client.Replace(c.Slug(), c.Record(), Order(), w));
    });
  }
  return cases;
}

}  // namespace restbox::contract
