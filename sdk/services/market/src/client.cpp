#include "restbox/market/client.hpp"

#include "restbox/market/provider.hpp"

namespace restbox::market {
namespace {

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
    : core::ServiceClient(Spec(), WithBusyRetry(options), {std::move(options.api_key), {}}),
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
  call.headers = std::move(options.headers);
  call.context = std::move(options.context);
  if (endpoint == kCall) {
    call.body = params.is_null() ? core::Json::object() : params;
  } else {
    call.query = JsonToQuery(params);
  }
  std::vector<core::FieldError> problems;
  if (auto it = schemas_.find(SchemaKey(project, slug));
      it != schemas_.end() && this->options().client_validation) {
    // The platform's own check: required params only (seed: "本平台会检查必传参数是否缺失").
    ParamsCheckOptions platform{.check_types = false, .apply_defaults = false};
    core::Json sent = endpoint == kCall ? *call.body : QueryToJson(call.query);
    problems = CheckParams(it->second, sent, platform).errors;
  }
  // The interpreter ignores the HTTP status: the body's code decides.
  return ServiceClient::Call<CallResult>(std::move(call), &core::ConvertJson<CallResult>,
                                         std::move(problems));
}

}  // namespace restbox::market
