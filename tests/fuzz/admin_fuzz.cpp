// admin_fuzz: the mock's admin API (mock-server/core admin.cpp) through MockServer::Process, the
// entry point the in-process transport, wasm and the HTTP front all use. An input is a sequence of
// up to 8 admin calls, each (route choice, text): fault rules, settings of each service, config,
// clock steps, snapshots (save, restore, delete), the journal, every GET, reset, any path under
// /__restbox/, and a service request now and then so installed fault rules get matched.
// Properties beyond "no crash, no throw" (fuzz_mock.hpp for the answer rules):
//   - a refused input (400) changes nothing: the faults, the service's settings, the config or
//     the clock read the same before and after;
//   - an accepted fault rule is listed by GET /__restbox/faults, and DELETE of its id removes it.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_mock.hpp"

namespace core = restbox::core;
namespace mock = restbox::mock;
using core::Json;
using core::Method;

namespace {

core::HttpResponse Call(mock::MockServer& server, Method method, const std::string& path,
                        std::string body = {}) {
  core::HttpRequest request;
  request.method = method;
  request.url = path;
  request.body = std::move(body);
  if (!request.body.empty()) request.headers.Set("Content-Type", "application/json");
  return restbox::fuzz::ProcessAndCheck(server, std::move(request)).response;
}

// Status and body of a GET, to compare before and after a call.
std::string Get(mock::MockServer& server, const std::string& path) {
  auto response = Call(server, Method::kGet, path);
  return std::to_string(response.status) + " " + response.body;
}

// A POST whose refusal must leave `what` (a GET path) as it was.
void Atomic(mock::MockServer& server, const std::string& path, std::string body,
            const std::string& what) {
  std::string before = Get(server, what);
  auto response = Call(server, Method::kPost, path, std::move(body));
  if (response.status == 400) FUZZ_CHECK(Get(server, what) == before);
}

void OneCall(mock::MockServer& server, const std::vector<std::string>& services,
             FuzzedDataProvider& in) {
  const std::string service =
      services[in.ConsumeIntegralInRange<std::size_t>(0, services.size() - 1)];
  switch (in.ConsumeIntegralInRange(0, 13)) {
    case 0: {  // add a fault rule
      std::string before = Get(server, "/__restbox/faults");
      auto response =
          Call(server, Method::kPost, "/__restbox/faults", in.ConsumeRandomLengthString());
      if (response.status == 400) {
        FUZZ_CHECK(Get(server, "/__restbox/faults") == before);
      } else if (response.status == 201) {
        auto rule = core::ParseJson(response.body);
        FUZZ_CHECK(rule.ok() && rule->contains("id"));
        std::string id = (*rule)["id"].dump();
        bool listed = false;
        auto faults = core::ParseJson(Call(server, Method::kGet, "/__restbox/faults").body);
        FUZZ_CHECK(faults.ok() && faults->is_array());
        for (const Json& f : *faults) listed = listed || f.value("id", Json()) == (*rule)["id"];
        FUZZ_CHECK(listed);
        if (in.ConsumeBool())
          FUZZ_CHECK(Call(server, Method::kDelete, "/__restbox/faults/" + id).status == 200);
      }
      break;
    }
    case 1:
      Call(server, Method::kDelete, "/__restbox/faults/" + in.ConsumeRandomLengthString(24));
      break;
    case 2:
      Call(server, Method::kDelete, "/__restbox/faults");
      break;
    case 3:
      Atomic(server, "/__restbox/settings/" + service, in.ConsumeRandomLengthString(),
             "/__restbox/settings/" + service);
      break;
    case 4:
      Atomic(server, "/__restbox/config", in.ConsumeRandomLengthString(), "/__restbox/config");
      break;
    case 5:
      Atomic(server, "/__restbox/clock/advance", in.ConsumeRandomLengthString(64),
             "/__restbox/clock");
      break;
    case 6:
      Call(server, Method::kPost, "/__restbox/snapshots", in.ConsumeRandomLengthString(80));
      break;
    case 7:
      Call(server, Method::kPost,
           "/__restbox/snapshots/" + in.ConsumeRandomLengthString(70) + "/restore");
      break;
    case 8:
      Call(server, Method::kDelete, "/__restbox/snapshots/" + in.ConsumeRandomLengthString(70));
      break;
    case 9:
      Call(server, Method::kGet, "/__restbox/journal?limit=" + in.ConsumeRandomLengthString(24));
      break;
    case 10: {
      static const char* kGets[] = {"health",    "fixtures", "state",  "limits",
                                    "faults",    "config",   "clock",  "snapshots",
                                    "settings/", "openapi/", "journal"};
      std::string path =
          "/__restbox/" +
          std::string(kGets[in.ConsumeIntegralInRange<std::size_t>(0, std::size(kGets) - 1)]);
      if (path.back() == '/')
        path += path.find("openapi") != std::string::npos ? service + ".json" : service;
      Call(server, in.ConsumeBool() ? Method::kGet : Method::kHead, path);
      break;
    }
    case 11:
      Call(server, Method::kPost, "/__restbox/reset");
      break;
    case 12: {  // anything under the prefix, any method
      Method method = restbox::fuzz::kAllMethods[in.ConsumeIntegralInRange<std::size_t>(
          0, std::size(restbox::fuzz::kAllMethods) - 1)];
      std::string path = "/__restbox/" + in.ConsumeRandomLengthString(64);
      Call(server, method, path, in.ConsumeRandomLengthString());
      break;
    }
    default: {  // a service request, for the fault rules to match (unauthenticated is fine)
      const auto specs = restbox::services::AllSpecs();
      const core::ServiceSpec& spec =
          *specs[in.ConsumeIntegralInRange<std::size_t>(0, specs.size() - 1)];
      const core::EndpointSpec& endpoint =
          spec.endpoints[in.ConsumeIntegralInRange<std::size_t>(0, spec.endpoints.size() - 1)];
      std::string path = endpoint.path;
      for (std::size_t open; (open = path.find('{')) != std::string::npos;)
        path.replace(open, path.find('}', open) - open + 1, "x");
      Call(server, endpoint.method, path, in.ConsumeRandomLengthString(200));
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  auto server = restbox::fuzz::FreshServer();
  std::vector<std::string> services = server->ServiceIds();
  services.push_back("nope");
  for (int calls = 0; calls < 8 && in.remaining_bytes() > 0; ++calls)
    OneCall(*server, services, in);
  return 0;
}
