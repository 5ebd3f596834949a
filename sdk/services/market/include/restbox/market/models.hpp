#pragma once
// market models: the wire shapes of the marketplace convention (seed 003) and their JSON mapping.
//
//   consumer <-> platform : CallResult       {"code":0,"credits":0.001,"result":{…}}
//                                            {"code":1000,"msg":"Reason for request failure"}
//   platform <-> provider : BackendResponse  {"code","forceDeduct","result","msg","creditsDeduct"}
//   endpoint description  : ParamSpec {"name","required","type","defaultValue","desc","example"}
//   pricing               : PricingPlan      per call, tiered, dynamic
//
// Every reader ignores members it does not know (the convention says extra fields are ignored).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/error.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"  // full json: models hold Json members
#include "restbox/core/result.hpp"

namespace restbox::market {

// ---- codes -------------------------------------------------------------------------------------

// The convention's codes (seed table). The code is carried in the body; no HTTP status is checked.
enum class Code : int {
  kOk = 0,             // success, charged by the plan
  kInternal = 1000,    // internal error (provider failed or answered something unusable)
  kParams = 1001,      // parameter error
  kNotFound = 1002,    // resource missing (maybe deleted), endpoint unknown or offline
  kBusy = 1003,        // busy, retry later (the request was not processed)
  kPermission = 1004,  // permission denied (usually the platform)
  kBalance = 1005,     // balance insufficient (usually the platform)
};

inline constexpr int ToInt(Code code) {
  return static_cast<int>(code);
}
// True for 0 and 1000-1005.
bool IsDocumentedCode(std::int64_t code);
// "internal error", "parameter error"... ("" for an undocumented code).
std::string_view CodeMeaning(std::int64_t code);

// The dynamic plan's per-call cap (seed: "单次请求动态价格最大不能超过 0.2 USD").
inline constexpr double kDynamicCap = 0.2;

// Credits are decimal amounts (0.001 USD); arithmetic on them is rounded to 1e-9 so that sums of
// prices do not drift (100 - 0.001 - 0.001 stays 99.998).
double RoundCredits(double credits);

// ---- consumer side -----------------------------------------------------------------------------

// What the platform answers a consumer (always HTTP 200 on the real platform). Only these members
// are kept from the provider's answer; `credits` is what this call cost.
struct CallResult {
  std::int64_t code = 0;
  core::Json result;              // the provider's `result`; null when absent
  std::string msg;                // failure reason; "" when absent
  std::optional<double> credits;  // credits charged; present when the call was charged/counted
  bool operator==(const CallResult&) const = default;
};
// Writes only the members that are set ("result" when not null, "msg" when not empty).
void to_json(core::Json& j, const CallResult& v);
// Strict about `code` (an integer, required); lenient about the rest (wrong types read as absent).
void from_json(const core::Json& j, CallResult& v);

// Reads a platform answer whatever the HTTP status: nullopt unless the body is a JSON object with
// an integer `code` (so a proxy's HTML error page is not mistaken for a convention answer).
std::optional<CallResult> ReadCallResult(std::string_view body);

// True when the response carries code 1003 (busy, not processed): the client's busy-retry rule.
bool IsBusyResponse(const core::HttpResponse& response);

// ---- provider side -----------------------------------------------------------------------------

// What a provider's backend answers the platform (seed "response的顶层字段").
struct BackendResponse {
  std::int64_t code = 0;                 // required integer
  std::optional<bool> force_deduct;      // "forceDeduct": true charges even when code != 0
  core::Json result;                     // "result": anything; null when absent
  std::optional<std::string> msg;        // "msg": failure reason
  std::optional<double> credits_deduct;  // "creditsDeduct": the charge, dynamic plans only

