#pragma once
// The mock's admin API: every request whose path is under /__restbox/ (health, fixtures, settings,
// reset, faults, clock, journal, state, OpenAPI export). MockServer::Process answers it before any
// service route, so it works in-process, in wasm and over HTTP alike. Admin requests need no
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

#include <optional>
#include <string>
#include <string_view>

#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/url.hpp"

namespace restbox::mock {

class MockServer;

inline constexpr std::string_view kAdminPrefix = "/__restbox/";

// True for "/__restbox" and every path below "/__restbox/" (`path` without query, still encoded).
bool IsAdminPath(std::string_view path);

// Answers one admin request; `url` is the request's parsed URL. Never throws.
core::HttpResponse HandleAdmin(MockServer& server, const core::HttpRequest& request,
                               const core::UrlParts& url);

// The mock's own error shape, used for everything that is not a service's documented answer:
// {"restbox_error": message, ...extra members} with X-Restbox-Error: 1.
core::HttpResponse RestboxErrorResponse(int status, const std::string& message,
                                        const core::Json& extra = {});

// The OpenAPI document of one mocked service, as served at /__restbox/openapi/{service}.json:
// error responses carry the service's real error bodies as examples. `server_url` goes to
// servers[0] ("" = the real service's base URL). Nullopt for an unknown service.
std::optional<core::Json> OpenApiDocument(MockServer& server, std::string_view service,
                                          const std::string& server_url = {});

}  // namespace restbox::mock
