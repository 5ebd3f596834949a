#include "restbox/mock/faults.hpp"

#include <algorithm>
#include <vector>

namespace restbox::mock {

bool FaultMatch::Matches(const std::string& svc, const std::string& ep, core::Method m,
                         std::string_view path) const {
  if (!service.empty() && service != svc) return false;
  if (!endpoint.empty() && endpoint != ep) return false;
  // HEAD is answered as GET (Router::Find), so a rule for GET shows on HEAD too.
  if (method && *method != m && !(*method == core::Method::kGet && m == core::Method::kHead))
    return false;
  if (!path_prefix.empty() && !path.starts_with(path_prefix)) return false;
  return true;
}

std::string_view ToString(FaultAction action) {
  switch (action) {
    case FaultAction::kStatus:
      return "status";
    case FaultAction::kLatency:
      return "latency";
    case FaultAction::kFailFirst:
      return "fail_first";
    case FaultAction::kDrop:
      return "drop";
  }
  return "status";
}

core::Json ToJson(const FaultRule& rule) {
  core::Json j = {{"id", rule.id},
                  {"action", ToString(rule.action)},
                  {"status", rule.status},
                  {"latency_ms", rule.latency.count()},
                  {"times", rule.times},
                  {"service", rule.match.service},
                  {"endpoint", rule.match.endpoint},
                  {"path_prefix", rule.match.path_prefix}};
  j["method"] = rule.match.method ? core::Json(std::string(core::ToString(*rule.match.method)))
                                  : core::Json(nullptr);
  if (!rule.message.empty()) j["message"] = rule.message;
  return j;
}

const std::vector<std::string>& FaultRuleFields() {
  static const std::vector<std::string> kFields = {
      "service", "endpoint",   "method", "path_prefix", "action",
      "status",  "latency_ms", "times",  "message",     "id"};
  return kFields;
}

std::optional<InputProblem> ParseFaultRule(const core::Json& j, FaultRule& rule) {
  if (!j.is_object())
    return InputProblem{"a fault rule must be a JSON object", "", FaultRuleFields(), ""};
  // Every member is known before any is read: a misspelt "servce" would otherwise leave the
  // matcher empty, and the rule would fail every request of every API.
  for (auto it = j.begin(); it != j.end(); ++it) {
    const auto& fields = FaultRuleFields();
    if (std::find(fields.begin(), fields.end(), it.key()) == fields.end())
      return UnknownName("field", "fields", it.key(), " in fault rule", fields, it.key());
  }
  // null stands for "not given" (ToJson writes "method": null for any method).
  auto given = [&j](const char* key) -> const core::Json* {
    auto it = j.find(key);
    return it == j.end() || it->is_null() ? nullptr : &*it;
  };

  static const std::vector<std::string> kActions = {"status", "latency", "fail_first", "drop"};
  FaultRule parsed;
  if (const core::Json* a = given("action")) {
    if (!a->is_string()) return NotOneOf("action", kActions, *a);
    const std::string name = a->get<std::string>();
    if (name == "status")
      parsed.action = FaultAction::kStatus;
    else if (name == "latency")
      parsed.action = FaultAction::kLatency;
    else if (name == "fail_first")
      parsed.action = FaultAction::kFailFirst;
    else if (name == "drop")
      parsed.action = FaultAction::kDrop;
    else
      return UnknownName("action", "actions", name, " in fault rule", kActions, "action");
  }

  auto integer = [&](const char* key, long long fallback, long long lo, long long hi,
                     const std::string& expected, long long& out) -> std::optional<InputProblem> {
    const core::Json* v = given(key);
    out = fallback;
    if (!v) return std::nullopt;
    if (!v->is_number_integer() || v->get<long long>() < lo || v->get<long long>() > hi)
      return BadValue(key, expected, *v);
    out = v->get<long long>();
    return std::nullopt;
  };
  long long status = 0, latency = 0, times = 0;
  const std::string status_words = "a final HTTP status, an integer from 200 to 599";
  if (auto e = integer("status", 503, 200, 599, status_words, status)) return e;
  const std::string latency_words = "milliseconds, an integer from 0 to 600000";
  if (auto e = integer("latency_ms", 0, 0, 600000, latency_words, latency)) return e;
  if (parsed.action == FaultAction::kLatency && latency == 0) {
    const core::Json* v = given("latency_ms");
    InputProblem p =
        BadValue("latency_ms", "milliseconds, an integer from 1 to 600000", v ? *v : core::Json());
    p.message = "latency_ms is required for a latency fault: " + p.expected +
                (v ? "; got " + DescribeValue(*v) : std::string());
    return p;
  }
  const long long default_times = parsed.action == FaultAction::kFailFirst ? 1 : -1;
  const std::string times_words = "-1 (forever) or a count from 1 to 1000000000";
  if (auto e = integer("times", default_times, -1, 1000000000, times_words, times)) return e;
  if (times == 0) return BadValue("times", times_words, j.at("times"));
  parsed.status = static_cast<int>(status);
  parsed.latency = core::Duration(latency);
  parsed.times = static_cast<int>(times);

  for (const char* key : {"service", "endpoint", "path_prefix", "message", "method"}) {
    const core::Json* v = given(key);
    if (v && !v->is_string()) return BadValue(key, "a string", *v);
  }
  parsed.match.service = core::JsonValueOr<std::string>(j, "service", "");
  parsed.match.endpoint = core::JsonValueOr<std::string>(j, "endpoint", "");
  parsed.match.path_prefix = core::JsonValueOr<std::string>(j, "path_prefix", "");
  if (!parsed.match.path_prefix.empty() && parsed.match.path_prefix.front() != '/') {
    // Request paths always start with "/": such a prefix would silently never match.
    return BadValue("path_prefix", "a path starting with \"/\" (e.g. \"/api/\")",
                    j.at("path_prefix"));
  }
  parsed.message = core::JsonValueOr<std::string>(j, "message", "");
  if (std::string method = core::JsonValueOr<std::string>(j, "method", ""); !method.empty()) {
    auto m = core::ParseMethod(method);
    if (!m) {
      std::vector<std::string> methods;
      for (core::Method known :
           {core::Method::kGet, core::Method::kPost, core::Method::kPut, core::Method::kDelete,
            core::Method::kPatch, core::Method::kHead, core::Method::kOptions})
        methods.emplace_back(core::ToString(known));
      return UnknownName("method", "methods", method, " in fault rule", methods, "method");
    }
    parsed.match.method = m;
  }
  parsed.id = rule.id;
  rule = std::move(parsed);
  return std::nullopt;
}

std::optional<std::string> FromJson(const core::Json& j, FaultRule& rule) {
  if (auto problem = ParseFaultRule(j, rule)) return problem->message;
  return std::nullopt;
}

}  // namespace restbox::mock
