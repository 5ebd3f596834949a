#include "restbox/core/client.hpp"

#include <cassert>

#include "restbox/core/masking.hpp"
#include "restbox/core/url.hpp"

namespace restbox::core {

ServiceClient::ServiceClient(const ServiceSpec& spec, ClientOptions options,
                             ErrorParser parse_error, ValidationErrorFactory validation_error)
    : spec_(&spec),
      options_(std::move(options)),
      parse_error_(std::move(parse_error)),
      validation_error_(std::move(validation_error)) {
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

std::vector<FieldError> ServiceClient::Validate(const CallSpec& call) const {
  const Json* body = call.body ? &*call.body : nullptr;
  return ValidateRequest(*call.endpoint, body, call.query);
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
  if (call.raw_body) {
    request.body = std::move(*call.raw_body);
  } else if (call.body) {
    request.body = DumpJson(*call.body);
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
  if (!error.retry_after && !meta.attempts.empty()) {
    if (auto ra = meta.headers.Get("Retry-After")) {
      // The retry policy's parser, both forms: an HTTP date counts from when the final answer
      // arrived, on the client's clock.
      const Attempt& last = meta.attempts.back();
      if (auto secs = ParseRetryAfter(*ra, last.started + last.elapsed)) error.retry_after = *secs;
    }
  }
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
                                   Result<Json> (*decode)(std::string_view)) {
  if (!endpoint.AcceptsAsSuccess(response.status)) return parse_error(response);
  auto decoded = decode(response.body);
  if (!decoded.ok()) {
    Error e = decoded.error();
    e.http_status = response.status;
    return e;
  }
  return decoded;
}

}  // namespace restbox::core
