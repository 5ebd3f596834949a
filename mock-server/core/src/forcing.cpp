// The forcing stage of MockServer (mock_server.hpp): the fault rules (checked, added, removed)
// and `Prefer: code=`, and the forced answers they build. The rest of the engine is in
// mock_server.cpp.

#include <algorithm>
#include <charconv>

#include "restbox/mock/admin.hpp"
#include "restbox/mock/mock_server.hpp"

namespace restbox::mock {
namespace {

// The "code" preference of a Prefer header (RFC 7240 preferences, comma-separated): a status
// ("code=429") or, for services with several codes on one status, the service's own code
// ("code=INVALID_TOKEN"). Returns the value as written ("" when present but empty).
std::optional<std::string> PreferredCode(const core::Headers& headers) {
  for (const auto& [name, value] : headers) {
    if (!core::EqualsIgnoreCase(name, "Prefer")) continue;
    std::string_view v = value;
    std::size_t pos = 0;
    while (pos < v.size()) {
      std::size_t comma = v.find_first_of(",;", pos);
      if (comma == std::string_view::npos) comma = v.size();
      std::string_view token = v.substr(pos, comma - pos);
      while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
      while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
      if (token.starts_with("code=")) {
        token.remove_prefix(5);
        if (!token.empty() && token.front() == '"' && token.back() == '"' && token.size() >= 2)
          token = token.substr(1, token.size() - 2);
        return std::string(token);
      }
      pos = comma + 1;
    }
  }
  return std::nullopt;
}

// A numeric preference value, or nullopt.
std::optional<int> ParseStatus(std::string_view text) {
  int code = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), code);
  if (ec == std::errc() && ptr == text.data() + text.size()) return code;
  return std::nullopt;
}

}  // namespace

// The forcing stage, the same for every request whatever answers it (the engine, --proxy's
// upstream, --replay's cassette): fault rules in the order they were added (one per request, each
// consuming one of its `times`), then `Prefer: code=`. True when `out` is the answer (a forced
// documented status, a drop, a refused Prefer); a latency rule only adds to out.delay, and a
// documented success status in Prefer lets the request be answered normally.
bool MockServer::ForceLocked(const core::HttpRequest& request, const Route& route,
                             ServiceModule& module, const std::string& path, JournalEntry& entry,
                             MockOutcome& out) {
  // Fault rules, in the order they were added; each consumes one of its `times`.
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    FaultRule& f = *it;
    if (!f.match.Matches(route.service, entry.endpoint, request.method, path)) continue;
    if (f.times > 0) --f.times;
    if (f.times >= 0) server_dirty_ = true;
    FaultRule applied = f;
    if (f.times == 0) faults_.erase(it);
    std::string message =
        applied.message.empty() ? "forced by restbox-mock fault rule" : applied.message;
    switch (applied.action) {
      case FaultAction::kDrop:
        out.drop = true;
        entry.fault = "drop";
        return true;
      case FaultAction::kStatus:
      case FaultAction::kFailFirst: {
        const core::StatusSpec* spec =
            route.endpoint ? route.endpoint->FindError(applied.status) : nullptr;
        out.response = module.ErrorResponse(applied.status, spec ? spec->code : "", message);
        if (applied.status == 429 && !out.response.headers.Has("Retry-After"))
          out.response.headers.Set("Retry-After", "1");
        entry.fault =
            "fault " + std::string(ToString(applied.action)) + " " + std::to_string(applied.status);
        return true;
      }
      case FaultAction::kLatency:
        out.delay += applied.latency;
        entry.fault = "latency " + std::to_string(applied.latency.count()) + " ms";
        break;
    }
    break;  // one rule per request
  }

  // Prefer: code=NNN forces a documented status of this endpoint; code=<SERVICE_CODE> forces the
  // documented row with that code (inventory has several codes per status).
  std::optional<std::string> preferred = PreferredCode(request.headers);
  std::optional<int> forced;
  const core::StatusSpec* by_code = nullptr;
  if (preferred) {
    forced = ParseStatus(*preferred);
    if (!forced && !preferred->empty() && route.endpoint) {
      for (const auto& e : route.endpoint->errors) {
        if (e.code == *preferred && !by_code) by_code = &e;
      }
      if (by_code) forced = by_code->status;
    }
    if (!forced) {
      out.response = RestboxErrorResponse(
          400, "malformed Prefer header: expected code=NNN or code=<documented error code>");
      return true;
    }
  }
  if (forced) {
    const core::EndpointSpec* ep = route.endpoint;
    if (*forced < 0) {
      out.response = RestboxErrorResponse(400, "malformed Prefer header: expected code=NNN");
      return true;
    }
    const core::StatusSpec* spec = by_code;
    if (ep && !spec) {
      spec = ep->FindError(*forced);
      if (!spec) {
        // Codes carried inside a success status (market 1000-1005).
        for (const auto& e : ep->errors) {
          if (e.code == std::to_string(*forced)) spec = &e;
        }
      }
    }
    if (spec) {
      out.response =
          module.ErrorResponse(spec->status, spec->code, "forced by Prefer: code=" + *preferred);
      if (spec->status == 429 && !out.response.headers.Has("Retry-After"))
        out.response.headers.Set("Retry-After", "1");
      entry.fault = "forced " + *preferred + " (Prefer)";
      return true;
    }
    if (!ep || !ep->IsSuccess(*forced)) {
      core::Json documented = core::Json::array();
      if (ep) {
        for (int s : ep->success) documented.push_back(s);
        for (const auto& e : ep->errors) {
          if (e.status != 200)
            documented.push_back(e.status);
          else
            documented.push_back(std::stoi(e.code));
        }
      }
      out.response = RestboxErrorResponse(400,
                                          "Prefer: code=" + std::to_string(*forced) +
                                              " is not a documented status of " + route.service +
                                              "." + entry.endpoint,
                                          {{"documented", documented}});
      return true;
    }
    // A documented success status: answer normally.
  }
  return false;
}

