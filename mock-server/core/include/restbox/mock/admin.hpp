#pragma once
// The mock's admin API: every request whose path is under /__restbox/ (health, fixtures, settings,
// reset, faults, clock, journal, state, OpenAPI export). MockServer::Process answers it before any
// service route, so it works in-process, in wasm and over HTTP alike. The admin API knows the
// engine only as an AdminSurface (below), which MockServer implements: the engine depends on the
// admin API, never the other way round. Admin requests need no
// credentials, are not journaled, and never get faults or Prefer applied.
//
// | method | path                              | answer                                           |
// |--------|-----------------------------------|--------------------------------------------------|
// | GET    | /__restbox/health                 | 200 {"ok":true,"services":[...],"now":"<iso>"}   |
// | GET    | /__restbox/fixtures               | 200 MockServer::Fixtures()                       |
// | GET    | /__restbox/settings/{service}     | 200 settings; 404 unknown service                |
// | POST   | /__restbox/settings/{service}     | 200 new settings; 400 bad patch (nothing applied)|
// | POST   | /__restbox/reset                  | 200 {"ok":true}                                  |
// | GET    | /__restbox/faults                 | 200 [rule...]                                    |
// | POST   | /__restbox/faults                 | 201 rule with its id; 400 invalid (checked by    |
// |        |                                   |  ParseFaultRule and MockServer::CheckFault)      |
// | DELETE | /__restbox/faults                 | 200 {"ok":true}                                  |
// | DELETE | /__restbox/faults/{id}            | 200 {"ok":true}; 404 unknown id                  |
// | GET    | /__restbox/clock                  | 200 {"now":"<iso>"}                              |
// | POST   | /__restbox/clock/advance          | {"seconds":N} or {"ms":N}, N >= 0: 200 {"now"}   |
// | GET    | /__restbox/journal?limit=N        | 200 [entry...] newest last                       |
// | DELETE | /__restbox/journal                | 200 {"ok":true}                                  |
// | GET    | /__restbox/problems?limit=N       | 200 {"checked","with_problems","exchanges":[...]}|
// |        |                                   |  (restbox-mock --proxy: exchanges that differ    |
// |        |                                   |  from the contract, newest last)                 |
// | DELETE | /__restbox/problems               | 200 {"ok":true}                                  |
// | GET    | /__restbox/state                  | 200 MockServer::State()                          |
// | GET    | /__restbox/limits                 | 200 {"enabled","now","keys":[{"key","service",   |
// |        |                                   |  "windows":[{name,limit,used,window_start,       |
// |        |                                   |  resets_at}]}]} (credentials in keys masked)     |
// | GET    | /__restbox/config                 | 200 {"latency_ms":N,"limits_enabled":bool}       |
// | POST   | /__restbox/config                 | patch of those members: 200 new config; 400 bad  |
// |        |                                   | patch (nothing applied)                          |
// | GET    | /__restbox/openapi/{service}.json | 200 OpenAPI 3.0.3 document; 404 unknown service  |
// | GET    | /__restbox/snapshots              | 200 [{"name","created_at","bytes"}...]           |
// | POST   | /__restbox/snapshots              | {"name":"..."}: 201 its info (same name replaced)|
// | POST   | /__restbox/snapshots/{name}/restore | 200 {"ok","restored","now"}; 404 unknown name  |
// | DELETE | /__restbox/snapshots/{name}       | 200 {"ok":true}; 404 unknown name                |
// Anything else under /__restbox/ answers 404, or 405 with Allow for a known path. HEAD is answered
// wherever GET is (the GET's status and headers, Content-Length of its body, no body). Errors are
// {"restbox_error":"<message>"} with the header X-Restbox-Error: 1. A refused input (fault rule,
// settings or config patch, clock step) is never partly applied, and its 400 also carries
// "field" (the member at fault) and "valid" (the accepted names) or "expected" (in words): see
// input_problem.hpp and mock-server/README.md.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/rate_limiter.hpp"
#include "restbox/core/url.hpp"
#include "restbox/mock/faults.hpp"
#include "restbox/mock/input_problem.hpp"
#include "restbox/mock/journal.hpp"
#include "restbox/mock/service_module.hpp"
#include "restbox/mock/state_store.hpp"

namespace restbox::mock {

// What the admin API reads and changes of the engine: MockServer implements it, and its
// documentation is MockServer's (mock_server.hpp).
class AdminSurface {
 public:
  virtual ~AdminSurface() = default;

  virtual ServiceModule* FindService(std::string_view id) = 0;
  virtual std::vector<std::string> ServiceIds() const = 0;

  virtual void Reset() = 0;
  virtual core::Json Fixtures() const = 0;
  virtual std::optional<core::Json> Settings(std::string_view service) const = 0;
  virtual std::optional<InputProblem> PatchSettings(std::string_view service,
                                                    const core::Json& patch) = 0;
  virtual core::Json State() const = 0;

  virtual std::optional<InputProblem> SaveSnapshot(const std::string& name,
                                                   SnapshotInfo* info = nullptr) = 0;
  virtual std::vector<SnapshotInfo> Snapshots() const = 0;
  virtual std::optional<std::string> RestoreSnapshot(const std::string& name,
                                                     bool* found = nullptr) = 0;
  virtual bool DeleteSnapshot(const std::string& name) = 0;

  virtual std::optional<InputProblem> CheckFault(const FaultRule& rule) const = 0;
  virtual std::uint64_t AddFault(FaultRule rule) = 0;
  virtual bool RemoveFault(std::uint64_t id) = 0;
  virtual void ClearFaults() = 0;
  virtual std::vector<FaultRule> Faults() const = 0;

  virtual void AdvanceClock(core::Duration by) = 0;
  virtual core::TimePoint Now() const = 0;

  virtual std::vector<JournalEntry> Journal(std::size_t limit = 0) const = 0;
  virtual void ClearJournal() = 0;
  virtual ProblemLog Problems(std::size_t limit = 0) const = 0;
  virtual void ClearProblems() = 0;

  virtual core::RateLimiter& limiter() = 0;
  virtual void set_latency(core::Duration latency) = 0;
  virtual void set_limits_enabled(bool enabled) = 0;
  virtual core::Duration latency() const = 0;
  virtual bool limits_enabled() const = 0;
};

inline constexpr std::string_view kAdminPrefix = "/__restbox/";

// True for "/__restbox" and every path below "/__restbox/" (`path` without query, still encoded).
bool IsAdminPath(std::string_view path);

// Answers one admin request; `url` is the request's parsed URL. Never throws.
core::HttpResponse HandleAdmin(AdminSurface& server, const core::HttpRequest& request,
                               const core::UrlParts& url);

// The mock's own error shape, used for everything that is not a service's documented answer:
// {"restbox_error": message, ...extra members} with X-Restbox-Error: 1.
core::HttpResponse RestboxErrorResponse(int status, const std::string& message,
                                        const core::Json& extra = {});

// The OpenAPI document of one mocked service, as served at /__restbox/openapi/{service}.json:
// error responses carry the service's real error bodies as examples. `server_url` goes to
// servers[0] ("" = the real service's base URL). Nullopt for an unknown service.
std::optional<core::Json> OpenApiDocument(AdminSurface& server, std::string_view service,
                                          const std::string& server_url = {});

}  // namespace restbox::mock
