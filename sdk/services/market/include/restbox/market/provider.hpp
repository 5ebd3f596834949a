#pragma once
// The provider kit: what a provider (and the platform) needs to follow the marketplace convention,
// without any network. The mock's platform is built on the same functions, so the kit and the
// mock cannot disagree.
//
//   auto ok = market::Success({{"data", "sample"}});                // {"code":0,"result":{…}}
//   auto no = market::Failure(market::Code::kNotFound, "no such product");
//   auto check = market::CheckBackendBody(body_text, &plan);           // errors / warnings
//   auto params = market::CheckParams(schema, request_params);      // types, required, defaults
//   auto charge = market::ComputeCharge(plan, response, calls_counted_today);

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "restbox/core/error.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/url.hpp"
#include "restbox/market/models.hpp"

namespace restbox::market {

// ---- building a compliant response -------------------------------------------------------------

// {"code":0,"result":…} plus "creditsDeduct" when given (dynamic plans).
BackendResponse Success(core::Json result, std::optional<double> credits_deduct = std::nullopt);
// {"code":<code>,"msg":…} plus "forceDeduct":true when the failed call must still be charged.
BackendResponse Failure(Code code, std::string msg, bool force_deduct = false);

// ---- validating a backend's response -----------------------------------------------------------

struct ResponseCheck {
  // The response as the platform reads it; set when `errors` is empty.
  std::optional<BackendResponse> response;
  // Convention violations: the platform cannot use the answer and reports 1000 to the consumer.
  // One entry per broken member ("body", "code", "forceDeduct", "msg", "creditsDeduct").
  std::vector<core::FieldError> errors;
  // Compliant but noteworthy: an undocumented code, a failure without msg, creditsDeduct above
  // the cap (charged as the cap), creditsDeduct on a plan that is not dynamic (ignored), a
  // charged call of a dynamic plan without creditsDeduct (free).
  std::vector<core::FieldError> warnings;
  bool ok() const { return errors.empty(); }
};

// Checks a backend's body against the convention: a JSON object; `code` required, an integer;
// `forceDeduct` optional boolean; `msg` optional string; `creditsDeduct` optional number >= 0;
// `result` anything. Unknown members are ignored. `plan` (optional) adds the plan's warnings.
// The HTTP status the backend used is irrelevant (seed: "这里不会检查 response status").
ResponseCheck CheckBackendResponse(const core::Json& body, const PricingPlan* plan = nullptr);
// The same for the raw bytes a backend sent: text that is not JSON gives one "body" error.
ResponseCheck CheckBackendBody(std::string_view body, const PricingPlan* plan = nullptr);

// ---- validating params against a Params Schema / Json Schema ----------------------------------

enum class ParamsSource {
  kJson,   // values are JSON values (a JSON body): a string is never an int
  kQuery,  // values arrive as text (query string): "12" is read as the declared type
};

struct ParamsCheckOptions {
  ParamsSource source = ParamsSource::kJson;  // default: JSON values
  // Check each present value against its declared type. Default true. The platform itself only
  // checks that required params are there (seed), so it runs with false.
  bool check_types = true;
  // Fill absent optional params that have a defaultValue (text defaults are read as the type).
  // Default true.
  bool apply_defaults = true;
};

struct ParamsCheck {
  // The params as the backend should see them: values of the declared types (query text
  // converted), defaults filled, members the schema does not know kept as sent.
  core::Json params = core::Json::object();
  std::vector<core::FieldError> errors;  // one per broken param, in schema order
  bool ok() const { return errors.empty(); }
};

// Type rules: number = any JSON number; int = integer in 32 bits; long = integer in 64 bits;
// string and file = a string (a file travels as a URL or an encoded string in JSON and query);
// array/object = a JSON array/object (in query text, its JSON text); boolean = true/false
// ("true"/"false"/"1"/"0" in query text); date = an ISO 8601 date or date-time string
// ("2026-01-31", "2026-01-31T08:00:00Z", "2026-01-31 08:00:00") or epoch milliseconds as an
// integer. A null value counts as absent. `params` that is not an object gives one "body" error.
ParamsCheck CheckParams(const ParamsSchema& schema, const core::Json& params,
                        ParamsCheckOptions options = {});

// Problems of the schema itself: empty or duplicate names, a defaultValue that is not of the type.
std::vector<core::FieldError> CheckSchema(const ParamsSchema& schema);

// Query parameters as a JSON object of strings (the first value wins for a repeated name).
core::Json QueryToJson(const core::QueryParams& query);
// A JSON object as query parameters (strings as they are, other values as JSON text).
core::QueryParams JsonToQuery(const core::Json& params);

// The 1001 answer's msg and result for param problems; the platform and the client-side
// validation share them so both give the same error. msg: "Missing required parameter: a, b"
// when only required params are missing, else "Invalid parameters: a is required; b must be an
// int". result: {"errors":[{"field":"a","error":"is required"}]}.
std::string ParamsErrorMessage(const std::vector<core::FieldError>& errors);
core::Json ParamsErrorResult(const std::vector<core::FieldError>& errors);

// ---- pricing -----------------------------------------------------------------------------------

// Problems of a plan: negative or non-finite prices, tiered without bands, bands not increasing,
// an unbounded band before the last, a dynamic cap <= 0.
std::vector<core::FieldError> CheckPlan(const PricingPlan& plan);

// Price of the n-th counted call of the day (1-based) on a tiered plan; beyond the last bounded
// band, the last band's price. 0 for a plan without bands.
double TierPrice(const PricingPlan& plan, std::int64_t ordinal);

// The balance a consumer needs before a call is forwarded: the per-call price, the current band's
// price, or (dynamic plans, whose price is only known afterwards) the cap, so that no charge can
// take a balance below zero. [choice]
double RequiredBalance(const PricingPlan& plan, std::int64_t counted_before);

struct Charge {
  bool counted = false;  // a successful request for the statistics (same rule as charging)
  double credits = 0;    // what the consumer pays for this call
  std::string reason;    // why, for ledgers and logs
  bool operator==(const Charge&) const = default;
};

// The charge for one answer: nothing unless forceDeduct == true or code == 0; then the per-call
// price, the tier price of call number counted_before + 1 of the day, or creditsDeduct capped at
// the plan's cap (no creditsDeduct: no charge; a negative one: no charge).
Charge ComputeCharge(const PricingPlan& plan, const BackendResponse& response,
                     std::int64_t counted_before = 0);

// What the platform passes on to the consumer: code, result, msg, and the credits charged when
// the call was counted. Every other member of the backend's answer is dropped.
CallResult ConsumerView(const BackendResponse& response, const Charge& charge);

}  // namespace restbox::market
