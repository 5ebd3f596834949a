#include "restbox/mock/admin.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/core/masking.hpp"
#include "restbox/mock/faults.hpp"
#include "restbox/mock/input_problem.hpp"
#include "restbox/mock/openapi.hpp"
#include "restbox/mock/router.hpp"

namespace restbox::mock {
namespace {

using core::Json;
using core::Method;

// Time travel is stepped in one-second slices on a manual clock; a year is already millions of
// steps, so larger jumps are refused instead of hanging the caller.
constexpr double kMaxAdvanceMs = 366.0 * 24 * 3600 * 1000;

struct AdminCall {
  AdminSurface& server;
  const core::HttpRequest& request;
  const core::UrlParts& url;
  const std::map<std::string, std::string>& params;  // the route's placeholders, decoded

  std::string Param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  }
};

using AdminFn = core::HttpResponse (*)(AdminCall&);

core::HttpResponse Ok() {
  return JsonResponse(200, {{"ok", true}});
}

// A refused input as the admin API answers it (input_problem.hpp): the sentence, the member at
// fault, and the valid choices or what is expected.
core::HttpResponse ProblemResponse(int status, const InputProblem& problem) {
  Json extra = Json::object();
  if (!problem.field.empty()) extra["field"] = problem.field;
  if (!problem.valid.empty()) extra["valid"] = problem.valid;
  if (!problem.expected.empty()) extra["expected"] = problem.expected;
  return RestboxErrorResponse(status, problem.message, extra);
}

core::HttpResponse NowAnswer(AdminSurface& server) {
  return JsonResponse(200, {{"now", core::FormatIso8601(server.Now())}});
}

// The request body as a JSON object, or the 400 that explains why it is not one.
std::optional<Json> BodyObject(const core::HttpRequest& request, core::HttpResponse& error) {
  auto parsed = core::ParseJson(request.body);
  if (!parsed.ok()) {
    error = RestboxErrorResponse(400, "the body must be a JSON object: " + parsed.error().message);
    return std::nullopt;
  }
  if (!parsed.value().is_object()) {
    error = RestboxErrorResponse(400, "the body must be a JSON object");
    return std::nullopt;
  }
  return std::move(parsed.value());
}

// scheme://host[:port] of the mock as the client reached it, for the OpenAPI servers list.
std::string ServerUrl(const core::HttpRequest& request, const core::UrlParts& url) {
  if (!url.scheme.empty()) {
    std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
    return url.scheme + "://" + host + (url.port ? ":" + std::to_string(url.port) : "");
  }
  auto host = request.headers.Get("Host");
  if (!host || host->empty()) return {};
  for (char c : *host) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return {};  // not a host: keep the real service's URL rather than echo junk
  }
  return "http://" + *host;
}

core::HttpResponse Health(AdminCall& c) {
  return JsonResponse(200, {{"ok", true},
                            {"services", c.server.ServiceIds()},
                            {"now", core::FormatIso8601(c.server.Now())}});
}

core::HttpResponse FixturesAnswer(AdminCall& c) {
  return JsonResponse(200, c.server.Fixtures());
}

core::HttpResponse UnknownService(AdminSurface& server, const std::string& service) {
  return ProblemResponse(
      404, UnknownName("service", "services", service, "", server.ServiceIds(), "service"));
}

core::HttpResponse GetSettings(AdminCall& c) {
  std::string service = c.Param("service");
  auto settings = c.server.Settings(service);
  return settings ? JsonResponse(200, *settings) : UnknownService(c.server, service);
}

core::HttpResponse PostSettings(AdminCall& c) {
  std::string service = c.Param("service");
  if (!c.server.Settings(service)) return UnknownService(c.server, service);
  core::HttpResponse error;
  auto patch = BodyObject(c.request, error);
  if (!patch) return error;
  if (auto problem = c.server.PatchSettings(service, *patch)) return ProblemResponse(400, *problem);
  return JsonResponse(200, c.server.Settings(service).value_or(Json::object()));
}

