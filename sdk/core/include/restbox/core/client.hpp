#pragma once
// ServiceClient: what every client of the SDK is built on, typed (chikage::Client...) or generic
// (services::DynamicClient, behind the JavaScript API and the console). It has ONE call path,
// Call(): a call description (endpoint from the table, path values, query, body) gets the
// client's credentials applied per the service table's AuthScheme, passes the pre-send check
// (the table's field checks, then the service's ServiceSpec::check_request), becomes an
// HttpRequest, runs through the Pipeline (request id, retries including the service's own
// ServiceSpec::retry_if, client-side rate limit, timeout) and is finished by the service's one
// response interpreter (ServiceSpec::interpret) into data or the service's typed Error, with
// ResponseMeta and the Error's request id, status, attempts and retry-after filled. A typed
// client only adds the conversion of that JSON into its model, so whatever the service does
// (envelopes, service codes, busy retries) every client does alike.
//
// Lifetime of calls (every client of the SDK is built on this class, so the rule is the same for
// all of them):
// - A call owns what it needs until it completes: a copy of its request, the promise behind its
//   Future, and a shared_ptr to the client's Pipeline, which holds the policies, the clock, the
//   scheduler, the client-side rate limiter and a shared_ptr to the transport. Nothing in a call
//   points back at the client object.
// - So a client may be destroyed while its calls are under way: they are not cancelled, they
//   complete as if the client were still there, and each continuation runs with the real result.
//   The same holds for the composite calls of the typed clients (chikage WaitUntilApplied and
//   WaitUntilDeleted, wncms pagers, findhelper ListAllJobs): they work on a copy of the client.
// - Dropping your shared_ptr to the transport does not destroy it while a client or a call still
//   uses it: the transport lives until the last call that needs it has completed. Destroying a
//   Future does not cancel its call either; Cancel() does.
// - A transport destroyed with requests pending (only possible when you call Transport::Send
//   yourself, outside a client) completes them as documented by that transport: CurlTransport
//   with kCancelled ("the transport was destroyed"); the in-process transport hands each request
//   to the mock at once, so its destruction changes nothing for a pending request: the mock
//   (which a client's transport keeps alive) still answers it.
// - What does not wait for calls: the process. Natively, returning from main() with calls under
//   way ends them without their answer; wait for them (Future::Get(), Future::Wait()).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/future.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/pipeline.hpp"
#include "restbox/core/url.hpp"
#include "restbox/core/validation.hpp"

namespace restbox::core {

struct ClientOptions : PipelineOptions {
  // Where requests go: an absolute http:// or https:// URL (scheme in any case, a host, optional
  // port and path prefix). Default "": the service's documented base URL. For the in-process mock
  // any such base works; "http://mock" reads well in logs. Anything else ("api.example.com",
  // "ftp://...", "/relative") makes every call fail at once with kInvalidArgument, not_sent, and
  // a message naming the URL; ServiceClient::configuration_error() reports it at construction.
  std::string base_url;
  // Run the endpoint table's checks (and the service's own) before sending, and return
  // kClientValidation without sending when they fail. Switch off to test the server. Default on.
  bool client_validation = true;
};

// A credential, applied by ServiceClient::Call per the service table's core::AuthScheme:
// - kBearer:       "Authorization: Bearer <key>";
// - kBodyToken:    the "api_token" member of the JSON body (added when the body is an object or
//                  absent; a raw body is sent untouched);
// - kKeyAndSecret: "X-API-Key: <key>" and "X-API-Secret: <secret>".
// Headers or an api_token the call already carries win over these (to test other keys). Empty
// values send nothing (to test the "missing credential" answers). The key is also the client-side
// rate-limit key, and both values are redacted from logs and error messages.
struct Credentials {
  std::string key;     // Bearer key, api_token or X-API-Key. Default "": none.
  std::string secret;  // X-API-Secret (kKeyAndSecret only). Default "": none.
};

// Per-call options of every typed client (each service's `RequestOptions` is this type).
struct RequestOptions {
  Context context;  // timeout, cancellation, idempotency...
  Headers headers;  // extra headers (e.g. Prefer: code=429 against the mock)
};

struct CallSpec {
  const EndpointSpec* endpoint = nullptr;
  std::vector<std::pair<std::string, std::string>> path;  // values for {placeholders}
  QueryParams query;
  Headers headers;
  std::optional<Json> body;  // serialised as application/json
  // Sent as is (takes precedence over body). When both are given, `raw_body` must be the
  // serialisation of `body` (a client that needed the bytes before sending, to count them): the
  // value then goes along with them (HttpRequest::json) as it does for `body` alone.
  std::optional<std::string> raw_body;
  std::string rate_key;              // credential counted by the client-side limiter
  std::vector<std::string> secrets;  // redacted from logs and error messages
  Context context;
};

// Builds the service's error from a non-success response.
using ErrorParser = std::function<Error(const HttpResponse&)>;
// For a service's ServiceSpec::interpret, for APIs whose success body is JSON: a documented
// success gives the body decoded by `decode` (default: the whole body as JSON, ResponseJson,
// which reads an in-process answer's attached value without parsing); any other status gives
// `parse_error(response)`. A success body that does not decode is a kDecode error carrying the
// response's status.
Result<Json> InterpretJsonResponse(const EndpointSpec& endpoint, const HttpResponse& response,
                                   const ErrorParser& parse_error,
                                   Result<Json> (*decode)(const HttpResponse&) = &ResponseJson);

class ServiceClient {
 public:
  ServiceClient(const ServiceSpec& spec, ClientOptions options, Credentials credentials = {});
  virtual ~ServiceClient() = default;
  // A copy shares the pipeline (and so the transport, limiter and retry settings) of the
  // original; composite calls keep one so that they never point at a destroyed client.
  ServiceClient(const ServiceClient&) = default;
  ServiceClient& operator=(const ServiceClient&) = default;
  ServiceClient(ServiceClient&&) = default;
  ServiceClient& operator=(ServiceClient&&) = default;

