// mock_engine_fuzz: arbitrary requests to every API route of the in-process mock
// (MockServer::Process): an input is up to 4 requests, each an endpoint of the five endpoint
// tables, a method (mostly the endpoint's), its path template filled with fixture values or
// arbitrary text (encoded or raw), a query string, credentials from the fixtures or arbitrary
// ones, Content-Type, Prefer, webhook headers, an extra header and a body. Several requests per
// input let a create be followed by reads and deletes of what it made; a clock step may come
// between them. Properties (fuzz_mock.hpp): Process never throws; every answer is JSON, journaled
// with its status and an X-Request-Id, a documented status of the routed endpoint or a generic
// refusal, and 5xx only when forced.
#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_mock.hpp"
#include "restbox/core/url.hpp"

namespace core = restbox::core;
namespace mock = restbox::mock;
using core::Json;
using core::Method;

namespace {

void CollectStrings(const Json& j, std::vector<std::string>& out) {
  if (j.is_string()) {
    out.push_back(j.get<std::string>());
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      out.push_back(key);
      CollectStrings(value, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) CollectStrings(v, out);
  } else if (j.is_number_integer()) {
    out.push_back(j.dump());
  }
}

// Every string of the fixtures (keys, slugs, ids, tokens): values that get past authentication
// and name existing records. The same for every input (fixtures are seeded).
const std::vector<std::string>& Known() {
  static const std::vector<std::string>* known = [] {
    auto* out = new std::vector<std::string>();
    CollectStrings(restbox::fuzz::FreshServer()->Fixtures(), *out);
    if (out->empty()) out->push_back("x");
    return out;
  }();
  return *known;
}

std::string Value(FuzzedDataProvider& in) {
  const auto& known = Known();
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0:
      return in.ConsumeRandomLengthString(40);
    case 1:
      return core::EncodePathSegment(in.ConsumeRandomLengthString(40));
    default:
      return core::EncodePathSegment(
          known[in.ConsumeIntegralInRange<std::size_t>(0, known.size() - 1)]);
  }
}

std::string KnownOr(FuzzedDataProvider& in) {
  const auto& known = Known();
  if (in.ConsumeBool()) return in.ConsumeRandomLengthString(64);
  return known[in.ConsumeIntegralInRange<std::size_t>(0, known.size() - 1)];
}

core::HttpRequest NextRequest(FuzzedDataProvider& in) {
  const auto specs = restbox::services::AllSpecs();
  const core::ServiceSpec& spec =
      *specs[in.ConsumeIntegralInRange<std::size_t>(0, specs.size() - 1)];
  const core::EndpointSpec& endpoint =
      spec.endpoints[in.ConsumeIntegralInRange<std::size_t>(0, spec.endpoints.size() - 1)];
  core::HttpRequest request;
  request.method = in.ConsumeIntegralInRange(0, 3) != 0
                       ? endpoint.method
                       : restbox::fuzz::kAllMethods[in.ConsumeIntegralInRange<std::size_t>(
                             0, std::size(restbox::fuzz::kAllMethods) - 1)];
  std::string path;
  const std::string& tmpl = endpoint.path;
  for (std::size_t i = 0; i < tmpl.size();) {
    std::size_t close = tmpl[i] == '{' ? tmpl.find('}', i) : std::string::npos;
    if (close != std::string::npos) {
      path += Value(in);
      i = close + 1;
    } else {
      path.push_back(tmpl[i++]);
    }
  }
  request.url = (in.ConsumeBool() ? "http://mock" : "") + path;
  if (in.ConsumeBool()) request.url += "?" + in.ConsumeRandomLengthString(80);
  switch (in.ConsumeIntegralInRange(0, 4)) {
    case 0:
      break;
    case 1:
      request.headers.Set("Authorization", in.ConsumeRandomLengthString(80));
      break;
    case 2:
      request.headers.Set("X-API-Key", KnownOr(in));
      request.headers.Set("X-API-Secret", KnownOr(in));
      break;
    default:
      request.headers.Set("Authorization", "Bearer " + KnownOr(in));
      break;
  }
  static const char* kContentTypes[] = {"application/json", "application/json; charset=utf-8",
                                        "text/plain", ""};
  std::string content_type =
      kContentTypes[in.ConsumeIntegralInRange<std::size_t>(0, std::size(kContentTypes) - 1)];
  if (!content_type.empty()) request.headers.Set("Content-Type", content_type);
  if (in.ConsumeIntegralInRange(0, 7) == 0)
    request.headers.Set("Prefer", in.ConsumeRandomLengthString(32));
  if (in.ConsumeIntegralInRange(0, 7) == 0) {
    request.headers.Set("X-Webhook-Callback",
                        "http://hooks.test/" + in.ConsumeRandomLengthString(16));
    request.headers.Set("X-Webhook-Auth", in.ConsumeRandomLengthString(16));
  }
  if (in.ConsumeIntegralInRange(0, 7) == 0)
    request.headers.Add(in.ConsumeRandomLengthString(24), in.ConsumeRandomLengthString(64));
  // The body: arbitrary text (the corpus holds the endpoints' example bodies).
  request.body = in.ConsumeRandomLengthString(4096);
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  auto server = restbox::fuzz::FreshServer();
  for (int n = 0; n < 4 && in.remaining_bytes() > 0; ++n) {
    restbox::fuzz::ProcessAndCheck(*server, NextRequest(in));
    if (in.ConsumeIntegralInRange(0, 5) == 0) {
      // Queued work (chikage writes, webhooks, expiries) runs when time moves.
      server->AdvanceClock(std::chrono::seconds(in.ConsumeIntegralInRange(0, 4000)));
    }
  }
  return 0;
}
