// Typed create + get round trips through the full pipeline (request id, retry, rate limiter off,
// in-process transport) and the mock, compared with the bare cost of the same JSON work done with
// nlohmann alone. Run: build/native-release/bin/sdk_roundtrip_bench (preset native-release).

#include <benchmark/benchmark.h>

#include "restbox/chikage/client.hpp"
#include "restbox/core/clock.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/services/dynamic_client.hpp"
#include "restbox/transports/in_process_transport.hpp"

namespace {

using restbox::core::Json;

Json Order(int i) {
  return {{"order_id", "ORD-2024-" + std::to_string(i)},
          {"amount", 45000},
          {"items", {"Item A", "Item B"}},
          {"paid", true}};
}

// The typed path: Create (202) then Get (200) of the record, both decoded into models.
void BM_ChikageCreateGet(benchmark::State& state) {
  auto clock = std::make_shared<restbox::core::ManualClock>();
  restbox::mock::MockOptions mo;
  mo.clock = clock;
  mo.limits_enabled = false;  // measure the machinery, not the monthly quota
  mo.journal_capacity = 64;
  auto server = restbox::mock::MakeMockServer(mo);
  restbox::chikage::ClientOptions o;
  o.transport = std::make_shared<restbox::transports::InProcessTransport>(
      server, restbox::transports::InProcessOptions{clock});
  o.clock = clock;
  o.scheduler = clock;
  o.base_url = "http://mock";
  o.api_key = server->Fixtures()["chikage"]["test_key"];
  restbox::chikage::Client client(o);
  int i = 0;
  for (auto _ : state) {
    auto queued = client.Create("orders", Order(i++)).Get();
    if (!queued.ok()) state.SkipWithError(queued.error().Describe().c_str());
    clock->Advance(restbox::core::Duration(1));  // applies the queued write
    auto record = client.Get("orders", queued->id).Get();
    if (!record.ok()) state.SkipWithError(record.error().Describe().c_str());
    benchmark::DoNotOptimize(record);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["pairs/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ChikageCreateGet);

// The bare JSON cost of the same exchange: the client serialises the body, the server parses it
// and serialises the 202 answer, the client parses it; then the server serialises the record for
// the GET and the client parses it.
void BM_BareNlohmannCreateGet(benchmark::State& state) {
  int i = 0;
  for (auto _ : state) {
    std::string request = Order(i++).dump();
    Json received = Json::parse(request);
    std::string accepted =
        Json{{"success", true}, {"id", "rec_abcdefghijkl"}, {"message", "Request queued"}}.dump();
    Json ack = Json::parse(accepted);
    std::string record = Json{{"success", true},
                              {"id", ack["id"]},
                              {"data", received},
                              {"created_at", "2026-01-01T00:00:00.000Z"},
                              {"updated_at", "2026-01-01T00:00:00.000Z"}}
                             .dump();
    Json got = Json::parse(record);
    benchmark::DoNotOptimize(got);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["pairs/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BareNlohmannCreateGet);

// One read round trip per service through the generic client (same pipeline, in-process transport
// and mock), with the fixture credentials. Rate limits are off: this measures the machinery.
void BM_ServiceRoundTrip(benchmark::State& state, const std::string& service,
                         const std::string& endpoint, Json params) {
  auto clock = std::make_shared<restbox::core::ManualClock>();
  restbox::mock::MockOptions mo;
  mo.clock = clock;
  mo.limits_enabled = false;
  mo.journal_capacity = 64;
  auto server = restbox::mock::MakeMockServer(mo);
  Json fix = server->Fixtures()[service];
  restbox::services::DynamicClientOptions o;
  o.transport = std::make_shared<restbox::transports::InProcessTransport>(
      server, restbox::transports::InProcessOptions{clock});
  o.clock = clock;
  o.scheduler = clock;
  o.base_url = "http://mock";
  if (service == "chikage") o.credentials.key = fix["test_key"];
  if (service == "wncms") o.credentials.key = fix["api_token"];
  if (service == "inventory") o.credentials.key = fix["api_key"];
  if (service == "findhelper") {
    o.credentials.key = fix["api_key"];
    o.credentials.secret = fix["api_secret"];
  }
  if (service == "market") {
    o.credentials.key = fix["consumer_key"];
    params = fix["params"];
    params["project"] = fix["project"];
    params["slug"] = fix["slug"];
  }
  auto client = restbox::services::DynamicClient::ForService(service, o);
  const auto& spec = *client->spec().Find(endpoint);
  std::int64_t n = 0;
  for (auto _ : state) {
    // Market charges every call: restore the fixtures' balances now and then (amortised).
    if (service == "market" && ++n % 256 == 0) server->Reset();
    auto r =
        client->Call(endpoint, restbox::services::DynamicRequest::FromParams(spec, params)).Get();
    if (!r.ok()) state.SkipWithError(r.error().Describe().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_ServiceRoundTrip, wncms_posts_index, "wncms", "posts.index", Json::object());
BENCHMARK_CAPTURE(BM_ServiceRoundTrip, inventory_items_list, "inventory", "items.list",
                  Json::object());
BENCHMARK_CAPTURE(BM_ServiceRoundTrip, market_call, "market", "call", Json::object());
BENCHMARK_CAPTURE(BM_ServiceRoundTrip, findhelper_jobs_list, "findhelper", "jobs.list",
                  Json::object());
BENCHMARK_CAPTURE(BM_ServiceRoundTrip, chikage_get, "chikage", "get",
                  Json{{"slug", "orders"}, {"record_id", "rec_demo000001"}});

}  // namespace

BENCHMARK_MAIN();