// ---- fault rules ----------------------------------------------------------------------------
std::optional<InputProblem> MockServer::CheckFault(const FaultRule& rule) const {
  std::lock_guard lock(mutex_);
  const ServiceModule* module = nullptr;
  if (!rule.match.service.empty()) {
    for (const auto& m : modules_) {
      if (m->Spec().id == rule.match.service) module = m.get();
    }
    if (!module)
      return UnknownName("service", "services", rule.match.service, " in fault rule", ServiceIds(),
                         "service");
  }
  if (rule.match.endpoint.empty()) return std::nullopt;
  std::vector<std::string> ids;
  for (const auto& m : modules_) {
    if (module && m.get() != module) continue;
    for (const auto& ep : m->Spec().endpoints) {
      if (ep.id == rule.match.endpoint) return std::nullopt;
      if (std::find(ids.begin(), ids.end(), ep.id) == ids.end()) ids.push_back(ep.id);
    }
  }
  std::string where =
      module ? " of service " + rule.match.service : " in any service (name one with \"service\")";
  return UnknownName("endpoint", "endpoints", rule.match.endpoint, where, std::move(ids),
                     "endpoint");
}

std::uint64_t MockServer::AddFault(FaultRule rule) {
  std::lock_guard lock(mutex_);
  rule.id = next_fault_id_++;
  faults_.push_back(rule);
  server_dirty_ = store_ != nullptr;
  CommitLocked();
  return rule.id;
}

bool MockServer::RemoveFault(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  const bool removed = std::erase_if(faults_, [&](const FaultRule& f) { return f.id == id; }) > 0;
  server_dirty_ = removed && store_ != nullptr;
  CommitLocked();
  return removed;
}

void MockServer::ClearFaults() {
  std::lock_guard lock(mutex_);
  faults_.clear();
  server_dirty_ = store_ != nullptr;
  CommitLocked();
}

std::vector<FaultRule> MockServer::Faults() const {
  std::lock_guard lock(mutex_);
  return faults_;
}

std::uint64_t MockServer::ForceStatus(int status, FaultMatch match, int times) {
  FaultRule rule;
  rule.action = FaultAction::kStatus;
  rule.status = status;
  rule.match = std::move(match);
  rule.times = times;
  return AddFault(rule);
}

}  // namespace restbox::mock
