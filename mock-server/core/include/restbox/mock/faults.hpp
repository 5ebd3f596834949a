#pragma once
// Fault rules, WireMock style: a matcher, a response behaviour, and how many times it applies.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/mock/input_problem.hpp"

namespace restbox::mock {

struct FaultMatch {
  std::string service;                 // "" = any
  std::string endpoint;                // endpoint id, "" = any
  std::optional<core::Method> method;  // nullopt = any
  std::string path_prefix;             // "" = any
  bool Matches(const std::string& svc, const std::string& ep, core::Method m,
               std::string_view path) const;
};

enum class FaultAction {
  kStatus,     // answer `status` with the service's documented error body
  kLatency,    // answer normally, `latency` later
  kFailFirst,  // the first `times` matching requests get `status`, then pass
  kDrop,       // close the connection without an answer (in-process: kConnection error)
};

struct FaultRule {
  std::uint64_t id = 0;
  FaultMatch match;
  FaultAction action = FaultAction::kStatus;
  int status = 503;
  core::Duration latency{0};
  int times = -1;       // how many more requests it applies to; -1 = unlimited
  std::string message;  // error message for kStatus/kFailFirst; default: "forced by restbox-mock"
};

core::Json ToJson(const FaultRule& rule);
// Parses {"action":"status|latency|fail_first|drop","status":503,"latency_ms":200,"times":2,
//  "service":"chikage","endpoint":"create","method":"POST","path_prefix":"/api","message":"..."}
// (ToJson's "id" is accepted and ignored; null means "not given"). Defaults: action "status",
// status 503, latency_ms 0 (required, 1..600000, for "latency"), times -1 (forever) for status,
// latency and drop and 1 for fail_first. An unknown member, a wrong type or a value out of range
// is refused with what would have been accepted, and `rule` is left as it was. Service and
// endpoint names are checked against a server by MockServer::CheckFault.
std::optional<InputProblem> ParseFaultRule(const core::Json& json, FaultRule& rule);
// ParseFaultRule's problem as one message.
std::optional<std::string> FromJson(const core::Json& json, FaultRule& rule);
// The members a fault rule may have, in the order the docs list them.
const std::vector<std::string>& FaultRuleFields();
std::string_view ToString(FaultAction action);

}  // namespace restbox::mock