core::HttpResponse ResetAnswer(AdminCall& c) {
  c.server.Reset();
  return Ok();
}

core::HttpResponse ListFaults(AdminCall& c) {
  Json rules = Json::array();
  for (const auto& rule : c.server.Faults()) rules.push_back(ToJson(rule));
  return JsonResponse(200, rules);
}

core::HttpResponse AddFaultAnswer(AdminCall& c) {
  core::HttpResponse error;
  auto body = BodyObject(c.request, error);
  if (!body) return error;
  FaultRule rule;
  if (auto problem = ParseFaultRule(*body, rule)) return ProblemResponse(400, *problem);
  if (auto problem = c.server.CheckFault(rule)) return ProblemResponse(400, *problem);
  rule.id = c.server.AddFault(rule);
  return JsonResponse(201, ToJson(rule));
}

core::HttpResponse ClearFaultsAnswer(AdminCall& c) {
  c.server.ClearFaults();
  return Ok();
}

core::HttpResponse RemoveFaultAnswer(AdminCall& c) {
  std::string text = c.Param("id");
  std::uint64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || !c.server.RemoveFault(id))
    return RestboxErrorResponse(404, "no fault rule with id '" + text + "'");
  return Ok();
}

core::HttpResponse GetClock(AdminCall& c) {
  return NowAnswer(c.server);
}

core::HttpResponse AdvanceClockAnswer(AdminCall& c) {
  core::HttpResponse error;
  auto body = BodyObject(c.request, error);
  if (!body) return error;
  static const std::vector<std::string> kFields = {"seconds", "ms"};
  for (auto it = body->begin(); it != body->end(); ++it) {
    if (it.key() != "seconds" && it.key() != "ms")
      return ProblemResponse(
          400, UnknownName("field", "fields", it.key(), " in clock advance", kFields, it.key()));
  }
  const bool has_seconds = body->contains("seconds");
  const bool has_ms = body->contains("ms");
  if (has_seconds == has_ms) {
    return ProblemResponse(400,
                           {"give exactly one of \"seconds\" or \"ms\": how far to move the clock "
                            "forward, e.g. {\"seconds\": 90} or {\"ms\": 250}",
                            "", kFields, ""});
  }
  const char* field = has_seconds ? "seconds" : "ms";
  const std::string expected =
      std::string("a number of ") + (has_seconds ? "seconds" : "milliseconds") +
      ", zero or more, at most 366 days (" + (has_seconds ? "31622400 s" : "31622400000 ms") + ")";
  const Json& value = (*body)[field];
  if (!value.is_number()) return ProblemResponse(400, BadValue(field, expected, value));
  double ms = value.get<double>() * (has_seconds ? 1000.0 : 1.0);
  // Time travel is forward only (a manual clock cannot go back); a year is the most one call does.
  if (!std::isfinite(ms) || ms < 0 || ms > kMaxAdvanceMs)
    return ProblemResponse(400, BadValue(field, expected, value));
  c.server.AdvanceClock(core::Duration(static_cast<std::int64_t>(std::llround(ms))));
  return NowAnswer(c.server);
}

// The "limit" query parameter of the journal and the problems: 0 (everything) when absent.
std::optional<std::size_t> LimitParam(const AdminCall& c, core::HttpResponse& error) {
  std::size_t limit = 0;
  for (const auto& [name, value] : core::ParseQuery(c.url.query)) {
    if (name != "limit") continue;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
    if (ec != std::errc() || end != value.data() + value.size()) {
      error = RestboxErrorResponse(400, "limit must be a non-negative integer (0 = everything)");
      return std::nullopt;
    }
  }
  return limit;
}

core::HttpResponse GetJournal(AdminCall& c) {
  core::HttpResponse error;
  auto limit_param = LimitParam(c, error);
  if (!limit_param) return error;
  const std::size_t limit = *limit_param;
  Json entries = Json::array();
  for (const auto& e : c.server.Journal(limit)) entries.push_back(ToJson(e));
  return JsonResponse(200, entries);
}

