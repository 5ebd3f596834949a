#pragma once
// DynamicClient: one client for any service of the registry, driven by its endpoint table instead
// of typed models. The JavaScript API (wasm/) and the test console use it to call endpoints that
// are chosen at run time; typed applications should prefer the per-service clients.
//
//   restbox::services::DynamicClientOptions o;
//   o.transport = ...;                       // in-process mock, curl, fetch...
//   o.credentials.key = "tm_test_…";
//   auto client = restbox::services::DynamicClient::ForService("chikage", o);
//   client->Call("create", DynamicRequest::FromParams(*client->spec().Find("create"),
//                                                     {{"slug", "orders"}, {"order_id", "A-1"}}))
//       .Then([](restbox::core::Result<restbox::core::Json> r) { ... });
//
// Every call goes through ServiceClient::Call, the one call path of every client: credentials
// applied per the service's AuthScheme, the pre-send check, request ids, retries with backoff
// (and the service's own busy rule, e.g. market's code 1003), the client-side rate limiter,
// timeouts, cancellation and secret masking, then the service's one response interpreter
// (ServiceSpec::interpret): a documented success gives the response data as JSON (envelope
// unwrapped); anything else the service's typed Error (same kinds, codes and details as its typed
// client). It differs from a typed client only in giving JSON instead of models.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "restbox/core/client.hpp"
#include "restbox/core/future.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/services/registry.hpp"

namespace restbox::services {

// The credential of a DynamicClient, applied per the service's core::AuthScheme by the one call
// path (see core::Credentials).
using Credentials = core::Credentials;

struct DynamicClientOptions : core::ClientOptions {
  Credentials credentials;
};

// One call, with values already split by where they go.
struct DynamicRequest {
  std::vector<std::pair<std::string, std::string>> path;  // values for the {placeholders}
  core::QueryParams query;
  core::Headers headers;           // extra headers (e.g. "Prefer: code=503" against the mock)
  std::optional<core::Json> body;  // serialised as application/json; nullopt = no body
  // Sent as is instead of `body` (e.g. invalid JSON to reach a 400). Credentials are not injected
  // into a raw body, and client-side validation does not look at it.
  std::optional<std::string> raw_body;
  core::Context context;  // cancellation, timeout, deadline, idempotency override

  // Splits a flat JSON object of parameters by the endpoint's field table:
  // - the members "path", "query" and "headers" (objects) and "body" (any JSON) are taken as
  //   given, unless the endpoint has a field of that name;
  // - a member named like a field goes where the field lives (path, query, header or body);
  // - any other member goes to the body for POST, PUT and PATCH, to the query otherwise.
  // Values bound for the path, query or headers are converted to text: strings as they are,
  // arrays as comma-separated items, other JSON as its serialisation; nulls are skipped.
  // A non-object `params` gives an empty request.
  static DynamicRequest FromParams(const core::EndpointSpec& endpoint, const core::Json& params);
};

class DynamicClient final : public core::ServiceClient {
 public:
  DynamicClient(const ServiceEntry& service, DynamicClientOptions options);

  // A client for the registry's service `id`, or nullptr when this build has no such service.
  static std::unique_ptr<DynamicClient> ForService(std::string_view id,
                                                   DynamicClientOptions options);

  // Calls endpoint `endpoint_id` of the service. The Result carries the response data (or the
  // service's Error) and ResponseMeta (status, headers, request id, the attempt timeline).
  // Errors raised before sending: kInvalidArgument for an unknown endpoint id; kClientValidation
  // (when options().client_validation) for a missing path value, a body/query field that breaks
  // the endpoint table (core::ValidateRequest) or the service's own rules
  // (ServiceSpec::check_request), as the service's typed client refuses them (same code, message
  // and one FieldError per problem).
  core::Future<core::Json> Call(std::string_view endpoint_id, DynamicRequest request);

  // The problems client-side validation finds in `request` once this client's credentials are
  // applied: exactly what Call refuses with kClientValidation when options().client_validation is
  // on (whatever that option says), without sending: that error's details, or one problem on
  // "request" with its message when it has none. Empty when the request would be sent. An
  // unknown endpoint gives one problem on "endpoint". Editors use it for live validation.
  std::vector<core::FieldError> Check(std::string_view endpoint_id, DynamicRequest request) const;

  // credentials() and set_credentials() are ServiceClient's.

 private:
  // The CallSpec that Call sends (credentials are applied by ServiceClient::Call).
  static core::CallSpec Prepare(const core::EndpointSpec& endpoint, DynamicRequest request);
};

// ---- JSON views for user interfaces (JavaScript API, console, exports) ----

// The endpoint table of a service as plain JSON: {id, title, description, auth ("bearer",
// "body_token", "key_and_secret"), defaultBaseUrl, endpoints: [{id, method, path, summary, success,
// errors: [{status, code, trigger}], fields: [{name, in, type, required, description, minimum,
// maximum, minLength, maxLength, enum, default, example, format}], idempotent, exampleRequest,
// exampleResponse}]}. Optional members are omitted when unset; default/example/exampleRequest/
// exampleResponse are parsed JSON when the table's text is valid JSON, the text otherwise.
core::Json DescribeService(const core::ServiceSpec& spec);

std::string_view ToString(core::AuthScheme scheme);

// A call's outcome as plain JSON:
//   success: {ok: true, status, data, headers: {name: value}, requestId, attempts: [...]}
//   failure: {ok: false, status, error: {kind, status, code, message, details: [{field, message}],
//             retryAfter (seconds, when known), requestId, rawBody}, headers, requestId, attempts}
// attempts: [{number, status, elapsedMs, transportError (kind, when the transport failed), note,
// delayMs}]. Header names keep the spelling received; repeated headers are joined with ", ".
core::Json ToJson(const core::Result<core::Json>& result);
core::Json ToJson(const core::Error& error);

}  // namespace restbox::services