  const ServiceSpec& spec() const { return *spec_; }
  const ClientOptions& options() const { return options_; }
  // Why every call of this client fails before sending (a base URL that is not http(s)), or
  // nullopt when the options are usable. Lets an application check its configuration at once.
  const std::optional<Error>& configuration_error() const { return configuration_error_; }
  Pipeline& pipeline() { return *pipeline_; }
  const EndpointSpec& Endpoint(std::string_view id) const;

  const Credentials& credentials() const { return credentials_; }
  // Replaces the credential for later calls (calls under way keep theirs).
  void set_credentials(Credentials credentials) { credentials_ = std::move(credentials); }

  // The raw exchange, for tests of the server: the call as given (no credentials, no checks),
  // any HTTP status a value. With a configuration_error() it completes at once with that error,
  // sending nothing.
  void Exchange(CallSpec call, std::function<void(Result<HttpResponse>)> done);

  // The call path. Credentials applied (ApplyCredentials); when options().client_validation,
  // Refusal() may end the call before sending with kClientValidation (not_sent); otherwise the
  // answer goes through the service's interpreter, and its data through `convert` (a typed
  // client's model; a conversion error is a kDecode error carrying the response's status and
  // body). `extra_problems` are the caller's own field problems (e.g. schemas it knows).
  template <typename T>
  Future<T> Call(CallSpec call, std::function<Result<T>(Json)> convert,
                 // Moved below (clang-tidy 14 misreads moves in templates as const uses).
                 // NOLINTNEXTLINE(performance-unnecessary-value-param)
                 std::vector<FieldError> extra_problems = {}) {
    Promise<T> promise(EnsureCancellation(call.context));
    auto future = promise.GetFuture();
    // Captures copies only: a call may outlive the client that started it.
    Run(std::move(call), std::move(extra_problems),
        [promise, convert = std::move(convert)](Result<Json> answer, const Ending& ending) {
          if (!answer.ok()) {
            promise.Set(Result<T>(std::move(answer.error()), std::move(answer.meta())));
            return;
          }
          Result<T> typed = convert(std::move(answer.value()));
          ResponseMeta meta = std::move(answer.meta());
          if (typed.ok()) {
            promise.Set(Result<T>(std::move(typed.value()), std::move(meta)));
            return;
          }
          Error error = ending.ConversionError(std::move(typed.error()), meta);
          promise.Set(Result<T>(std::move(error), std::move(meta)));
        });
    return future;
  }
  // The same, giving the interpreter's JSON as it is (the generic client).
  Future<Json> Call(CallSpec call, std::vector<FieldError> extra_problems = {});

  // What the pre-send check says of `call` as Call would send it (credentials applied; the
  // table's checks, a missing path value, `extra_problems`, then the service's check_request):
  // the kClientValidation error (not_sent, secrets redacted) Call would end with when
  // options().client_validation is on, or nullopt.
  std::optional<Error> Refusal(CallSpec call, std::vector<FieldError> extra_problems = {}) const;

 protected:
  // Applies credentials() to `call` per spec().auth, and sets its rate key and secrets.
  void ApplyCredentials(CallSpec& call) const;

 private:
  // How a typed conversion error is finished like any other error of the call.
  struct Ending {
    const HttpResponse* response;
    const std::vector<std::string>* secrets;
    Error ConversionError(Error error, ResponseMeta& meta) const;
  };
  using Completion = std::function<void(Result<Json>, const Ending&)>;
  void Run(CallSpec call, std::vector<FieldError> extra_problems, Completion done);
  std::optional<Error> CheckPrepared(const CallSpec& call,
                                     std::vector<FieldError> extra_problems) const;
  static std::shared_ptr<CancellationSource> EnsureCancellation(Context& context);
  // Fills request id, status, retry-after and the attempt count, and redacts secrets from the
  // message.
  static Error FinishError(Error error, const ResponseMeta& meta,
                           const std::vector<std::string>& secrets);
  // Copies the code and message of an error the service answered (not a transport failure, not
  // an undecodable body) into meta.service_code / service_message.
  static void KeepServiceFacts(const Error& error, ResponseMeta& meta);

  const ServiceSpec* spec_;
  ClientOptions options_;
  Credentials credentials_;
  std::shared_ptr<Pipeline> pipeline_;
  std::optional<Error> configuration_error_;
};

}  // namespace restbox::core