core::HttpResponse ClearJournalAnswer(AdminCall& c) {
  c.server.ClearJournal();
  return Ok();
}

core::HttpResponse GetProblems(AdminCall& c) {
  core::HttpResponse error;
  auto limit = LimitParam(c, error);
  if (!limit) return error;
  ProblemLog log = c.server.Problems(*limit);
  Json exchanges = Json::array();
  for (const auto& e : log.entries) exchanges.push_back(ProblemJson(e));
  return JsonResponse(200, {{"checked", log.checked},
                            {"with_problems", log.with_problems},
                            {"exchanges", std::move(exchanges)}});
}

core::HttpResponse ClearProblemsAnswer(AdminCall& c) {
  c.server.ClearProblems();
  return Ok();
}

core::HttpResponse GetState(AdminCall& c) {
  return JsonResponse(200, c.server.State());
}

// A limiter key as the admin API shows it: "<service>:<...>:<id>". The last segment is a
// credential for some services (chikage's API key, inventory's key) and an identifier for others
// (an account's e-mail, findhelper's short key id); long segments that are not e-mail addresses
// are masked like any secret, so the answer can be shown or logged as it is.
std::string DisplayLimiterKey(const std::string& key) {
  std::size_t cut = key.rfind(':');
  std::string_view last =
      cut == std::string::npos ? std::string_view(key) : std::string_view(key).substr(cut + 1);
  if (last.size() < 12 || last.find('@') != std::string_view::npos) return key;
  return key.substr(0, key.size() - last.size()) + core::MaskSecret(last);
}

core::HttpResponse GetLimits(AdminCall& c) {
  const core::TimePoint now = c.server.Now();
  Json keys = Json::array();
  for (const auto& key : c.server.limiter().Keys()) {
    Json windows = Json::array();
    for (const auto& w : c.server.limiter().Snapshot(key, now)) {
      windows.push_back({{"name", w.name},
                         {"limit", w.limit},
                         {"used", w.used},
                         {"window_start", core::FormatIso8601(w.window_start)},
                         {"resets_at", core::FormatIso8601(w.resets_at)}});
    }
    std::size_t colon = key.find(':');
    keys.push_back({{"key", DisplayLimiterKey(key)},
                    {"service", colon == std::string::npos ? std::string() : key.substr(0, colon)},
                    {"windows", std::move(windows)}});
  }
  return JsonResponse(200, {{"enabled", c.server.limits_enabled()},
                            {"now", core::FormatIso8601(now)},
                            {"keys", std::move(keys)}});
}

Json ConfigJson(const AdminSurface& server) {
  return {{"latency_ms", server.latency().count()}, {"limits_enabled", server.limits_enabled()}};
}

core::HttpResponse GetConfig(AdminCall& c) {
  return JsonResponse(200, ConfigJson(c.server));
}

core::HttpResponse PostConfig(AdminCall& c) {
  core::HttpResponse error;
  auto body = BodyObject(c.request, error);
  if (!body) return error;
  // Everything is checked before anything is applied.
  std::optional<core::Duration> latency;
  std::optional<bool> limits;
  for (auto it = body->begin(); it != body->end(); ++it) {
    if (it.key() == "latency_ms") {
      const double ms = it->is_number() ? it->get<double>() : -1;
      if (!std::isfinite(ms) || ms < 0 || ms > 600'000) {
        return ProblemResponse(
            400, BadValue("latency_ms",
                          "milliseconds added to every answer, a number from 0 to 600000", *it));
      }
      latency = core::Duration(static_cast<std::int64_t>(std::llround(ms)));
    } else if (it.key() == "limits_enabled") {
      if (!it->is_boolean())
        return ProblemResponse(400, BadValue("limits_enabled", "true or false", *it));
      limits = it->get<bool>();
    } else {
      return ProblemResponse(400, UnknownName("setting", "settings", it.key(), " in config",
                                              {"latency_ms", "limits_enabled"}, it.key()));
    }
  }
  if (latency) c.server.set_latency(*latency);
  if (limits) c.server.set_limits_enabled(*limits);
  return JsonResponse(200, ConfigJson(c.server));
}

