// Realistic triggers for every documented row of findhelper (API-CONTRACT section 5).
#include "restbox/findhelper/client.hpp"
#include "sweep.hpp"

namespace restbox::contract {
namespace {

using core::Json;
using findhelper::Client;

struct Ctx {
  Env& env;
  const Json& fix;
  explicit Ctx(Env& e) : env(e), fix(e.Fix("findhelper")) {}
  Client MakeClient(const std::string& key_role, const std::string& secret_role) const {
    findhelper::ClientOptions o;
    static_cast<core::ClientOptions&>(o) = env.Options();
    o.api_key = fix.at(key_role).get<std::string>();
    o.api_secret = fix.at(secret_role).get<std::string>();
    return Client(o);
  }
  Client Main() const { return MakeClient("api_key", "api_secret"); }
  findhelper::RequestOptions Req() const {
    findhelper::RequestOptions r;
    r.headers = env.extra;
    return r;
  }
  std::int64_t Id(const std::string& role) const { return fix.at(role).get<std::int64_t>(); }
};

// The seed's example job.
findhelper::NewJob SeedJob() {
  return {"居家清潔", "general", "台北市", "台北市信義區信義路五段7號", 3000};
}

// The endpoint under test, called the ordinary way.
Task<Outcome> CallEndpoint(const std::string& endpoint, Ctx& c, Client& client) {
  if (endpoint == findhelper::kListJobs) return ToOutcome(client.ListJobs({}, c.Req()));
  if (endpoint == findhelper::kGetJob) return ToOutcome(client.GetJob(c.Id("job_id"), c.Req()));
  return ToOutcome(client.CreateJob(SeedJob(), c.Req()));
}

}  // namespace

// Listed in the generated all_cases.cpp (mock-server/contract/CMakeLists.txt).
std::vector<Case> FindhelperCases() {
  std::vector<Case> cases;
  auto add = [&](std::string_view ep, int status, std::string_view code, std::string trigger,
                 const std::function<Task<Outcome>(Ctx&)>& fn) {
    cases.push_back({"findhelper", std::string(ep), status, std::string(code), std::move(trigger),
                     [fn](Env& env) -> Task<Outcome> {
                       Ctx c(env);  // lives in this coroutine's frame while fn's task runs
                       co_return co_await fn(c);
                     }});
  };
  const std::string endpoints[] = {std::string(findhelper::kListJobs),
                                   std::string(findhelper::kGetJob),
                                   std::string(findhelper::kCreateJob)};
  for (const std::string& ep : endpoints) {
    add(ep, ep == findhelper::kCreateJob ? 201 : 200, "", "valid request with the demo key pair",
        [ep](Ctx& c) {
          auto client = c.Main();
          return CallEndpoint(ep, c, client);
        });
    add(ep, 401, findhelper::kUnauthorized, "expired key pair", [ep](Ctx& c) {
      auto client = c.MakeClient("expired_key", "expired_secret");
      return CallEndpoint(ep, c, client);
    });
    add(ep, 429, findhelper::kTooManyRequests, "the same key until the 61st request in a minute",
        [ep](Ctx& c) -> Task<Outcome> {
          auto client = c.Main();
          // 61 calls reach the minute limit; over a real clock a minute boundary may pass once on
          // the way, so keep going (at most 200 calls) until the server refuses.
          Outcome o;
          for (int i = 0; i < 200; ++i) {
            o = co_await CallEndpoint(ep, c, client);
            if (!o.ok && o.error.http_status == 429) break;
          }
          co_return o;
        });
    add(ep, 500, findhelper::kInternalServerError, "fault rule: the next request answers 500",
        [ep](Ctx& c) -> Task<Outcome> {
          auto client = c.Main();
          co_await c.env.admin().AddFault(StatusFault(500));
          co_return co_await CallEndpoint(ep, c, client);
        });
  }
  add(findhelper::kListJobs, 400, findhelper::kValidationError, "pageSize=101 (max 100)",
      [](Ctx& c) {
        auto client = c.Main();
        return ToOutcome(client.ListJobs({.page_size = 101}, c.Req()));
      });
  add(findhelper::kGetJob, 403, findhelper::kForbidden, "another account's draft job", [](Ctx& c) {
    auto client = c.Main();
    return ToOutcome(client.GetJob(c.Id("forbidden_job_id"), c.Req()));
  });
  add(findhelper::kGetJob, 404, findhelper::kNotFound, "unknown job id", [](Ctx& c) {
    auto client = c.Main();
    return ToOutcome(client.GetJob(c.Id("not_found_job_id"), c.Req()));
  });
  add(findhelper::kCreateJob, 400, findhelper::kValidationError, "estimatedAmount -1 and no title",
      [](Ctx& c) {
        auto client = c.Main();
        findhelper::NewJob job = SeedJob();
        job.title.clear();
        job.estimated_amount = -1;
        return ToOutcome(client.CreateJob(job, c.Req()));
      });
  add(findhelper::kCreateJob, 403, findhelper::kForbidden, "read-only key (no jobs:write scope)",
      [](Ctx& c) {
        auto client = c.MakeClient("read_only_key", "read_only_secret");
        return ToOutcome(client.CreateJob(SeedJob(), c.Req()));
      });
  return cases;
}

}  // namespace restbox::contract
