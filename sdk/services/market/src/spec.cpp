#include "restbox/market/spec.hpp"

#include "restbox/core/schema.hpp"
#include "restbox/market/models.hpp"

namespace restbox::market {
namespace {

using core::FieldIn;
using core::FieldSpec;
using core::FieldType;
using core::StatusSpec;

// The code rows, carried in an HTTP 200 (the platform never answers another status).
std::vector<StatusSpec> CodeRows(bool get_variant) {
  return {
      {200, "1000",
       "the provider's backend failed or answered something that is not a convention "
       "JSON object, or the provider answered code 1000"},
      {200, "1001",
       get_variant ? "a required param of the Params Schema is missing (platform "
                     "check), the endpoint has a Json Schema (POST only), or the "
                     "provider said so"
                   : "a required param of the Params/Json Schema is missing (platform "
                     "check), the body is not a JSON object, or the provider said so"},
      {200, "1002",
       "unknown project or slug, project or endpoint offline, or the provider said so "
       "(e.g. an unknown product id)"},
      {200, "1003",
       "the provider is busy (said so): the request was not processed; the SDK retries "
       "it with backoff"},
      {200, "1004",
       "missing, malformed, unknown or disabled consumer key, or a project that is not "
       "Public"},
      {200, "1005", "the consumer's balance is below the call's price (the cap for dynamic plans)"},
  };
}

std::vector<FieldSpec> RouteFields(bool with_body) {
  std::vector<FieldSpec> f;
  f.push_back({.name = "project",
               .in = FieldIn::kPath,
               .required = true,
               .description = "the provider's project",
               .example = "\"demo-shop\""});
  f.push_back({.name = "slug",
               .in = FieldIn::kPath,
               .required = true,
               .description = "the endpoint's slug, unique within its project",
               .example = "\"product-info\""});
  f.push_back({.name = "Authorization",
               .in = FieldIn::kHeader,
               .required = true,
               .description = "Bearer <consumer key>",
               .example = "\"Bearer mkt_xxx\""});
  if (with_body) {
    f.push_back({.name = "Content-Type",
                 .in = FieldIn::kHeader,
                 .description = "application/json (the body is the endpoint's params)",
                 .enum_values = {"application/json"}});
  }
  return f;
}

constexpr const char* kParamsExample = R"({"bindId": "123", "productId": "123456"})";
// The seed's consumer-side success example.
constexpr const char* kSuccessExample =
    R"({"code": 0, "credits": 0.001, "result": {"data": "sample"}})";

// One variant of the consumer route: POST with a JSON body, or GET with query params.
core::EndpointSpec ConsumerRoute(bool get_variant) {
  core::EndpointSpec e;
  e.id = std::string(get_variant ? kCallGet : kCall);
  e.method = get_variant ? core::Method::kGet : core::Method::kPost;
  e.path = "/market/{project}/{slug}";
  e.summary = get_variant ? "Call an endpoint without a Json Schema (params as query parameters)"
                          : "Call an endpoint (params as a JSON body)";
  e.success = {200};
  e.errors = CodeRows(get_variant);
  e.fields = RouteFields(!get_variant);
  // A processed call is charged: repeating it could charge twice. Only 1003 (not processed) is
  // retried, through the client's busy rule.
  e.idempotent = false;
  if (!get_variant) e.example_request = kParamsExample;
  e.example_response = kSuccessExample;
  return e;
}

core::ServiceSpec Build() {
  core::ServiceSpec s;
  s.id = "market";
  s.title = "API marketplace";
  s.description =
      "A platform between consumers and providers: consumers call a provider's endpoint through "
      "the platform with their key; the platform checks the key, the project's Public/Online "
      "flags, required params and the balance, forwards to the provider's hidden backend, keeps "
      "only code/result/msg of its answer and charges by the endpoint's pricing plan. Outcomes "
      "are codes in an HTTP 200: 0 success, 1000-1005 errors.";
  s.auth = core::AuthScheme::kBearer;
  // The seed names no host [choice].
  s.default_base_url = "https://api.market.example";

  s.endpoints = {ConsumerRoute(false), ConsumerRoute(true)};
  // Bodies (restbox/core/schema.hpp): what the platform keeps of a provider's answer, code, result
  // and msg, plus the credits it charged. `code` is required; the rest is optional (seed). Nothing
  // else: "我们会根据以上的字段构造返回给用户的结果" and the seed's example marks every other
  // field "此字段会被忽略" (ignored), so forceDeduct, creditsDeduct or a provider's own fields
  // reaching the consumer are a problem.
  for (auto& e : s.endpoints) {
    e.success_schema = core::SchemaFromText(R"({"type":"object","required":["code"],"properties":{
      "code":{"type":"integer","enum":[0]},"result":{"description":"the provider's result, any JSON"},
      "msg":{"type":"string"},"credits":{"type":"number","minimum":0}},"additionalProperties":false})");
    for (auto& row : e.errors) {
      row.schema = core::SchemaFromText(R"({"type":"object","required":["code"],"properties":{
        "msg":{"type":"string"},"result":{"description":"the provider's result, if any"},
        "credits":{"type":"number","minimum":0}},"additionalProperties":false})");
      row.schema["properties"]["code"] = {{"type", "integer"},
                                          {"enum", core::Json::array({std::stoi(row.code)})}};
    }
  }
  // 1003 says "not processed": every client retries it (ClientOptions::retry_busy turns it off).
  s.retry_if = &IsBusyResponse;
  // Every client of the service finishes its calls through this interpreter and checks them
  // with this function before sending (core::ServiceClient::Call).
  s.interpret = &InterpretResponse;
  s.check_request = &CheckBeforeSending;
  return s;
}

}  // namespace

const core::ServiceSpec& Spec() {
  static const core::ServiceSpec spec = Build();
  return spec;
}

}  // namespace restbox::market
