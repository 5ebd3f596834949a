#include "restbox/market/provider.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

#include "restbox/core/clock.hpp"

namespace restbox::market {
namespace {

using core::FieldError;
using core::Json;

std::string FormatCredits(double credits) {
  std::string s = std::to_string(RoundCredits(credits));
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// ---- type checks -------------------------------------------------------------------------------

bool IsIntegral(const Json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

// The value as a signed 64-bit integer, when it is one.
std::optional<std::int64_t> AsInt64(const Json& v) {
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (IsIntegral(v)) {
    double d = v.get<double>();
    // 2^63 is not representable as int64; anything of that magnitude is out of range.
    if (std::fabs(d) >= 9.2233720368547758e18) return std::nullopt;
    return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

bool IsDate(const Json& v) {
  if (v.is_string()) return core::ParseIso8601(v.get_ref<const std::string&>()).has_value();
  return AsInt64(v).has_value();
}

// "" when `v` is a valid value of `type`, else the problem.
std::string CheckType(ParamType type, const Json& v) {
  switch (type) {
    case ParamType::kNumber:
      return v.is_number() ? "" : "must be a number";
    case ParamType::kString:
      return v.is_string() ? "" : "must be a string";
    case ParamType::kFile:
      return v.is_string() ? "" : "must be a file (a URL or encoded content as a string)";
    case ParamType::kArray:
      return v.is_array() ? "" : "must be an array";
    case ParamType::kObject:
      return v.is_object() ? "" : "must be an object";
    case ParamType::kInt: {
      auto n = AsInt64(v);
      if (!n || *n < std::numeric_limits<std::int32_t>::min() ||
          *n > std::numeric_limits<std::int32_t>::max())
        return "must be an int (a 32-bit integer)";
      return "";
    }
    case ParamType::kLong:
      return AsInt64(v) ? "" : "must be a long (a 64-bit integer)";
    case ParamType::kDate:
      return IsDate(v) ? "" : "must be a date (ISO 8601 text or epoch milliseconds)";
    case ParamType::kBoolean:
      return v.is_boolean() ? "" : "must be a boolean";
  }
  return "";
}

// Reads query text as the declared type; returns the text itself (as a JSON string) when it is
// not readable, so that CheckType reports the problem.
Json FromText(std::optional<ParamType> type, const std::string& text) {
  if (!type) return text;
  switch (*type) {
    case ParamType::kInt:
    case ParamType::kLong: {
      std::int64_t n = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc() && ptr == text.data() + text.size() && !text.empty()) return n;
      return text;
    }
    case ParamType::kNumber: {
      // strtod, not from_chars: libc++ 14 (Emscripten) has no floating-point from_chars.
      if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return text;
      char* end = nullptr;
      double d = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size() || !std::isfinite(d)) return text;
      std::int64_t n = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc() && ptr == text.data() + text.size()) return n;
      return d;
    }
    case ParamType::kBoolean:
      if (text == "true" || text == "1") return true;
      if (text == "false" || text == "0") return false;
      return text;
    case ParamType::kArray:
    case ParamType::kObject: {
      auto parsed = core::ParseJson(text);
      return parsed.ok() ? std::move(parsed.value()) : Json(text);
    }
    case ParamType::kDate: {
      std::int64_t n = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc() && ptr == text.data() + text.size() && !text.empty()) return n;
      return text;
    }
    case ParamType::kString:
    case ParamType::kFile:
      return text;
  }
  return text;
}

bool HasDefault(const ParamSpec& p) {
  return !p.default_value.is_null() &&
         !(p.default_value.is_string() && p.default_value.get_ref<const std::string&>().empty());
}

// The default as a value of the declared type (text defaults, as a console stores them, are read
// like query text). nullopt when it is not a valid value.
std::optional<Json> DefaultValue(const ParamSpec& p) {
  Json v = p.default_value;
  if (v.is_string() && p.type && *p.type != ParamType::kString && *p.type != ParamType::kFile &&
      *p.type != ParamType::kDate) {
    v = FromText(p.type, v.get<std::string>());
  }
  if (p.type && !CheckType(*p.type, v).empty()) return std::nullopt;
  return v;
}

}  // namespace

// ---- building ----------------------------------------------------------------------------------

BackendResponse Success(Json result, std::optional<double> credits_deduct) {
  BackendResponse r;
  r.code = ToInt(Code::kOk);
  r.result = std::move(result);
  r.credits_deduct = credits_deduct;
  return r;
}

BackendResponse Failure(Code code, std::string msg, bool force_deduct) {
  BackendResponse r;
  r.code = ToInt(code);
  r.msg = std::move(msg);
  if (force_deduct) r.force_deduct = true;
  return r;
}

// ---- validating a backend's response -----------------------------------------------------------

ResponseCheck CheckBackendResponse(const Json& body, const PricingPlan* plan) {
  ResponseCheck c;
  if (!body.is_object()) {
    c.errors.push_back({"body", "must be a JSON object"});
    return c;
  }
  BackendResponse r;
  auto code = body.find("code");
  if (code == body.end() || code->is_null()) {
    c.errors.push_back({"code", "is required"});
  } else if (!code->is_number_integer() || !AsInt64(*code)) {
    c.errors.push_back({"code", "must be an integer"});
  } else {
    r.code = *AsInt64(*code);
    if (!IsDocumentedCode(r.code))
      c.warnings.push_back(
          {"code", std::to_string(r.code) + " is not a documented code (0, 1000-1005)"});
  }
  if (auto f = body.find("forceDeduct"); f != body.end() && !f->is_null()) {
    if (f->is_boolean())
      r.force_deduct = f->get<bool>();
    else
      c.errors.push_back({"forceDeduct", "must be a boolean"});
  }
  if (auto m = body.find("msg"); m != body.end() && !m->is_null()) {
    if (m->is_string())
      r.msg = m->get<std::string>();
    else
      c.errors.push_back({"msg", "must be a string"});
  }
  if (auto res = body.find("result"); res != body.end()) r.result = *res;
  if (auto cd = body.find("creditsDeduct"); cd != body.end() && !cd->is_null()) {
    if (!cd->is_number() || !std::isfinite(cd->get<double>())) {
      c.errors.push_back({"creditsDeduct", "must be a number"});
    } else if (cd->get<double>() < 0) {
      c.errors.push_back({"creditsDeduct", "must not be negative"});
    } else {
      r.credits_deduct = cd->get<double>();
    }
  }
  if (!c.errors.empty()) return c;

  if (r.code != 0 && !r.msg)
    c.warnings.push_back(
        {"msg", "a failure (code " + std::to_string(r.code) + ") should say why in msg"});
  if (plan) {
    if (plan->kind == PlanKind::kDynamic) {
      if (r.credits_deduct && *r.credits_deduct > plan->dynamic_cap) {
        c.warnings.push_back(
            {"creditsDeduct", FormatCredits(*r.credits_deduct) + " exceeds the cap; " +
                                  FormatCredits(plan->dynamic_cap) + " is charged"});
      }
      if (!r.credits_deduct && r.Chargeable()) {
        c.warnings.push_back(
            {"creditsDeduct", "missing on a dynamic plan: the call is not charged"});
      }
    } else if (r.credits_deduct) {
      c.warnings.push_back({"creditsDeduct", "ignored: the plan is not dynamic"});
    }
  }
  c.response = std::move(r);
  return c;
}

ResponseCheck CheckBackendBody(std::string_view body, const PricingPlan* plan) {
  auto parsed = core::ParseJson(body);
  if (!parsed.ok()) {
    ResponseCheck c;
    c.errors.push_back({"body", "is not JSON (" + parsed.error().message + ")"});
    return c;
  }
  return CheckBackendResponse(parsed.value(), plan);
}

// ---- params ------------------------------------------------------------------------------------

ParamsCheck CheckParams(const ParamsSchema& schema, const Json& params,
                        ParamsCheckOptions options) {
  ParamsCheck out;
  if (params.is_null()) {
    out.params = Json::object();
  } else if (!params.is_object()) {
    out.errors.push_back({"body", "must be a JSON object of params"});
    return out;
  } else {
    out.params = params;
  }
  for (const ParamSpec& p : schema) {
    auto it = out.params.find(p.name);
    if (it == out.params.end() || it->is_null()) {
      if (it != out.params.end()) out.params.erase(it);
      if (p.required) {
        out.errors.push_back({p.name, "is required"});
      } else if (options.apply_defaults && HasDefault(p)) {
        if (auto d = DefaultValue(p)) out.params[p.name] = *d;
      }
      continue;
    }
    if (options.source == ParamsSource::kQuery && it->is_string()) {
      *it = FromText(p.type, it->get<std::string>());
    }
    if (options.check_types && p.type) {
      if (auto problem = CheckType(*p.type, *it); !problem.empty())
        out.errors.push_back({p.name, problem});
    }
  }
  return out;
}

std::vector<FieldError> CheckSchema(const ParamsSchema& schema) {
  std::vector<FieldError> out;
  std::set<std::string> seen;
  for (const ParamSpec& p : schema) {
    if (p.name.empty()) {
      out.push_back({"name", "must not be empty"});
      continue;
    }
    if (!seen.insert(p.name).second) out.push_back({p.name, "is declared twice"});
    if (HasDefault(p) && !DefaultValue(p))
      out.push_back({p.name, "defaultValue is not a valid " + std::string(ToString(*p.type))});
  }
  return out;
}

Json QueryToJson(const core::QueryParams& query) {
  Json out = Json::object();
  for (const auto& [k, v] : query) {
    if (!out.contains(k)) out[k] = v;
  }
  return out;
}

core::QueryParams JsonToQuery(const Json& params) {
  core::QueryParams out;
  if (!params.is_object()) return out;
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (it->is_null()) continue;
    out.emplace_back(it.key(), it->is_string() ? it->get<std::string>() : core::DumpJson(*it));
  }
  return out;
}

