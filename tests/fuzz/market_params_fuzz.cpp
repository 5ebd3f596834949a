// market_params_fuzz: the market provider kit (sdk/services/market provider.hpp): the Params
// Schema validator with an arbitrary schema and arbitrary params, and the backend-response
// checks and pricing the platform runs on every call.
// Input: byte 0 picks the mode and the ParamsCheckOptions; the rest is "<schema JSON>\0<params>"
// (params as JSON, or as query text in query mode), or "<backend body>\0<plan JSON>".
// Properties beyond "no crash, no throw":
//   - CheckParams: one error per broken param, each naming it; params that are not an object give
//     one "body" error; with a sound schema (CheckSchema finds nothing) and type checks on, what
//     passed comes out as values of the declared types that pass again, unchanged, as JSON
//     (with the same options);
//   - every required param is in the output of a passing check;
//   - QueryToJson(JsonToQuery(o)) == o for an object of strings;
//   - CheckBackendBody: a response exactly when there is no error; for a sound plan the charge is
//     finite, >= 0, counted iff chargeable, and at most the cap on a dynamic plan; the consumer
//     view keeps code and result.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/market/models.hpp"
#include "restbox/market/provider.hpp"

namespace core = restbox::core;
namespace market = restbox::market;

namespace {

std::pair<std::string_view, std::string_view> SplitAtNul(std::string_view text) {
  std::size_t nul = text.find('\0');
  if (nul == std::string_view::npos) return {text, {}};
  return {text.substr(0, nul), text.substr(nul + 1)};
}

void Params(std::uint8_t flags, std::string_view text) {
  auto [schema_text, params_text] = SplitAtNul(text);
  auto schema = core::DecodeJson<market::ParamsSchema>(schema_text);
  if (!schema.ok()) return;
  auto schema_problems = market::CheckSchema(*schema);
  for (const auto& p : schema_problems) FUZZ_CHECK(!p.message.empty());

  market::ParamsCheckOptions options;
  options.source = flags & 1 ? market::ParamsSource::kQuery : market::ParamsSource::kJson;
  options.check_types = (flags & 2) == 0;
  options.apply_defaults = (flags & 4) == 0;
  core::Json params;
  if (options.source == market::ParamsSource::kQuery) {
    params = market::QueryToJson(core::ParseQuery(params_text));
  } else {
    auto parsed = core::ParseJson(params_text);
    if (!parsed.ok()) return;
    params = std::move(*parsed);
  }
  market::ParamsCheck check = market::CheckParams(*schema, params, options);
  for (const auto& e : check.errors) FUZZ_CHECK(!e.field.empty() && !e.message.empty());
  if (!params.is_object()) {
    FUZZ_CHECK(check.errors.size() == 1 && check.errors[0].field == "body");
    return;
  }
  (void)market::ParamsErrorMessage(check.errors);
  (void)market::ParamsErrorResult(check.errors);
  (void)core::DumpJson(check.params);
  if (!check.ok()) return;
  FUZZ_CHECK(check.params.is_object());
  for (const market::ParamSpec& spec : *schema) {
    if (spec.required) {
      auto it = check.params.find(spec.name);
      FUZZ_CHECK(it != check.params.end() && !it->is_null());
    }
  }
  if (schema_problems.empty() && options.check_types) {
    // The same options, but the values are JSON now (query text has been converted).
    market::ParamsCheckOptions json_options = options;
    json_options.source = market::ParamsSource::kJson;
    market::ParamsCheck again = market::CheckParams(*schema, check.params, json_options);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again.params == check.params);
  }
}

void Query(std::string_view text) {
  core::Json strings = core::Json::object();
  for (const auto& [name, value] : core::ParseQuery(text)) {
    if (!strings.contains(name)) strings[name] = value;
  }
  FUZZ_CHECK(market::QueryToJson(market::JsonToQuery(strings)) == strings);
  FUZZ_CHECK(market::QueryToJson(core::ParseQuery(text)) == strings);
}

void Backend(std::string_view text) {
  auto [body, plan_text] = SplitAtNul(text);
  auto plan = core::DecodeJson<market::PricingPlan>(plan_text);
  const market::PricingPlan* plan_ptr = plan.ok() ? &*plan : nullptr;
  market::ResponseCheck check = market::CheckBackendBody(body, plan_ptr);
  FUZZ_CHECK(check.response.has_value() == check.ok());
  for (const auto& e : check.errors) FUZZ_CHECK(!e.field.empty());
  if (!check.ok() || !plan_ptr) return;
  bool sound = market::CheckPlan(*plan).empty();
  for (std::int64_t before :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{99}, std::int64_t{1} << 40, INT64_MAX - 1}) {
    market::Charge charge = market::ComputeCharge(*plan, *check.response, before);
    FUZZ_CHECK(charge.counted == check.response->Chargeable());
    double required = market::RequiredBalance(*plan, before);
    if (sound) {
      FUZZ_CHECK(std::isfinite(charge.credits) && charge.credits >= 0);
      FUZZ_CHECK(std::isfinite(required) && required >= 0);
      if (plan->kind == market::PlanKind::kDynamic) FUZZ_CHECK(charge.credits <= plan->dynamic_cap);
      // The balance asked for before a call covers what the call is then charged.
      FUZZ_CHECK(charge.credits <= required);
    }
    market::CallResult view = market::ConsumerView(*check.response, charge);
    FUZZ_CHECK(view.code == check.response->code);
    FUZZ_CHECK(view.result == check.response->result);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
    case 1:
      Params(static_cast<std::uint8_t>(data[0] >> 2), text);
      break;
    case 2:
      Query(text);
      break;
    default:
      Backend(text);
      break;
  }
  return 0;
}