  // The charging rule (seed "扣费规则"): charged, and counted as a successful request, when
  // forceDeduct == true or code == 0.
  bool Chargeable() const { return force_deduct.value_or(false) || code == 0; }
  bool operator==(const BackendResponse&) const = default;
};
// Writes the wire names, omitting absent members.
void to_json(core::Json& j, const BackendResponse& v);
// Strict: throws std::invalid_argument naming the first convention violation (see
// CheckBackendResponse in provider.hpp for the full list without throwing).
void from_json(const core::Json& j, BackendResponse& v);

// ---- Params Schema / Json Schema ---------------------------------------------------------------

// The nine types a schema entry may declare (seed).
enum class ParamType { kNumber, kString, kFile, kArray, kObject, kInt, kLong, kDate, kBoolean };
std::string_view ToString(ParamType type);
std::optional<ParamType> ParseParamType(std::string_view name);

// One entry of a Params Schema or Json Schema (same structure for both).
struct ParamSpec {
  std::string name;               // required
  bool required = false;          // required (a bool)
  std::optional<ParamType> type;  // optional; absent = any value
  core::Json default_value;       // "defaultValue"; null or "" = no default
  std::string desc;               // "desc"
  core::Json example;             // "example"; null when absent
  bool operator==(const ParamSpec&) const = default;
};
using ParamsSchema = std::vector<ParamSpec>;
void to_json(core::Json& j, const ParamSpec& v);
// Strict: name (non-empty string) and required (bool) must be there, type one of the nine.
void from_json(const core::Json& j, ParamSpec& v);

// ---- pricing -----------------------------------------------------------------------------------

enum class PlanKind { kPerCall, kTiered, kDynamic };
std::string_view ToString(PlanKind kind);

// One band of a tiered plan: the counted calls of the day after the previous band's `up_to`, up
// to and including this one's, cost `price` each. The last band has no `up_to` (unbounded); a last
// band priced 0 makes the plan a flat daily fee (seed "将最后阶梯价格设置为0时,可以等效于包天价").
struct PriceTier {
  std::optional<std::int64_t> up_to;  // wire "upTo"
  double price = 0;
  bool operator==(const PriceTier&) const = default;
};

struct PricingPlan {
  PlanKind kind = PlanKind::kPerCall;
  double price = 0;                  // per-call plans: the price of each charged call
  std::vector<PriceTier> tiers;      // tiered plans, in increasing `up_to`
  double dynamic_cap = kDynamicCap;  // dynamic plans: a larger creditsDeduct is charged as this
  bool operator==(const PricingPlan&) const = default;
};
// {"type":"per_call","price":0.001} | {"type":"tiered","tiers":[{"upTo":100,"price":0.01},
// {"price":0}]} | {"type":"dynamic","cap":0.2}
void to_json(core::Json& j, const PricingPlan& v);
void from_json(const core::Json& j, PricingPlan& v);

// ---- errors ------------------------------------------------------------------------------------

// Builds the typed error from any answer that is not a code-0 success: a convention body gives
// kind kService, code "1000".."1005" (any non-zero code, as text), message = msg (or the code's
// meaning), http_status = the status received, and for 1001 the field details the platform lists
// in result.errors. A body that is not a convention answer gives the kind of its HTTP status
// (kDecode for a 2xx).
core::Error ParseError(const core::HttpResponse& response);

// The service's pre-send check (core::ServiceSpec::check_request): field problems give the
// client-side twin of the platform's 1001 (same code, msg and details).
std::optional<core::Error> CheckBeforeSending(const core::CallSpec& call,
                                              std::vector<core::FieldError> problems);

// The service's response interpreter (core::ServiceSpec::interpret, every client's): code 0 gives
// the platform's body as JSON (code and msg also in the Result's meta().service_code /
// service_message), anything else the typed error above. The HTTP status is ignored for convention
// bodies.
core::Result<core::Json> InterpretResponse(const core::EndpointSpec& endpoint,
                                           const core::HttpResponse& response);

// Decodes a consumer answer into CallResult or the typed error (the client's decoder).
core::Result<CallResult> DecodeCallResult(const core::HttpResponse& response);

}  // namespace restbox::market