std::string ParamsErrorMessage(const std::vector<FieldError>& errors) {
  bool only_missing = std::all_of(errors.begin(), errors.end(),
                                  [](const FieldError& e) { return e.message == "is required"; });
  std::string out;
  if (only_missing) {
    for (const auto& e : errors) out += (out.empty() ? "" : ", ") + e.field;
    return "Missing required parameter: " + out;
  }
  for (const auto& e : errors) out += (out.empty() ? "" : "; ") + e.field + " " + e.message;
  return "Invalid parameters: " + out;
}

Json ParamsErrorResult(const std::vector<FieldError>& errors) {
  Json list = Json::array();
  for (const auto& e : errors) list.push_back({{"field", e.field}, {"error", e.message}});
  return {{"errors", list}};
}

// ---- pricing -----------------------------------------------------------------------------------

std::vector<FieldError> CheckPlan(const PricingPlan& plan) {
  std::vector<FieldError> out;
  auto price_ok = [](double p) { return std::isfinite(p) && p >= 0; };
  switch (plan.kind) {
    case PlanKind::kPerCall:
      if (!price_ok(plan.price)) out.push_back({"price", "must be a number >= 0"});
      break;
    case PlanKind::kTiered: {
      if (plan.tiers.empty()) out.push_back({"tiers", "a tiered plan needs at least one band"});
      std::int64_t previous = 0;
      for (std::size_t i = 0; i < plan.tiers.size(); ++i) {
        const PriceTier& t = plan.tiers[i];
        std::string field = "tiers[" + std::to_string(i) + "]";
        if (!price_ok(t.price)) out.push_back({field + ".price", "must be a number >= 0"});
        if (!t.up_to) {
          if (i + 1 != plan.tiers.size())
            out.push_back({field + ".upTo", "only the last band may be unbounded"});
          continue;
        }
        if (*t.up_to <= previous)
          out.push_back({field + ".upTo", "must be greater than " + std::to_string(previous)});
        previous = *t.up_to;
      }
      break;
    }
    case PlanKind::kDynamic:
      if (!std::isfinite(plan.dynamic_cap) || plan.dynamic_cap <= 0)
        out.push_back({"cap", "must be a number > 0"});
      break;
  }
  return out;
}

