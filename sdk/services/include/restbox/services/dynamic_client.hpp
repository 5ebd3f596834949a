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
// Every call goes through core::ServiceClient and its Pipeline, so request ids, retries with
// backoff, the client-side rate limiter, timeouts, cancellation and secret masking all apply as for
// a typed client. The answer is interpreted by the service's own InterpretResponse (the registry's
// entry): a documented success gives the response data as JSON; anything else the service's
// typed Error (same kinds, codes and details as its typed client).

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

// A credential, applied per the service's core::AuthScheme:
// - kBearer:       "Authorization: Bearer <key>";
// - kBodyToken:    the "api_token" member of the JSON body (added when the body is an object or
//                  absent; a raw body is sent untouched);
// - kKeyAndSecret: "X-API-Key: <key>" and "X-API-Secret: <secret>".
// Headers or an api_token the request already carries win over these (to test other keys). Empty
// values send nothing (to test the "missing credential" answers). The key is also the client-side
// rate-limit key, and both values are redacted from logs and error messages.
struct Credentials {
  std::string key;     // Bearer key, api_token or X-API-Key. Default "": none.
  std::string secret;  // X-API-Secret (kKeyAndSecret only). Default "": none.
};

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
  // (when options().client_validation) for a missing path value or a body/query field that breaks
  // the endpoint table (core::ValidateRequest), with one FieldError per problem.
  core::Future<core::Json> Call(std::string_view endpoint_id, DynamicRequest request);

  // The problems client-side validation finds in `request` once this client's credentials are
  // applied: exactly what Call refuses with kClientValidation when options().client_validation is
  // on (whatever that option says), without sending. Empty when the request would be sent. An
  // unknown endpoint gives one problem on "endpoint". Editors use it for live validation.
  std::vector<core::FieldError> Check(std::string_view endpoint_id, DynamicRequest request) const;

  const Credentials& credentials() const { return credentials_; }
  // Replaces the credential for later calls (calls under way keep theirs).
  void set_credentials(Credentials credentials) { credentials_ = std::move(credentials); }

 private:
  // The CallSpec that Call sends: credentials applied, secrets and rate key set.
  core::CallSpec Prepare(const core::EndpointSpec& endpoint, DynamicRequest request) const;
  // Missing path values and the endpoint table's field checks for a prepared call.
  std::vector<core::FieldError> Problems(const core::CallSpec& call) const;

  Interpreter interpret_;
  Credentials credentials_;
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
