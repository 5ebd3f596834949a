#include "restbox/market/models.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "restbox/market/provider.hpp"

namespace restbox::market {
namespace {

// Reads an integer `code` only when it is a JSON integer (nlohmann would turn 1.5 or true into a
// number silently).
std::optional<std::int64_t> IntegerMember(const core::Json& j, std::string_view key) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (it->is_number_integer()) {
    if (it->is_number_unsigned() &&
        it->get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::nullopt;
    return it->get<std::int64_t>();
  }
  return std::nullopt;
}

std::optional<double> NumberMember(const core::Json& j, std::string_view key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  double d = it->get<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

core::Json MemberOrNull(const core::Json& j, std::string_view key) {
  auto it = j.find(key);
  return it == j.end() ? core::Json() : *it;
}

}  // namespace

bool IsDocumentedCode(std::int64_t code) {
  return code == 0 || (code >= 1000 && code <= 1005);
}

std::string_view CodeMeaning(std::int64_t code) {
  switch (code) {
    case 0:
      return "success";
    case 1000:
      return "internal error";
    case 1001:
      return "parameter error";
    case 1002:
      return "resource missing";
    case 1003:
      return "busy, retry later";
    case 1004:
      return "permission denied";
    case 1005:
      return "balance insufficient";
    default:
      return "";
  }
}

double RoundCredits(double credits) {
  if (!std::isfinite(credits)) return 0;
  return std::round(credits * 1e9) / 1e9;
}

// ---- CallResult --------------------------------------------------------------------------------

// Hand-written: the consumer envelope, read leniently (a mistyped member reads as absent).
void to_json(core::Json& j, const CallResult& v) {
  j = {{"code", v.code}};
  if (v.credits) j["credits"] = *v.credits;
  if (!v.result.is_null()) j["result"] = v.result;
  if (!v.msg.empty()) j["msg"] = v.msg;
}

void from_json(const core::Json& j, CallResult& v) {
  auto code = IntegerMember(j, "code");
  if (!code) throw std::invalid_argument("code: required, must be an integer");
  v.code = *code;
  v.result = MemberOrNull(j, "result");
  v.msg = core::JsonValueOr<std::string>(j, "msg", "");
  v.credits = NumberMember(j, "credits");
}

namespace {
std::optional<CallResult> CallResultOf(const core::Json* parsed) {
  if (!parsed || !IntegerMember(*parsed, "code")) return std::nullopt;
  auto converted = core::ConvertJson<CallResult>(*parsed);
  if (!converted.ok()) return std::nullopt;
  return std::move(converted.value());
}

// ReadCallResult of a response, from its attached value when it has one (no parse).
std::optional<CallResult> ReadCallResult(const core::HttpResponse& response) {
  core::Json parsed;
  return CallResultOf(core::ResponseJson(response, parsed, nullptr));
}
}  // namespace

std::optional<CallResult> ReadCallResult(std::string_view body) {
  auto parsed = core::ParseJson(body);
  return CallResultOf(parsed.ok() ? &parsed.value() : nullptr);
}

bool IsBusyResponse(const core::HttpResponse& response) {
  auto r = ReadCallResult(response);
  return r && r->code == ToInt(Code::kBusy);
}

// ---- BackendResponse ---------------------------------------------------------------------------

// Hand-written: the provider envelope, checked with the convention's own messages.
void to_json(core::Json& j, const BackendResponse& v) {
  j = {{"code", v.code}};
  if (v.force_deduct) j["forceDeduct"] = *v.force_deduct;
  if (!v.result.is_null()) j["result"] = v.result;
  if (v.msg) j["msg"] = *v.msg;
  if (v.credits_deduct) j["creditsDeduct"] = *v.credits_deduct;
}

void from_json(const core::Json& j, BackendResponse& v) {
  if (!j.is_object()) throw std::invalid_argument("body: must be a JSON object");
  auto code = IntegerMember(j, "code");
  if (!code) throw std::invalid_argument("code: required, must be an integer");
  v.code = *code;
  v.force_deduct.reset();
  if (auto it = j.find("forceDeduct"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean()) throw std::invalid_argument("forceDeduct: must be a boolean");
    v.force_deduct = it->get<bool>();
  }
  v.result = MemberOrNull(j, "result");
  v.msg.reset();
  if (auto it = j.find("msg"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) throw std::invalid_argument("msg: must be a string");
    v.msg = it->get<std::string>();
  }
  v.credits_deduct.reset();
  if (auto it = j.find("creditsDeduct"); it != j.end() && !it->is_null()) {
    auto n = NumberMember(j, "creditsDeduct");
    if (!n) throw std::invalid_argument("creditsDeduct: must be a number");
    v.credits_deduct = *n;
  }
}

// ---- ParamSpec ---------------------------------------------------------------------------------

std::string_view ToString(ParamType type) {
  switch (type) {
    case ParamType::kNumber:
      return "number";
    case ParamType::kString:
      return "string";
    case ParamType::kFile:
      return "file";
    case ParamType::kArray:
      return "array";
    case ParamType::kObject:
      return "object";
    case ParamType::kInt:
      return "int";
    case ParamType::kLong:
      return "long";
    case ParamType::kDate:
      return "date";
    case ParamType::kBoolean:
      return "boolean";
  }
  return "string";
}

std::optional<ParamType> ParseParamType(std::string_view name) {
  for (ParamType t : {ParamType::kNumber, ParamType::kString, ParamType::kFile, ParamType::kArray,
                      ParamType::kObject, ParamType::kInt, ParamType::kLong, ParamType::kDate,
                      ParamType::kBoolean}) {
    if (ToString(t) == name) return t;
  }
  return std::nullopt;
}

// Hand-written: a schema entry is checked (the convention's messages), not only read.
void to_json(core::Json& j, const ParamSpec& v) {
  j = {{"name", v.name}, {"required", v.required}};
  if (v.type) j["type"] = ToString(*v.type);
  if (!v.default_value.is_null()) j["defaultValue"] = v.default_value;
  if (!v.desc.empty()) j["desc"] = v.desc;
  if (!v.example.is_null()) j["example"] = v.example;
}

void from_json(const core::Json& j, ParamSpec& v) {
  if (!j.is_object()) throw std::invalid_argument("a schema entry must be a JSON object");
  auto name = j.find("name");
  if (name == j.end() || !name->is_string() || name->get_ref<const std::string&>().empty())
    throw std::invalid_argument("name: required, a non-empty string");
  v.name = name->get<std::string>();
  auto required = j.find("required");
  if (required == j.end() || !required->is_boolean())
    throw std::invalid_argument(v.name + ".required: required, a boolean");
  v.required = required->get<bool>();
  v.type.reset();
  if (auto t = j.find("type"); t != j.end() && !t->is_null()) {
    std::optional<ParamType> parsed;
    if (t->is_string()) parsed = ParseParamType(t->get_ref<const std::string&>());
    if (!parsed)
      throw std::invalid_argument(v.name +
                                  ".type: one of number, string, file, array, object, "
                                  "int, long, date, boolean");
    v.type = parsed;
  }
  v.default_value = MemberOrNull(j, "defaultValue");
  v.desc = core::JsonValueOr<std::string>(j, "desc", "");
  v.example = MemberOrNull(j, "example");
}

// ---- PricingPlan -------------------------------------------------------------------------------

std::string_view ToString(PlanKind kind) {
  switch (kind) {
    case PlanKind::kPerCall:
      return "per_call";
    case PlanKind::kTiered:
      return "tiered";
    case PlanKind::kDynamic:
      return "dynamic";
  }
  return "per_call";
}

// Hand-written: polymorphic on "type".
void to_json(core::Json& j, const PricingPlan& v) {
  j = {{"type", ToString(v.kind)}};
  switch (v.kind) {
    case PlanKind::kPerCall:
      j["price"] = v.price;
      break;
    case PlanKind::kTiered: {
      core::Json tiers = core::Json::array();
      for (const auto& t : v.tiers) {
        core::Json tier = {{"price", t.price}};
        if (t.up_to) tier["upTo"] = *t.up_to;
        tiers.push_back(tier);
      }
      j["tiers"] = tiers;
      break;
    }
    case PlanKind::kDynamic:
      j["cap"] = v.dynamic_cap;
      break;
  }
}

void from_json(const core::Json& j, PricingPlan& v) {
  if (!j.is_object()) throw std::invalid_argument("a pricing plan must be a JSON object");
  std::string type = core::JsonValueOr<std::string>(j, "type", "");
  v = PricingPlan{};
  if (type == "per_call") {
    auto price = NumberMember(j, "price");
    if (!price) throw std::invalid_argument("price: required, a number");
    v.kind = PlanKind::kPerCall;
    v.price = *price;
  } else if (type == "tiered") {
    v.kind = PlanKind::kTiered;
    auto tiers = j.find("tiers");
    if (tiers == j.end() || !tiers->is_array())
      throw std::invalid_argument("tiers: required, an array");
    for (const auto& t : *tiers) {
      if (!t.is_object()) throw std::invalid_argument("tiers: each band must be an object");
      auto price = NumberMember(t, "price");
      if (!price) throw std::invalid_argument("tiers.price: required, a number");
      PriceTier tier;
      tier.price = *price;
      if (auto up_to = t.find("upTo"); up_to != t.end() && !up_to->is_null()) {
        auto n = IntegerMember(t, "upTo");
        if (!n) throw std::invalid_argument("tiers.upTo: must be an integer");
        tier.up_to = *n;
      }
      v.tiers.push_back(tier);
    }
  } else if (type == "dynamic") {
    v.kind = PlanKind::kDynamic;
    v.dynamic_cap = NumberMember(j, "cap").value_or(kDynamicCap);
  } else {
    throw std::invalid_argument("type: one of per_call, tiered, dynamic");
  }
}

// ---- errors ------------------------------------------------------------------------------------

namespace {

// The typed error for a convention answer with a non-zero code.
core::Error CodeError(const CallResult& r, const core::HttpResponse& response) {
  core::Error e;
  e.kind = core::ErrorKind::kService;
  e.http_status = response.status;
  e.code = std::to_string(r.code);
  std::string meaning(CodeMeaning(r.code));
  e.message = !r.msg.empty() ? r.msg : !meaning.empty() ? meaning : "code " + e.code;
  e.raw_body = response.body;
  // The platform lists the params it refused in result.errors (1001).
  if (r.code == ToInt(Code::kParams) && r.result.is_object()) {
    if (auto it = r.result.find("errors"); it != r.result.end() && it->is_array()) {
      for (const auto& d : *it) {
        if (!d.is_object()) continue;
        e.details.push_back({core::JsonValueOr<std::string>(d, "field", ""),
                             core::JsonValueOr<std::string>(d, "error", "")});
      }
    }
  }
  return e;
}

core::Error NotConventionError(const core::HttpResponse& response) {
  core::Error e;
  bool two_xx = response.status >= 200 && response.status < 300;
  e.kind = two_xx ? core::ErrorKind::kDecode : core::ErrorKindFromStatus(response.status);
  e.http_status = response.status;
  e.raw_body = response.body;
  std::string reason(core::ReasonPhrase(response.status));
  e.message = two_xx ? "not a marketplace answer: expected a JSON object with an integer code"
              : reason.empty() ? "HTTP " + std::to_string(response.status)
                               : reason;
  return e;
}

}  // namespace

core::Error ParseError(const core::HttpResponse& response) {
  auto r = ReadCallResult(response);
  if (!r) return NotConventionError(response);
  if (r->code == 0) {
    // Only reached when a code-0 body came with a status the table does not document.
    core::Error e = NotConventionError(response);
    e.kind = core::ErrorKindFromStatus(response.status);
    return e;
  }
  return CodeError(*r, response);
}

core::Result<CallResult> DecodeCallResult(const core::HttpResponse& response) {
  auto r = ReadCallResult(response);
  if (!r) return NotConventionError(response);
  if (r->code != 0) return CodeError(*r, response);
  return std::move(*r);
}

std::optional<core::Error> CheckBeforeSending(const core::CallSpec&,
                                              std::vector<core::FieldError> problems) {
  if (problems.empty()) return std::nullopt;
  core::Error e;
  e.kind = core::ErrorKind::kClientValidation;
  e.code = std::to_string(ToInt(Code::kParams));
  e.message = ParamsErrorMessage(problems);
  e.details = std::move(problems);
  return e;
}

core::Result<core::Json> InterpretResponse(const core::EndpointSpec&,
                                           const core::HttpResponse& response) {
  // The HTTP status is ignored: the code decides (seed: "这里不会检查 response status").
  auto decoded = DecodeCallResult(response);
  if (!decoded.ok()) return decoded.error();
  core::Result<core::Json> out(core::Json(decoded.value()));
  out.meta().service_code = std::to_string(decoded->code);
  out.meta().service_message = decoded->msg;
  return out;
}

}  // namespace restbox::market
