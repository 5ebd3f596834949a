#include "restbox/core/client.hpp"

#include <algorithm>
#include <cassert>
#include <iterator>

#include "restbox/core/masking.hpp"
#include "restbox/core/url.hpp"
#include "restbox/core/validation.hpp"

namespace restbox::core {

ServiceClient::ServiceClient(const ServiceSpec& spec, ClientOptions options,
                             Credentials credentials)
    : spec_(&spec), options_(std::move(options)), credentials_(std::move(credentials)) {
  if (options_.base_url.empty()) options_.base_url = spec.default_base_url;
  if (!options_.retry.retry_if && spec.retry_if) options_.retry.retry_if = spec.retry_if;
  pipeline_ = std::make_shared<Pipeline>(options_);
  // Checked once here rather than left to the transport: curl would refuse "api.example.com"
  // with its own words, but fetch and the in-process transport would accept it as a path.
  auto url = ParseUrl(options_.base_url);
  bool web = url && !url->host.empty() &&
             (EqualsIgnoreCase(url->scheme, "http") || EqualsIgnoreCase(url->scheme, "https"));
  if (!web) {
    configuration_error_ = NotSent(
        MakeError(ErrorKind::kInvalidArgument,
                  "the base URL \"" + options_.base_url +
                      "\" is not an absolute http:// or https:// URL (ClientOptions::base_url)"));
  }
}

const EndpointSpec& ServiceClient::Endpoint(std::string_view id) const {
  const EndpointSpec* e = spec_->Find(id);
  // The endpoint ids used by typed clients are compile-time constants of the same service.
  assert(e != nullptr);
  return *e;
}

namespace {

// The interpreter of a service whose table names none: the body as JSON for a success, the
// status's kind and reason otherwise.
Result<Json> InterpretByStatus(const EndpointSpec& endpoint, const HttpResponse& response) {
  return InterpretJsonResponse(endpoint, response, [](const HttpResponse& r) {
    std::string reason(ReasonPhrase(r.status));
    Error e = MakeError(ErrorKindFromStatus(r.status),
                        reason.empty() ? "HTTP " + std::to_string(r.status) : reason);
    e.http_status = r.status;
    e.raw_body = r.body;
    return e;
  });
}

std::optional<Error> RefuseProblems(const CallSpec&, std::vector<FieldError> problems) {
  if (problems.empty()) return std::nullopt;
  Error e = MakeError(ErrorKind::kClientValidation, "Validation failed");
  e.details = std::move(problems);
  return e;
}

// The endpoint table's checks: every {placeholder} given, body and query fields as the table
// says. A raw body is sent unchecked: only the other problems count.
std::vector<FieldError> TableProblems(const CallSpec& call) {
  const EndpointSpec& endpoint = *call.endpoint;
  std::vector<FieldError> problems;
  for (const auto& name : PlaceholderNames(endpoint.path)) {
    bool given = std::any_of(call.path.begin(), call.path.end(),
                             [&](const auto& p) { return p.first == name; });
    if (!given) problems.push_back({name, "is required"});
  }
  const Json* body = call.body && !call.raw_body ? &*call.body : nullptr;
  for (auto& problem : ValidateRequest(endpoint, body, call.query)) {
    if (call.raw_body) {
      const auto& fields = endpoint.fields;
      bool body_problem =
          problem.field == "body" || std::any_of(fields.begin(), fields.end(), [&](const auto& f) {
            return f.in == FieldIn::kBody && f.name == problem.field;
          });
      if (body_problem) continue;
    }
    problems.push_back(std::move(problem));
  }
  return problems;
}

}  // namespace

void ServiceClient::ApplyCredentials(CallSpec& call) const {
  const Credentials& c = credentials_;
  switch (spec_->auth) {
    case AuthScheme::kBearer:
      if (!c.key.empty() && !call.headers.Has("Authorization")) {
        call.headers.Set("Authorization", "Bearer " + c.key);
      }
      break;
    case AuthScheme::kBodyToken:
      if (!c.key.empty() && !call.raw_body) {
        if (!call.body) call.body = Json::object();
        if (call.body->is_object() && !call.body->contains("api_token")) {
          (*call.body)["api_token"] = c.key;
        }
      }
      break;
    case AuthScheme::kKeyAndSecret:
      if (!c.key.empty() && !call.headers.Has("X-API-Key")) call.headers.Set("X-API-Key", c.key);
      if (!c.secret.empty() && !call.headers.Has("X-API-Secret")) {
        call.headers.Set("X-API-Secret", c.secret);
      }
      break;
  }
  if (call.rate_key.empty()) call.rate_key = c.key;
  if (!c.key.empty()) call.secrets.push_back(c.key);
  if (!c.secret.empty()) call.secrets.push_back(c.secret);
}

std::optional<Error> ServiceClient::CheckPrepared(const CallSpec& call,
                                                  std::vector<FieldError> extra_problems) const {
  auto problems = TableProblems(call);
  problems.insert(problems.end(), std::make_move_iterator(extra_problems.begin()),
                  std::make_move_iterator(extra_problems.end()));
  RequestCheck check = spec_->check_request ? spec_->check_request : &RefuseProblems;
  std::optional<Error> refusal = check(call, std::move(problems));
  if (!refusal) return std::nullopt;
  Error error = NotSent(std::move(*refusal));
  error.message = RedactKnownSecrets(std::move(error.message), call.secrets);
  error.raw_body = RedactKnownSecrets(std::move(error.raw_body), call.secrets);
  return error;
}

std::optional<Error> ServiceClient::Refusal(CallSpec call,
                                            std::vector<FieldError> extra_problems) const {
  ApplyCredentials(call);
  return CheckPrepared(call, std::move(extra_problems));
}

std::shared_ptr<CancellationSource> ServiceClient::EnsureCancellation(Context& context) {
  if (!context.cancellation) context.cancellation = std::make_shared<CancellationSource>();
  return context.cancellation;
}

Future<Json> ServiceClient::Call(CallSpec call, std::vector<FieldError> extra_problems) {
  return Call<Json>(
      std::move(call), [](Json data) { return Result<Json>(std::move(data)); },
      std::move(extra_problems));
}

void ServiceClient::Run(CallSpec call, std::vector<FieldError> extra_problems, Completion done) {
  ApplyCredentials(call);
  if (options_.client_validation) {
    if (auto refusal = CheckPrepared(call, std::move(extra_problems))) {
      done(Result<Json>(std::move(*refusal)), Ending{nullptr, &call.secrets});
      return;
    }
  }
  const EndpointSpec* endpoint = call.endpoint;
  ResponseInterpreter interpret = spec_->interpret ? spec_->interpret : &InterpretByStatus;
  auto secrets = call.secrets;
  // Captures copies only: a call may outlive the client that started it.
  Exchange(std::move(call), [endpoint, interpret, secrets = std::move(secrets),
                             done = std::move(done)](Result<HttpResponse> outcome) {
    ResponseMeta meta = std::move(outcome.meta());  // only `meta` is read from here on
    const Ending ending{outcome.ok() ? &outcome.value() : nullptr, &secrets};
    // Each error is finished before `meta` is moved into the Result: the order in which a
    // call's arguments are evaluated is unspecified, and FinishError reads `meta`.
    if (!outcome.ok()) {
      Error error = FinishError(outcome.error(), meta, secrets);
      done(Result<Json>(std::move(error), std::move(meta)), ending);
      return;
    }
    const HttpResponse& response = outcome.value();
    Result<Json> interpreted = interpret(*endpoint, response);
    if (interpreted.ok()) {
      // The interpreter reports what the service's envelope said in its Result's meta.
      meta.service_code = std::move(interpreted.meta().service_code);
      meta.service_message = std::move(interpreted.meta().service_message);
      done(Result<Json>(std::move(interpreted.value()), std::move(meta)), ending);
      return;
    }
    Error error = interpreted.error();
    if (error.raw_body.empty()) error.raw_body = response.body;
    if (error.http_status == 0) error.http_status = response.status;
    error = FinishError(std::move(error), meta, secrets);
    KeepServiceFacts(error, meta);
    done(Result<Json>(std::move(error), std::move(meta)), ending);
  });
}

Error ServiceClient::Ending::ConversionError(Error error, ResponseMeta& meta) const {
  if (response) {
    if (error.raw_body.empty()) error.raw_body = response->body;
    if (error.http_status == 0) error.http_status = response->status;
  }
  error = FinishError(std::move(error), meta, *secrets);
  // The envelope's facts belong to an answer that was read; this one was not.
  meta.service_code.clear();
  meta.service_message.clear();
  KeepServiceFacts(error, meta);
  return error;
}

void ServiceClient::Exchange(CallSpec call, std::function<void(Result<HttpResponse>)> done) {
  if (configuration_error_) {
    done(Result<HttpResponse>(*configuration_error_));
    return;
  }
  const EndpointSpec& endpoint = *call.endpoint;
  UrlBuilder url(options_.base_url);
  url.Path(endpoint.path, call.path);
  for (const auto& [k, v] : call.query) url.Query(k, v);

  HttpRequest request;
  request.method = endpoint.method;
  request.url = url.Build();
  request.headers = std::move(call.headers);
  // A body built from a value takes the value along (HttpRequest::json): the in-process mock
  // reads it instead of parsing the bytes just written; every other reader still sees the bytes.
  if (call.raw_body) {
    request.body = std::move(*call.raw_body);
    if (call.body) request.json = SharedWireExact(std::move(*call.body));
  } else if (call.body) {
    request.body = DumpShared(std::move(*call.body), request.json);
  }
  if (!request.body.empty() && !request.headers.Has("Content-Type")) {
    request.headers.Set("Content-Type", "application/json");
  }
  if (!request.headers.Has("Accept")) request.headers.Set("Accept", "application/json");

  auto state = std::make_shared<CallState>();
  state->service = spec_->id;
  state->endpoint = endpoint.id;
  state->idempotent = call.context.idempotent.value_or(endpoint.idempotent);
  state->rate_key = std::move(call.rate_key);
  state->secrets = std::move(call.secrets);
  state->context = std::move(call.context);

  auto pipeline = pipeline_;  // keeps the policies alive until the call completes
  pipeline->Send(std::move(request), state,
                 [pipeline, state, done = std::move(done)](Result<HttpResponse> outcome) {
                   ResponseMeta meta;
                   meta.attempts = state->attempts;
                   if (outcome.ok()) {
                     meta.status = outcome->status;
                     meta.headers = outcome->headers;
                     meta.request_id = outcome->headers.GetOr("X-Request-Id", "");
                   }
                   if (outcome.ok()) {
                     done(Result<HttpResponse>(std::move(outcome.value()), std::move(meta)));
                   } else {
                     done(Result<HttpResponse>(std::move(outcome.error()), std::move(meta)));
                   }
                 });
}

Error ServiceClient::FinishError(Error error, const ResponseMeta& meta,
                                 const std::vector<std::string>& secrets) {
  if (error.http_status == 0) error.http_status = meta.status;
  if (error.request_id.empty()) error.request_id = meta.request_id;
  if (!error.not_sent) error.attempts = static_cast<int>(meta.attempts.size());
  // What the retry policy read from the final answer's Retry-After (either form; an HTTP date
  // counted from when the answer arrived, on the client's clock).
  if (!error.retry_after && !meta.attempts.empty())
    error.retry_after = meta.attempts.back().retry_after;
  error.message = RedactKnownSecrets(std::move(error.message), secrets);
  error.raw_body = RedactKnownSecrets(std::move(error.raw_body), secrets);
  return error;
}

void ServiceClient::KeepServiceFacts(const Error& error, ResponseMeta& meta) {
  if (meta.status == 0 || error.kind == ErrorKind::kDecode || IsTransportError(error.kind)) return;
  meta.service_code = error.code;
  meta.service_message = error.message;
}

Result<Json> InterpretJsonResponse(const EndpointSpec& endpoint, const HttpResponse& response,
                                   const ErrorParser& parse_error,
                                   Result<Json> (*decode)(const HttpResponse&)) {
  if (!endpoint.AcceptsAsSuccess(response.status)) return parse_error(response);
  auto decoded = decode(response);
  if (!decoded.ok()) {
    Error e = decoded.error();
    e.http_status = response.status;
    return e;
  }
  return decoded;
}

}  // namespace restbox::core