double TierPrice(const PricingPlan& plan, std::int64_t ordinal) {
  for (const PriceTier& t : plan.tiers) {
    if (!t.up_to || ordinal <= *t.up_to) return t.price;
  }
  return plan.tiers.empty() ? 0 : plan.tiers.back().price;
}

double RequiredBalance(const PricingPlan& plan, std::int64_t counted_before) {
  switch (plan.kind) {
    case PlanKind::kPerCall:
      return std::max(0.0, plan.price);
    case PlanKind::kTiered:
      return std::max(0.0, TierPrice(plan, counted_before + 1));
    case PlanKind::kDynamic:
      return std::max(0.0, plan.dynamic_cap);
  }
  return 0;
}

Charge ComputeCharge(const PricingPlan& plan, const BackendResponse& response,
                     std::int64_t counted_before) {
  Charge c;
  if (!response.Chargeable()) {
    c.reason = "not charged: code " + std::to_string(response.code) + " without forceDeduct";
    return c;
  }
  c.counted = true;
  std::string why =
      response.code == 0 ? "code 0" : "forceDeduct with code " + std::to_string(response.code);
  switch (plan.kind) {
    case PlanKind::kPerCall:
      c.credits = std::max(0.0, plan.price);
      c.reason = why + ": per-call price";
      break;
    case PlanKind::kTiered: {
      std::int64_t ordinal = counted_before + 1;
      c.credits = std::max(0.0, TierPrice(plan, ordinal));
      c.reason = why + ": tier price of call " + std::to_string(ordinal) + " of the day";
      break;
    }
    case PlanKind::kDynamic:
      if (!response.credits_deduct) {
        c.reason = why + ": dynamic plan without creditsDeduct, no charge";
      } else if (*response.credits_deduct < 0) {
        c.reason = why + ": negative creditsDeduct, no charge";
      } else if (*response.credits_deduct > plan.dynamic_cap) {
        c.credits = plan.dynamic_cap;
        c.reason = why + ": creditsDeduct " + FormatCredits(*response.credits_deduct) +
                   " capped at " + FormatCredits(plan.dynamic_cap);
      } else {
        c.credits = *response.credits_deduct;
        c.reason = why + ": creditsDeduct";
      }
      break;
  }
  c.credits = RoundCredits(c.credits);
  return c;
}

CallResult ConsumerView(const BackendResponse& response, const Charge& charge) {
  CallResult r;
  r.code = response.code;
  r.result = response.result;
  r.msg = response.msg.value_or("");
  if (charge.counted) r.credits = charge.credits;
  return r;
}

}  // namespace restbox::market
