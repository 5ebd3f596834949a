#include "restbox/market/client.hpp"

#include "restbox/market/provider.hpp"

namespace restbox::market {
namespace {

// The client-side twin of the platform's 1001: same code, msg and details, never sent.
core::Error ValidationError(std::vector<core::FieldError> details) {
  core::Error e;
  e.kind = core::ErrorKind::kClientValidation;
  e.code = std::to_string(ToInt(Code::kParams));
  e.message = ParamsErrorMessage(details);
  e.details = std::move(details);
  return e;
}

// The busy rule itself is the service table's (Spec().retry_if), which every client of the
// service applies; retry_busy = false replaces it with "never".
ClientOptions WithBusyRetry(ClientOptions options) {
  if (!options.retry_busy && !options.retry.retry_if) {
    options.retry.retry_if = [](const core::HttpResponse&) { return false; };
  }
  return options;
}

std::string SchemaKey(const std::string& project, const std::string& slug) {
  return project + "/" + slug;
}

}  // namespace

Client::Client(ClientOptions options)
    : core::ServiceClient(Spec(), WithBusyRetry(options), &ParseError, &ValidationError),
      api_key_(std::move(options.api_key)),
      schemas_(std::move(options.schemas)) {}

void Client::SetSchema(const std::string& project, const std::string& slug, ParamsSchema schema) {
  schemas_[SchemaKey(project, slug)] = std::move(schema);
}

core::Future<CallResult> Client::Call(const std::string& project, const std::string& slug,
                                      const core::Json& params, RequestOptions options) {
  return Send(kCall, project, slug, params, std::move(options));
}

core::Future<CallResult> Client::CallGet(const std::string& project, const std::string& slug,
                                         const core::Json& params, RequestOptions options) {
  return Send(kCallGet, project, slug, params, std::move(options));
}

core::Future<CallResult> Client::Send(std::string_view endpoint, const std::string& project,
                                      const std::string& slug, const core::Json& params,
                                      RequestOptions options) {
  core::CallSpec call;
  call.endpoint = &Endpoint(endpoint);
  call.path = {{"project", project}, {"slug", slug}};
  call.headers = options.headers;
  if (!call.headers.Has("Authorization")) call.headers.Set("Authorization", "Bearer " + api_key_);
  call.rate_key = api_key_;
  call.secrets = {api_key_};
  call.context = options.context;
  if (!call.context.cancellation)
    call.context.cancellation = std::make_shared<core::CancellationSource>();
  if (endpoint == kCall) {
    call.body = params.is_null() ? core::Json::object() : params;
  } else {
    call.query = JsonToQuery(params);
  }

  core::Promise<CallResult> promise(call.context.cancellation);
  auto future = promise.GetFuture();
  if (this->options().client_validation) {
    auto problems = Validate(call);
    if (auto it = schemas_.find(SchemaKey(project, slug)); it != schemas_.end()) {
      // The platform's own check: required params only (seed: "本平台会检查必传参数是否缺失").
      ParamsCheckOptions platform{.check_types = false, .apply_defaults = false};
      core::Json sent = endpoint == kCall ? *call.body : QueryToJson(call.query);
      auto more = CheckParams(it->second, sent, platform).errors;
      problems.insert(problems.end(), more.begin(), more.end());
    }
    if (!problems.empty()) {
      promise.Set(core::NotSent(ValidationError(std::move(problems))));
      return future;
    }
  }
  // Exchange, not Call<T>: the HTTP status is ignored, the body's code decides.
  auto secrets = call.secrets;
  Exchange(std::move(call), [promise, secrets](core::Result<core::HttpResponse> outcome) {
    core::ResponseMeta meta = outcome.meta();
    if (!outcome.ok()) {
      // Build the error before moving `meta`: argument evaluation order is unspecified.
      core::Error error = FinishError(outcome.error(), meta, secrets);
      promise.Set(core::Result<CallResult>(std::move(error), std::move(meta)));
      return;
    }
    auto decoded = DecodeCallResult(outcome.value());
    if (decoded.ok()) {
      meta.service_code = std::to_string(decoded->code);
      meta.service_message = decoded->msg;
      promise.Set(core::Result<CallResult>(std::move(decoded.value()), std::move(meta)));
    } else {
      core::Error error = FinishError(decoded.error(), meta, secrets);
      KeepServiceFacts(error, meta);
      promise.Set(core::Result<CallResult>(std::move(error), std::move(meta)));
    }
  });
  return future;
}

}  // namespace restbox::market
