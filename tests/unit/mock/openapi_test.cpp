// The OpenAPI 3.0.3 export (mock-server/openapi) of a table written here for the purpose, and
// of every service of this build as the mock serves it (mock-server/core/admin.hpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "restbox/mock/admin.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/mock/openapi.hpp"

namespace restbox::core {
namespace {

using mock::ExportOpenApi;
using mock::OpenApiOptions;

using ::testing::HasSubstr;

// A small API that uses every feature of the table.
ServiceSpec ShopSpec() {
  ServiceSpec s;
  s.id = "shop";
  s.title = "Shop";
  s.description = "test service";
  s.auth = AuthScheme::kBearer;
  s.default_base_url = "https://shop.example";

  EndpointSpec list;
  list.id = "items.list";
  list.method = Method::kGet;
  list.path = "/v1/{store}/items";
  list.summary = "List items";
  list.success = {200};
  list.errors = {{400, "VALIDATION_ERROR", "bad page size"},
                 {400, "INVALID_TOKEN", "store is not a token"},
                 {429, "RATE_LIMIT_EXCEEDED", "too many requests"}};
  list.fields = {
      {.name = "Authorization", .in = FieldIn::kHeader, .required = true},
      {.name = "pageSize",
       .in = FieldIn::kQuery,
       .type = FieldType::kInteger,
       .description = "items per page",
       .minimum = 1,
       .maximum = 100,
       .default_value = "20"},
      {.name = "status", .in = FieldIn::kQuery, .enum_values = {"active", "pending"}},
      {.name = "X-Trace", .in = FieldIn::kHeader, .format = "keyword"},
  };
  list.example_response =
      R"({"success":true,"data":[{"id":1,"price":2.5,"tags":["a"],"note":null}]})";

  EndpointSpec create;
  create.id = "items.create";
  create.method = Method::kPost;
  create.path = "/v1/{store}/items";
  create.summary = "Create an item";
  create.success = {201};
  create.errors = {{401, "", "no key"}};
  create.fields = {
      {.name = "store", .in = FieldIn::kPath, .required = true, .description = "store token"},
      {.name = "Authorization", .in = FieldIn::kHeader, .required = false},
      {.name = "Content-Type",
       .in = FieldIn::kHeader,
       .required = true,
       .enum_values = {"application/json"}},
      {.name = "title", .required = true, .min_length = 1, .max_length = 32, .example = "\"Lamp\""},
      {.name = "tags", .type = FieldType::kArray, .max_length = 16, .enum_values = {"RED", "BLUE"}},
      {.name = "email", .format = "email"},
      {.name = "status", .default_value = "\"published\""},
      {.name = "amount", .type = FieldType::kNumber, .minimum = 0},
  };
  create.example_request = R"({"title":"Lamp"})";
  create.example_response = R"({"id":7})";

  EndpointSpec call;  // a marketplace-style call: error codes carried inside HTTP 200
  call.id = "call";
  call.method = Method::kPost;
  call.path = "/call/{slug}";
  call.summary = "Call";
  call.success = {200};
  call.errors = {{200, "1002", "resource missing"}, {200, "1003", "busy"}};
  call.example_request = R"({"productId":"1"})";
  call.example_response = R"({"code":0,"result":{},"msg":"ok"})";

  s.endpoints = {list, create, call};
  return s;
}

std::string ShopError(const EndpointSpec&, const StatusSpec& row) {
  return Json{{"error", {{"code", row.code}, {"message", row.trigger}}}}.dump();
}

const Json* FindParam(const Json& op, const std::string& in, const std::string& name) {
  for (const auto& p : op["parameters"]) {
    if (p["in"] == in && p["name"] == name) return &p;
  }
  return nullptr;
}

TEST(OpenApi, DocumentHasTheOpenApiSkeleton) {
  Json doc = ExportOpenApi(ShopSpec());
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_EQ(doc["info"]["title"], "Shop (shop)");
  EXPECT_EQ(doc["info"]["version"], "1.0.0");
  EXPECT_EQ(doc["servers"][0]["url"], "https://shop.example");
  EXPECT_EQ(doc["components"]["securitySchemes"]["bearerAuth"],
            (Json{{"type", "http"}, {"scheme", "bearer"}}));
  OpenApiOptions options;
  options.server_url = "http://127.0.0.1:8080";
  EXPECT_EQ(ExportOpenApi(ShopSpec(), options)["servers"][0]["url"], "http://127.0.0.1:8080");
}

TEST(OpenApi, ParametersCarryTheirLimits) {
  Json op = ExportOpenApi(ShopSpec())["paths"]["/v1/{store}/items"]["get"];
  EXPECT_EQ(op["operationId"], "items.list");
  EXPECT_EQ(op["tags"], Json::array({"shop"}));
  const Json* page = FindParam(op, "query", "pageSize");
  ASSERT_TRUE(page);
  EXPECT_EQ((*page)["required"], false);
  EXPECT_EQ((*page)["description"], "items per page");
  EXPECT_EQ((*page)["schema"]["type"], "integer");
  EXPECT_EQ((*page)["schema"]["minimum"], 1);
  EXPECT_EQ((*page)["schema"]["maximum"], 100);
  EXPECT_EQ((*page)["schema"]["default"], 20);
  const Json* status = FindParam(op, "query", "status");
  ASSERT_TRUE(status);
  EXPECT_EQ((*status)["schema"]["enum"], Json::array({"active", "pending"}));
  const Json* trace = FindParam(op, "header", "X-Trace");
  ASSERT_TRUE(trace);
  EXPECT_FALSE((*trace)["schema"].contains("format"));  // not a format validators know
  EXPECT_EQ((*trace)["schema"]["x-restbox-format"], "keyword");
  // The placeholder the table does not describe is still a required path parameter.
  const Json* store = FindParam(op, "path", "store");
  ASSERT_TRUE(store);
  EXPECT_EQ((*store)["required"], true);
  EXPECT_EQ((*store)["schema"]["type"], "string");
}

TEST(OpenApi, CredentialHeadersBecomeSecurityNotParameters) {
  Json paths = ExportOpenApi(ShopSpec())["paths"];
  Json get = paths["/v1/{store}/items"]["get"];
  EXPECT_FALSE(FindParam(get, "header", "Authorization"));
  EXPECT_EQ(get["security"], Json::array({{{"bearerAuth", Json::array()}}}));
  Json post = paths["/v1/{store}/items"]["post"];
  EXPECT_FALSE(FindParam(post, "header", "Content-Type"));  // the request body says it
  EXPECT_EQ(post["security"],
            Json::array({{{"bearerAuth", Json::array()}}, Json::object()}));  // optional key
  EXPECT_FALSE(paths["/call/{slug}"]["post"].contains("security"));
}

TEST(OpenApi, KeyAndSecretServicesGetTwoApiKeySchemes) {
  ServiceSpec s = ShopSpec();
  s.auth = AuthScheme::kKeyAndSecret;
  s.endpoints[0].fields = {{.name = "X-API-Key", .in = FieldIn::kHeader, .required = true},
                           {.name = "X-API-Secret", .in = FieldIn::kHeader, .required = true}};
  Json doc = ExportOpenApi(s);
  EXPECT_EQ(doc["components"]["securitySchemes"]["apiKey"],
            (Json{{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}));
  EXPECT_EQ(doc["components"]["securitySchemes"]["apiSecret"]["name"], "X-API-Secret");
  Json op = doc["paths"]["/v1/{store}/items"]["get"];
  EXPECT_EQ(op["security"],
            Json::array({{{"apiKey", Json::array()}, {"apiSecret", Json::array()}}}));
  EXPECT_FALSE(FindParam(op, "header", "X-API-Key"));
}

TEST(OpenApi, BodyFieldsBecomeARequestSchema) {
  Json body = ExportOpenApi(ShopSpec())["paths"]["/v1/{store}/items"]["post"]["requestBody"];
  EXPECT_EQ(body["required"], true);
  Json media = body["content"]["application/json"];
  Json schema = media["schema"];
  EXPECT_EQ(schema["type"], "object");
  EXPECT_EQ(schema["required"], Json::array({"title"}));
  Json title = schema["properties"]["title"];
  EXPECT_EQ(title["minLength"], 1);
  EXPECT_EQ(title["maxLength"], 32);
  EXPECT_EQ(title["example"], "Lamp");
  Json tags = schema["properties"]["tags"];
  EXPECT_EQ(tags["type"], "array");
  EXPECT_EQ(tags["maxItems"], 16);
  EXPECT_EQ(tags["items"]["enum"], Json::array({"RED", "BLUE"}));
  EXPECT_EQ(schema["properties"]["email"]["format"], "email");
  EXPECT_EQ(schema["properties"]["status"]["default"], "published");
  EXPECT_EQ(schema["properties"]["amount"]["minimum"], 0);
  EXPECT_EQ(media["example"], (Json{{"title", "Lamp"}}));
}

TEST(OpenApi, AnExampleRequestWithoutFieldsGivesAnInferredSchema) {
  Json body = ExportOpenApi(ShopSpec())["paths"]["/call/{slug}"]["post"]["requestBody"];
  EXPECT_EQ(body["required"], true);
  EXPECT_EQ(body["content"]["application/json"]["schema"],
            (Json{{"type", "object"}, {"properties", {{"productId", {{"type", "string"}}}}}}));
  EXPECT_FALSE(
      ExportOpenApi(ShopSpec())["paths"]["/v1/{store}/items"]["get"].contains("requestBody"));
}

TEST(OpenApi, EveryDocumentedStatusIsAResponse) {
  OpenApiOptions options;
  options.error_example = ShopError;
  Json responses =
      ExportOpenApi(ShopSpec(), options)["paths"]["/v1/{store}/items"]["get"]["responses"];
  EXPECT_EQ(responses.size(), 3u);  // 200, 400 (two rows), 429

  Json ok = responses["200"]["content"]["application/json"];
  EXPECT_EQ(ok["example"]["data"][0]["price"], 2.5);
  EXPECT_EQ(ok["schema"]["properties"]["data"]["items"]["properties"]["price"]["type"], "number");

  Json bad = responses["400"];
  EXPECT_THAT(bad["description"].get<std::string>(),
              HasSubstr("`VALIDATION_ERROR`: bad page size"));
  EXPECT_THAT(bad["description"].get<std::string>(),
              HasSubstr("`INVALID_TOKEN`: store is not a token"));
  Json examples = bad["content"]["application/json"]["examples"];
  EXPECT_EQ(examples["code_VALIDATION_ERROR"]["value"]["error"]["code"], "VALIDATION_ERROR");
  EXPECT_EQ(examples["code_INVALID_TOKEN"]["summary"], "store is not a token");
  EXPECT_FALSE(bad["content"]["application/json"].contains("example"));  // exclusive with examples

  Json limited = responses["429"];
  EXPECT_EQ(limited["headers"]["Retry-After"]["schema"]["type"], "integer");
  EXPECT_EQ(limited["content"]["application/json"]["example"]["error"]["code"],
            "RATE_LIMIT_EXCEEDED");
}

TEST(OpenApi, CodesCarriedInA200AreDescribedThere) {
  OpenApiOptions options;
  options.error_example = ShopError;
  Json responses = ExportOpenApi(ShopSpec(), options)["paths"]["/call/{slug}"]["post"]["responses"];
  ASSERT_EQ(responses.size(), 1u);
  std::string description = responses["200"]["description"].get<std::string>();
  EXPECT_THAT(description, HasSubstr("code 1002: resource missing"));
  EXPECT_THAT(description, HasSubstr("code 1003: busy"));
  Json media = responses["200"]["content"]["application/json"];
  EXPECT_EQ(media["examples"]["success"]["value"]["code"], 0);
  EXPECT_EQ(media["examples"]["code_1003"]["value"]["error"]["code"], "1003");
  ASSERT_TRUE(media["schema"].contains("anyOf"));  // success and error bodies differ in shape
  EXPECT_EQ(media["schema"]["anyOf"].size(), 2u);
}

TEST(OpenApi, WithoutErrorExamplesErrorsStillHaveASchema) {
  Json r = ExportOpenApi(ShopSpec())["paths"]["/v1/{store}/items"]["post"]["responses"]["401"];
  EXPECT_EQ(r["content"]["application/json"]["schema"], Json::object());
  EXPECT_FALSE(r["content"]["application/json"].contains("example"));
}

// Every service of this build, as served by the mock: every endpoint, every documented status,
// each response with a schema, and every error with the service's real error body as example.
TEST(OpenApi, TheMockDescribesEveryServiceCompletely) {
  auto server = mock::MakeMockServer();
  for (const auto& id : server->ServiceIds()) {
    SCOPED_TRACE(id);
    auto doc = mock::OpenApiDocument(*server, id, "http://127.0.0.1:8080");
    ASSERT_TRUE(doc);
    const ServiceSpec& spec = server->FindService(id)->Spec();
    for (const auto& ep : spec.endpoints) {
      SCOPED_TRACE(ep.id);
      std::string method(ToString(ep.method));
      for (char& c : method) c = static_cast<char>(c - 'A' + 'a');
      const Json& op = (*doc)["paths"][ep.path][method];
      ASSERT_TRUE(op.is_object());
      EXPECT_EQ(op["operationId"], ep.id);
      std::set<int> statuses(ep.success.begin(), ep.success.end());
      for (const auto& e : ep.errors) statuses.insert(e.status);
      EXPECT_EQ(op["responses"].size(), statuses.size());
      for (int status : statuses) {
        SCOPED_TRACE(status);
        const Json& r = op["responses"][std::to_string(status)];
        ASSERT_TRUE(r.is_object());
        if (status == 204) continue;
        const Json& media = r["content"]["application/json"];
        EXPECT_TRUE(media.contains("schema"));
        bool documented_success = ep.IsSuccess(status) && !ep.example_response.empty();
        if (ep.FindError(status) || documented_success) {
          EXPECT_TRUE(media.contains("example") || media.contains("examples")) << r.dump();
        }
      }
    }
  }
}

}  // namespace
}  // namespace restbox::core
