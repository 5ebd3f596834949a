#pragma once
// What a mocked API plugs into the MockServer: its routes and handlers, its state and fixtures,
// its admin-switchable settings, and the documented error body for any status (used by forced
// statuses and injected faults).

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/rate_limiter.hpp"
#include "restbox/mock/router.hpp"
#include "restbox/mock/state_store.hpp"

namespace restbox::mock {

class MockServer;

// A request as a handler sees it.
struct MockRequest {
  core::HttpRequest http;
  std::string path;  // raw path, no query
  core::QueryParams query;
  std::map<std::string, std::string> params;  // decoded path placeholders
  const core::EndpointSpec* endpoint = nullptr;
  std::string service;
  core::TimePoint now;

  std::string Param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  }
  std::optional<std::string> QueryValue(std::string_view name) const;
};

// An outgoing webhook delivery (chikage). Delivered by the server's WebhookSender.
struct WebhookRequest {
  std::string url;
  core::Headers headers;
  std::string body;
};

// True for a header name a caller may have a webhook carry its credential in
// (X-Webhook-Auth-Header): 1 to 64 token characters (RFC 9110: letters, digits and
// !#$%&'*+-.^_`|~), and none of the names that frame or route the message: Host, Content-Length,
// Content-Type, Transfer-Encoding, Connection, Keep-Alive, Upgrade, TE, Trailer, Expect, Proxy-*.
bool IsSafeWebhookHeaderName(std::string_view name);
// Why IsSafeWebhookHeaderName refuses names, in words (the 400's field message).
inline constexpr std::string_view kWebhookHeaderNameRule =
    "must be a header name of 1 to 64 letters, digits or !#$%&'*+-.^_`|~, and not Host, "
    "Content-Length, Content-Type, Transfer-Encoding, Connection, Keep-Alive, Upgrade, TE, "
    "Trailer, Expect or Proxy-*";

// Services reach shared facilities through this (clock, limiter, rng, webhooks).
class MockContext {
 public:
  virtual ~MockContext() = default;
  virtual core::TimePoint Now() const = 0;
  virtual core::RateLimiter& limiter() = 0;
  virtual bool limits_enabled() const = 0;
  virtual std::mt19937_64& rng() = 0;
  // Queues a webhook POST; `done(status)` is called later with the receiver's status (0 = no
  // connection / failure), under the server's lock like a handler.
  virtual void SendWebhook(WebhookRequest request, std::function<void(int status)> done) = 0;
  // Why the server's WebhookSender will not deliver to `url` (restbox-mock: a destination that is
  // not loopback, or a name that does not resolve), or nullopt. URLs the service's WebhookUrls()
  // named for the request being handled were vetted before the lock was taken; others are
  // vetted now. Handlers answer a refusal with their documented 400.
  virtual std::optional<std::string> WebhookRefusal(const std::string& url) = 0;
  // True when the server keeps its state in a StateStore (restbox-mock --state): modules with
  // ServiceModule::HasRows() then report each change of their state with RowChanged, and the
  // server commits them before the answer of the request that made them leaves.
  virtual bool durable() const { return false; }
  // The row (this service, `collection`, `key`) now holds `value` (JSON text), or is gone
  // (nullopt). Calls without a store are ignored.
  // By value: the overrides take them over. NOLINTBEGIN(performance-unnecessary-value-param)
  virtual void RowChanged(std::string_view /*collection*/, std::string key,
                          std::optional<std::string> value) {
    (void)key;
    (void)value;
  }
  // NOLINTEND(performance-unnecessary-value-param)
};

class ServiceModule {
 public:
  virtual ~ServiceModule() = default;
  virtual const core::ServiceSpec& Spec() const = 0;
  // Called once when added to a server.
  virtual void Register(Router& router, MockContext& context) = 0;
  // Restores the seeded demo data (fixtures), deterministic for a given seed.
  virtual void Reset(std::uint64_t seed) = 0;
  // The roles of API-CONTRACT "Fixtures" for this service.
  virtual core::Json Fixtures() const = 0;
  // Admin-switchable settings (name -> value).
  virtual core::Json Settings() const = 0;
  // Applies a partial settings object. Returns an error message for unknown names / bad types.
  virtual std::optional<std::string> ApplySettings(const core::Json& patch) = 0;
  // Browsable state (records, templates, jobs...) and its persistence (--state FILE).
  virtual core::Json SaveState() const = 0;
  virtual std::optional<std::string> LoadState(const core::Json& state) = 0;
  // SaveState() with what the browsable view leaves out (credentials a caller gave, such as a
  // webhook's auth value): what exports and snapshots hold. Default: SaveState().
  virtual core::Json SaveWorld() const { return SaveState(); }
  // Durable state record by record (state_store.hpp). A module that returns true reports every
  // change through MockContext::RowChanged, lists all its rows in Rows() (same service id in
  // each) and rebuilds itself from them in LoadRows. Other modules are stored as one row holding
  // SaveState(), rewritten after each request to them that is not a GET or HEAD and after every
  // admin change: fine for small states, a cost proportional to the module's state otherwise.
  virtual bool HasRows() const { return false; }
  virtual std::vector<StateRow> Rows() const { return {}; }
  virtual std::optional<std::string> LoadRows(const std::vector<StateRow>& /*rows*/) {
    return "this service keeps no rows";
  }
  // The service's documented error body for `status` (and `code` where the service has codes).
  virtual core::HttpResponse ErrorResponse(int status, const std::string& code,
                                           const std::string& message) const = 0;
  // Time-driven work (queues, share expiry, webhook retries). Called before each request and
  // whenever the clock is advanced.
  virtual void Tick(core::TimePoint /*now*/) {}
  // The earliest time after which Tick() has work to do (a queued write, a webhook retry, an
  // expiry), or nullopt for none. MockServer::AdvanceClock jumps from one such time to the next
  // instead of ticking through every second. Called under the server's lock.
  virtual std::optional<core::TimePoint> NextDue() const { return std::nullopt; }
  // The webhook callback URLs `request` names (chikage: X-Webhook-Callback), if it may be one of
  // this service's. MockServer::Process has the WebhookSender vet them before it takes its lock
  // (vetting may resolve names); the handler reads the verdict with
  // MockContext::WebhookRefusal. Must only read `request`, never the service's state.
  virtual std::vector<std::string> WebhookUrls(const core::HttpRequest& /*request*/) const {
    return {};
  }
  // True when `path` belongs to this service (decides the error shape for unknown routes).
  virtual bool OwnsPath(std::string_view path) const = 0;
};

// Helpers for handlers. The answer carries `body` serialised; given a temporary, it also carries
// the value itself (HttpResponse::json), so that an in-process client reads it without parsing.
core::HttpResponse JsonResponse(int status, const core::Json& body);
core::HttpResponse JsonResponse(int status, core::Json&& body);

}  // namespace restbox::mock
