#pragma once
// ServiceClient: what every typed client is built on. It turns a call description (endpoint from
// the table, path values, query, body) into an HttpRequest, runs it through the Pipeline, and
// decodes the outcome with the service's own decoder into Result<T>, filling ResponseMeta and the
// Error's request id, status and retry-after.
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
  std::optional<Json> body;             // serialised as application/json
  std::optional<std::string> raw_body;  // sent as is (takes precedence over body)
  std::string rate_key;                 // credential counted by the client-side limiter
  std::vector<std::string> secrets;     // redacted from logs and error messages
  Context context;
};

// Builds the service's error from a non-success response.
using ErrorParser = std::function<Error(const HttpResponse&)>;
// A service's InterpretResponse (the generic client's view of a response) for APIs whose success
// body is JSON: a documented success gives the body decoded by `decode` (default: the whole body
// as JSON); any other status gives `parse_error(response)`. A success body that does not decode is
// a kDecode error carrying the response's status.
Result<Json> InterpretJsonResponse(const EndpointSpec& endpoint, const HttpResponse& response,
                                   const ErrorParser& parse_error,
                                   Result<Json> (*decode)(std::string_view) = &ParseJson);

// Builds the error the server would give for these field problems (client-side validation).
using ValidationErrorFactory = std::function<Error(std::vector<FieldError>)>;

class ServiceClient {
 public:
  ServiceClient(const ServiceSpec& spec, ClientOptions options, ErrorParser parse_error,
                ValidationErrorFactory validation_error);
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

  // The raw exchange: any HTTP status is a value here. With a configuration_error() it completes
  // at once with that error, sending nothing.
  void Exchange(CallSpec call, std::function<void(Result<HttpResponse>)> done);

  // The typed call: success statuses (EndpointSpec::AcceptsAsSuccess: documented ones, and any
  // other 2xx no error row documents) go to `decode_success`; anything else to the
  // service's ErrorParser. `extra_checks` may add field errors (service-specific rules).
  template <typename T>
  Future<T> Call(CallSpec call, std::function<Result<T>(const HttpResponse&)> decode_success,
                 std::vector<FieldError> extra_checks = {}) {
    auto cancellation = call.context.cancellation;
    if (!cancellation) {
      cancellation = std::make_shared<CancellationSource>();
      call.context.cancellation = cancellation;
    }
    Promise<T> promise(cancellation);
    auto future = promise.GetFuture();
    if (options_.client_validation) {
      auto problems = Validate(call);
      problems.insert(problems.end(), extra_checks.begin(), extra_checks.end());
      if (!problems.empty()) {
        promise.Set(NotSent(validation_error_(std::move(problems))));
        return future;
      }
    }
    const EndpointSpec* endpoint = call.endpoint;
    auto secrets = call.secrets;
    // Captures copies only: a call may outlive the client that started it.
    Exchange(std::move(call), [promise, endpoint, decode_success, secrets,
                               parse_error = parse_error_](Result<HttpResponse> outcome) {
      ResponseMeta meta = outcome.meta();
      // Each error is finished before `meta` is moved into the Result: the order in which a
      // call's arguments are evaluated is unspecified, and FinishError reads `meta`.
      if (!outcome.ok()) {
        Error error = FinishError(outcome.error(), meta, secrets);
        promise.Set(Result<T>(std::move(error), std::move(meta)));
        return;
      }
      const HttpResponse& response = outcome.value();
      if (endpoint->AcceptsAsSuccess(response.status)) {
        Result<T> decoded = decode_success(response);
        if (decoded.ok()) {
          // A decoder reports what the service's envelope said in its Result's meta.
          meta.service_code = std::move(decoded.meta().service_code);
          meta.service_message = std::move(decoded.meta().service_message);
          promise.Set(Result<T>(std::move(decoded.value()), std::move(meta)));
        } else {
          Error error = decoded.error();
          if (error.raw_body.empty()) error.raw_body = response.body;
          if (error.http_status == 0) error.http_status = response.status;
          error = FinishError(std::move(error), meta, secrets);
          KeepServiceFacts(error, meta);
          promise.Set(Result<T>(std::move(error), std::move(meta)));
        }
        return;
      }
      Error error = FinishError(parse_error(response), meta, secrets);
      KeepServiceFacts(error, meta);
      promise.Set(Result<T>(std::move(error), std::move(meta)));
    });
    return future;
  }

 protected:
  // Field checks from the endpoint table (body and query).
  std::vector<FieldError> Validate(const CallSpec& call) const;
  // Fills request id, status, retry-after and the attempt count, and redacts secrets from the
  // message.
  static Error FinishError(Error error, const ResponseMeta& meta,
                           const std::vector<std::string>& secrets);
  // Copies the code and message of an error the service answered (not a transport failure, not
  // an undecodable body) into meta.service_code / service_message.
  static void KeepServiceFacts(const Error& error, ResponseMeta& meta);

 private:
  const ServiceSpec* spec_;
  ClientOptions options_;
  std::shared_ptr<Pipeline> pipeline_;
  ErrorParser parse_error_;
  ValidationErrorFactory validation_error_;
  std::optional<Error> configuration_error_;
};

}  // namespace restbox::core