core::HttpResponse GetOpenApi(AdminCall& c) {
  std::string file = c.Param("file");
  constexpr std::string_view kSuffix = ".json";
  std::string service =
      file.ends_with(kSuffix) ? file.substr(0, file.size() - kSuffix.size()) : std::string();
  auto doc = service.empty() ? std::nullopt
                             : OpenApiDocument(c.server, service, ServerUrl(c.request, c.url));
  if (!doc)
    return RestboxErrorResponse(
        404, "no OpenAPI document '" + file + "' (use /__restbox/openapi/<service>.json)");
  return JsonResponse(200, *doc);
}

// ---- named snapshots (AdminSurface::SaveSnapshot...) ----
Json ToJson(const SnapshotInfo& info) {
  return {{"name", info.name}, {"created_at", info.created_at}, {"bytes", info.bytes}};
}

core::HttpResponse ListSnapshots(AdminCall& c) {
  Json out = Json::array();
  for (const auto& info : c.server.Snapshots()) out.push_back(ToJson(info));
  return JsonResponse(200, out);
}

core::HttpResponse SaveSnapshotAnswer(AdminCall& c) {
  core::HttpResponse error;
  auto body = BodyObject(c.request, error);
  if (!body) return error;
  static const std::vector<std::string> kFields = {"name"};
  for (auto it = body->begin(); it != body->end(); ++it) {
    if (it.key() != "name")
      return ProblemResponse(
          400, UnknownName("field", "fields", it.key(), " in snapshot", kFields, it.key()));
  }
  const std::string expected = "1 to 64 letters, digits, '.', '_' or '-'";
  auto name = body->find("name");
  if (name == body->end())
    return ProblemResponse(400,
                           {"give the snapshot a \"name\": " + expected, "name", {}, expected});
  if (!name->is_string()) return ProblemResponse(400, BadValue("name", expected, *name));
  SnapshotInfo info;
  if (auto problem = c.server.SaveSnapshot(name->get<std::string>(), &info))
    return ProblemResponse(400, *problem);
  return JsonResponse(201, ToJson(info));
}

core::HttpResponse RestoreSnapshotAnswer(AdminCall& c) {
  // No members: a body, if any, is {} (a typo'd option is refused, never ignored).
  if (!c.request.body.empty()) {
    core::HttpResponse error;
    auto body = BodyObject(c.request, error);
    if (!body) return error;
    if (!body->empty())
      return ProblemResponse(400, UnknownName("field", "fields", body->begin().key(),
                                              " in snapshot restore", {}, body->begin().key()));
  }
  const std::string name = c.Param("name");
  bool found = false;
  if (auto failed = c.server.RestoreSnapshot(name, &found))
    return RestboxErrorResponse(found ? 500 : 404, *failed);
  return JsonResponse(
      200, {{"ok", true}, {"restored", name}, {"now", core::FormatIso8601(c.server.Now())}});
}

core::HttpResponse DeleteSnapshotAnswer(AdminCall& c) {
  const std::string name = c.Param("name");
  if (!c.server.DeleteSnapshot(name))
    return RestboxErrorResponse(404, "no snapshot named \"" + name + "\"");
  return Ok();
}

struct AdminRoute {
  Method method;
  const char* path;
  AdminFn fn;
};

