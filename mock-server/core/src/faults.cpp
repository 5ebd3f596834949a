#include "restbox/mock/faults.hpp"

namespace restbox::mock {

bool FaultMatch::Matches(const std::string& svc, const std::string& ep, core::Method m,
                         std::string_view path) const {
  if (!service.empty() && service != svc) return false;
  if (!endpoint.empty() && endpoint != ep) return false;
  if (method && *method != m) return false;
  if (!path_prefix.empty() && !path.starts_with(path_prefix)) return false;
  return true;
}

std::string_view ToString(FaultAction action) {
  switch (action) {
    case FaultAction::kStatus: return "status";
    case FaultAction::kLatency: return "latency";
    case FaultAction::kFailFirst: return "fail_first";
    case FaultAction::kDrop: return "drop";
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

std::optional<std::string> FromJson(const core::Json& j, FaultRule& rule) {
  if (!j.is_object()) return "a fault must be a JSON object";
  // Checked before JsonValueOr reads it: a non-string action must be refused, not defaulted.
  if (auto a = j.find("action"); a != j.end() && !a->is_null() && !a->is_string())
    return "action must be a string";
  std::string action = core::JsonValueOr<std::string>(j, "action", "status");
  if (action == "status") rule.action = FaultAction::kStatus;
  else if (action == "latency") rule.action = FaultAction::kLatency;
  else if (action == "fail_first") rule.action = FaultAction::kFailFirst;
  else if (action == "drop") rule.action = FaultAction::kDrop;
  else return "unknown action '" + action + "' (status, latency, fail_first, drop)";
  auto number = [&](const char* key, long long fallback, long long lo, long long hi,
                    long long& out) -> std::optional<std::string> {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      out = fallback;
      return std::nullopt;
    }
    if (!it->is_number_integer()) return std::string(key) + " must be an integer";
    out = it->get<long long>();
    if (out < lo || out > hi)
      return std::string(key) + " must be between " + std::to_string(lo) + " and " + std::to_string(hi);
    return std::nullopt;
  };
  long long status = 0, latency = 0, times = 0;
  if (auto e = number("status", 503, 100, 599, status)) return e;
  if (auto e = number("latency_ms", 0, 0, 600000, latency)) return e;
  long long default_times = rule.action == FaultAction::kFailFirst ? 1 : -1;
  if (auto e = number("times", default_times, -1, 1000000000, times)) return e;
  if (times == 0) return "times must be -1 (unlimited) or positive";
  if (rule.action == FaultAction::kLatency && latency == 0) return "latency_ms is required for a latency fault";
  rule.status = static_cast<int>(status);
  rule.latency = core::Duration(latency);
  rule.times = static_cast<int>(times);
  for (const char* key : {"service", "endpoint", "path_prefix", "message", "method"}) {
    auto it = j.find(key);
    if (it != j.end() && !it->is_null() && !it->is_string()) return std::string(key) + " must be a string";
  }
  rule.match.service = core::JsonValueOr<std::string>(j, "service", "");
  rule.match.endpoint = core::JsonValueOr<std::string>(j, "endpoint", "");
  rule.match.path_prefix = core::JsonValueOr<std::string>(j, "path_prefix", "");
  rule.message = core::JsonValueOr<std::string>(j, "message", "");
  std::string method = core::JsonValueOr<std::string>(j, "method", "");
  if (!method.empty()) {
    auto m = core::ParseMethod(method);
    if (!m) return "unknown method '" + method + "'";
    rule.match.method = m;
  }
  return std::nullopt;
}

}  // namespace restbox::mock