constexpr AdminRoute kRoutes[] = {
    {Method::kGet, "/__restbox/health", Health},
    {Method::kGet, "/__restbox/fixtures", FixturesAnswer},
    {Method::kGet, "/__restbox/settings/{service}", GetSettings},
    {Method::kPost, "/__restbox/settings/{service}", PostSettings},
    {Method::kPost, "/__restbox/reset", ResetAnswer},
    {Method::kGet, "/__restbox/faults", ListFaults},
    {Method::kPost, "/__restbox/faults", AddFaultAnswer},
    {Method::kDelete, "/__restbox/faults", ClearFaultsAnswer},
    {Method::kDelete, "/__restbox/faults/{id}", RemoveFaultAnswer},
    {Method::kGet, "/__restbox/clock", GetClock},
    {Method::kPost, "/__restbox/clock/advance", AdvanceClockAnswer},
    {Method::kGet, "/__restbox/journal", GetJournal},
    {Method::kDelete, "/__restbox/journal", ClearJournalAnswer},
    {Method::kGet, "/__restbox/problems", GetProblems},
    {Method::kDelete, "/__restbox/problems", ClearProblemsAnswer},
    {Method::kGet, "/__restbox/state", GetState},
    {Method::kGet, "/__restbox/openapi/{file}", GetOpenApi},
    {Method::kGet, "/__restbox/limits", GetLimits},
    {Method::kGet, "/__restbox/config", GetConfig},
    {Method::kPost, "/__restbox/config", PostConfig},
    {Method::kGet, "/__restbox/snapshots", ListSnapshots},
    {Method::kPost, "/__restbox/snapshots", SaveSnapshotAnswer},
    {Method::kPost, "/__restbox/snapshots/{name}/restore", RestoreSnapshotAnswer},
    {Method::kDelete, "/__restbox/snapshots/{name}", DeleteSnapshotAnswer},
};

// The admin API's route table: kRoutes with their split paths, matched by the same rules as the
// services' routes (FindPath: literal segments, placeholders, HEAD by GET, 405 with Allow), built
// once.
class AdminApi final {
 public:
  static const AdminApi& Instance() {
    static const AdminApi api;
    return api;
  }

  core::HttpResponse Handle(AdminSurface& server, const core::HttpRequest& request,
                            const core::UrlParts& url) const {
    PathMatch<Entry> match = FindPath(entries_, request.method, url.path);
    if (!match.route) {
      const std::string allow = AllowedMethods(match);
      std::string target = std::string(core::ToString(request.method)) + " " + url.path;
      if (allow.empty()) return RestboxErrorResponse(404, "no admin route " + target);
      auto r = RestboxErrorResponse(405, target + " is not allowed; allowed: " + allow);
      r.headers.Set("Allow", allow);
      return r;
    }
    AdminCall call{server, request, url, match.params};
    return match.route->fn(call);
  }

 private:
  struct Entry {
    Method method;
    std::vector<std::string> segments;
    AdminFn fn;
  };

  AdminApi() {
    for (const auto& r : kRoutes) entries_.push_back({r.method, SplitPath(r.path), r.fn});
  }

  std::vector<Entry> entries_;
};

}  // namespace

bool IsAdminPath(std::string_view path) {
  return path.starts_with(kAdminPrefix) || path == kAdminPrefix.substr(0, kAdminPrefix.size() - 1);
}

core::HttpResponse RestboxErrorResponse(int status, const std::string& message,
                                        const core::Json& extra) {
  Json body = {{"restbox_error", message}};
  if (extra.is_object()) body.update(extra);
  auto r = JsonResponse(status, body);
  r.headers.Set("X-Restbox-Error", "1");
  return r;
}

core::HttpResponse HandleAdmin(AdminSurface& server, const core::HttpRequest& request,
                               const core::UrlParts& url) {
  core::HttpResponse response;
  try {
    response = AdminApi::Instance().Handle(server, request, url);
  } catch (const std::exception& e) {
    response = RestboxErrorResponse(500, std::string("restbox-mock admin error: ") + e.what());
  }
  // Admin answers describe live state: never let a browser or proxy reuse them.
  response.headers.Set("Cache-Control", "no-store");
  return response;
}

std::optional<core::Json> OpenApiDocument(AdminSurface& server, std::string_view service,
                                          const std::string& server_url) {
  const ServiceModule* module = server.FindService(service);
  if (!module) return std::nullopt;
  OpenApiOptions options;
  options.server_url = server_url;
  options.error_example = [module](const core::EndpointSpec&, const core::StatusSpec& row) {
    return module->ErrorResponse(row.status, row.code, row.trigger).body;
  };
  return ExportOpenApi(module->Spec(), options);
}

}  // namespace restbox::mock
