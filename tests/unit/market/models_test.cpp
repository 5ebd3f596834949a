// market models against the seed's examples (tests/fixtures/market/*.json, embedded here so the
// wasm build, which has no file system, runs the same checks).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "restbox/market/models.hpp"
#include "restbox/market/provider.hpp"
#include "restbox/market/spec.hpp"

#ifndef __EMSCRIPTEN__
#include <fstream>
#include <iterator>
#endif

namespace restbox::market {
namespace {

using core::Json;

// The seed's examples, without the comments and the trailing comma the seed's page shows.
const std::map<std::string, std::string>& Goldens() {
  static const std::map<std::string, std::string> goldens = {
      {"backend_success.json",
       R"({"code": 0, "result": {"data": "sample"}, "otherField1": "value1", "otherField2": "value2"})"},
      {"consumer_success.json", R"({"code": 0, "credits": 0.001, "result": {"data": "sample"}})"},
      {"backend_failure.json",
       R"({"code": 1000, "msg": "Reason for request failure", "otherField1": "value1", "otherField2": "value2"})"},
      {"consumer_failure.json", R"({"code": 1000, "msg": "Reason for request failure"})"},
      {"params_schema.json", R"([
        {"name": "bindId", "desc": "绑定用户ID", "required": true, "defaultValue": "", "type": "string", "example": "123"},
        {"name": "productId", "desc": "产品ID", "required": true, "defaultValue": "", "type": "string", "example": "123456"}])"},
  };
  return goldens;
}

Json Golden(const std::string& name) {
  return Json::parse(Goldens().at(name));
}

#ifndef __EMSCRIPTEN__
TEST(MarketGoldens, EmbeddedCopiesMatchTheFixtureFiles) {
  for (const auto& [name, text] : Goldens()) {
    std::ifstream in(std::string(RESTBOX_FIXTURES_DIR) + "/market/" + name);
    ASSERT_TRUE(in) << name;
    std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(Json::parse(file), Json::parse(text)) << name;
  }
}
#endif

// The seed's own worked example: the provider's answer becomes the consumer's, extra members
// dropped and the price (0.001) reported as credits.
TEST(MarketModels, SeedSuccessExampleBecomesTheConsumerAnswer) {
  auto backend = core::ConvertJson<BackendResponse>(Golden("backend_success.json"));
  ASSERT_TRUE(backend.ok()) << backend.error().message;
  EXPECT_EQ(backend->code, 0);
  EXPECT_EQ(backend->result, Json({{"data", "sample"}}));
  EXPECT_FALSE(backend->msg);
  PricingPlan plan{.kind = PlanKind::kPerCall, .price = 0.001};
  Charge charge = ComputeCharge(plan, *backend);
  EXPECT_EQ(Json(ConsumerView(*backend, charge)), Golden("consumer_success.json"));
}

TEST(MarketModels, SeedFailureExampleBecomesTheConsumerAnswer) {
  auto backend = core::ConvertJson<BackendResponse>(Golden("backend_failure.json"));
  ASSERT_TRUE(backend.ok());
  EXPECT_EQ(backend->code, 1000);
  EXPECT_EQ(backend->msg, "Reason for request failure");
  PricingPlan plan{.kind = PlanKind::kPerCall, .price = 0.001};
  Charge charge = ComputeCharge(plan, *backend);
  EXPECT_FALSE(charge.counted);
  EXPECT_EQ(Json(ConsumerView(*backend, charge)), Golden("consumer_failure.json"));
}

TEST(MarketModels, CallResultRoundTrips) {
  for (const char* name : {"consumer_success.json", "consumer_failure.json"}) {
    auto r = core::ConvertJson<CallResult>(Golden(name));
    ASSERT_TRUE(r.ok()) << name;
    EXPECT_EQ(Json(*r), Golden(name)) << name;
  }
  auto ok = core::ConvertJson<CallResult>(Golden("consumer_success.json"));
  EXPECT_EQ(ok->credits, 0.001);
  auto failed = core::ConvertJson<CallResult>(Golden("consumer_failure.json"));
  EXPECT_FALSE(failed->credits);
  EXPECT_TRUE(failed->result.is_null());
}

TEST(MarketModels, ParamsSchemaRoundTripsTheSeedExample) {
  auto schema = core::ConvertJson<ParamsSchema>(Golden("params_schema.json"));
  ASSERT_TRUE(schema.ok()) << schema.error().message;
  ASSERT_EQ(schema->size(), 2u);
  EXPECT_EQ((*schema)[0].name, "bindId");
  EXPECT_TRUE((*schema)[0].required);
  EXPECT_EQ((*schema)[0].type, ParamType::kString);
  EXPECT_EQ((*schema)[0].desc, "绑定用户ID");
  EXPECT_EQ((*schema)[1].example, "123456");
  EXPECT_EQ(Json(*schema), Golden("params_schema.json"));
  EXPECT_TRUE(CheckSchema(*schema).empty());
}

TEST(MarketModels, ParamSpecRejectsWhatTheSeedForbids) {
  EXPECT_FALSE(core::ConvertJson<ParamSpec>(Json{{"required", true}}).ok());  // no name
  EXPECT_FALSE(core::ConvertJson<ParamSpec>(Json{{"name", ""}, {"required", true}}).ok());  // empty
  EXPECT_FALSE(core::ConvertJson<ParamSpec>(Json{{"name", "a"}}).ok());  // no required
  EXPECT_FALSE(core::ConvertJson<ParamSpec>(Json{{"name", "a"}, {"required", "yes"}}).ok());
  EXPECT_FALSE(
      core::ConvertJson<ParamSpec>(Json{{"name", "a"}, {"required", true}, {"type", "integer"}})
          .ok());
  EXPECT_FALSE(core::ConvertJson<ParamSpec>(Json::array()).ok());
  auto no_type = core::ConvertJson<ParamSpec>(Json{{"name", "a"}, {"required", false}});
  ASSERT_TRUE(no_type.ok());
  EXPECT_FALSE(no_type->type);
}

TEST(MarketModels, EveryParamTypeNameRoundTrips) {
  const std::vector<std::string> names = {"number", "string", "file", "array",  "object",
                                          "int",    "long",   "date", "boolean"};
  for (const auto& n : names) {
    auto t = ParseParamType(n);
    ASSERT_TRUE(t) << n;
    EXPECT_EQ(ToString(*t), n);
  }
  EXPECT_FALSE(ParseParamType("String"));
  EXPECT_FALSE(ParseParamType("integer"));
}

TEST(MarketModels, BackendResponseIsStrictAboutTheConvention) {
  EXPECT_FALSE(core::ConvertJson<BackendResponse>(Json{{"result", 1}}).ok());
  EXPECT_FALSE(core::ConvertJson<BackendResponse>(Json{{"code", "0"}}).ok());
  EXPECT_FALSE(core::ConvertJson<BackendResponse>(Json{{"code", 1.5}}).ok());
  EXPECT_FALSE(core::ConvertJson<BackendResponse>(Json{{"code", true}}).ok());
  EXPECT_FALSE(core::ConvertJson<BackendResponse>(Json{{"code", 0}, {"forceDeduct", "true"}}).ok());
  EXPECT_FALSE(core::ConvertJson<BackendResponse>(Json{{"code", 0}, {"msg", 3}}).ok());
  EXPECT_FALSE(
      core::ConvertJson<BackendResponse>(Json{{"code", 0}, {"creditsDeduct", "0.1"}}).ok());
  auto full = core::ConvertJson<BackendResponse>(Json{{"code", 1002},
                                                      {"forceDeduct", true},
                                                      {"msg", "m"},
                                                      {"creditsDeduct", 0.01},
                                                      {"result", {1}}});
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(Json(*full), Json({{"code", 1002},
                               {"forceDeduct", true},
                               {"msg", "m"},
                               {"creditsDeduct", 0.01},
                               {"result", {1}}}));
}

TEST(MarketModels, PricingPlansRoundTrip) {
  std::vector<PricingPlan> plans = {
      {.kind = PlanKind::kPerCall, .price = 0.001},
      {.kind = PlanKind::kTiered, .tiers = {{100, 0.01}, {1000, 0.005}, {std::nullopt, 0}}},
      {.kind = PlanKind::kDynamic, .dynamic_cap = 0.2},
  };
  for (const auto& p : plans) {
    auto back = core::ConvertJson<PricingPlan>(Json(p));
    ASSERT_TRUE(back.ok()) << Json(p).dump();
    EXPECT_EQ(*back, p);
  }
  EXPECT_EQ(Json(plans[1]), Json::parse(R"({"type":"tiered","tiers":[{"upTo":100,"price":0.01},
      {"upTo":1000,"price":0.005},{"price":0}]})"));
  EXPECT_FALSE(core::ConvertJson<PricingPlan>(Json{{"type", "monthly"}}).ok());
  EXPECT_FALSE(core::ConvertJson<PricingPlan>(Json{{"type", "per_call"}}).ok());
  EXPECT_FALSE(core::ConvertJson<PricingPlan>(
                   Json{{"type", "tiered"}, {"tiers", {{{"upTo", 1.5}, {"price", 1}}}}})
                   .ok());
  auto dynamic = core::ConvertJson<PricingPlan>(Json{{"type", "dynamic"}});
  ASSERT_TRUE(dynamic.ok());
  EXPECT_EQ(dynamic->dynamic_cap, kDynamicCap);
}

TEST(MarketModels, CodesAndMeanings) {
  for (int c : {0, 1000, 1001, 1002, 1003, 1004, 1005}) {
    EXPECT_TRUE(IsDocumentedCode(c)) << c;
    EXPECT_FALSE(CodeMeaning(c).empty()) << c;
  }
  for (int c : {-1, 1, 999, 1006, 200}) EXPECT_FALSE(IsDocumentedCode(c)) << c;
  EXPECT_EQ(CodeMeaning(1003), "busy, retry later");
}

TEST(MarketModels, ReadCallResultOnlyAcceptsConventionBodies) {
  EXPECT_TRUE(ReadCallResult(R"({"code":1003})"));
  EXPECT_TRUE(ReadCallResult(R"({"code":0,"unknown":[1,2],"result":null})"));
  EXPECT_FALSE(ReadCallResult(R"({"code":"1003"})"));
  EXPECT_FALSE(ReadCallResult(R"({"code":1003.5})"));
  EXPECT_FALSE(ReadCallResult(R"([{"code":0}])"));
  EXPECT_FALSE(ReadCallResult("<html>502</html>"));
  EXPECT_FALSE(ReadCallResult(""));
  EXPECT_TRUE(IsBusyResponse({200, {}, R"({"code":1003,"msg":"busy"})"}));
  EXPECT_TRUE(IsBusyResponse({503, {}, R"({"code":1003})"}));
  EXPECT_FALSE(IsBusyResponse({200, {}, R"({"code":1002})"}));
  EXPECT_FALSE(IsBusyResponse({503, {}, "Service Unavailable"}));
}

TEST(MarketErrors, CodesMapToServiceErrorsWhateverTheStatus) {
  for (int status : {200, 404, 500}) {
    for (int code = 1000; code <= 1005; ++code) {
      core::HttpResponse r{
          status, {}, R"({"code":)" + std::to_string(code) + R"(,"msg":"why","extra":1})"};
      core::Error e = ParseError(r);
      EXPECT_EQ(e.kind, core::ErrorKind::kService);
      EXPECT_EQ(e.code, std::to_string(code));
      EXPECT_EQ(e.http_status, status);
      EXPECT_EQ(e.message, "why");
      auto decoded = DecodeCallResult(r);
      ASSERT_FALSE(decoded.ok());
      EXPECT_EQ(decoded.error().code, std::to_string(code));
    }
  }
}

TEST(MarketErrors, MessageFallsBackToTheCodeMeaning) {
  core::Error e = ParseError({200, {}, R"({"code":1005})"});
  EXPECT_EQ(e.message, "balance insufficient");
  core::Error odd = ParseError({200, {}, R"({"code":2001})"});
  EXPECT_EQ(odd.kind, core::ErrorKind::kService);
  EXPECT_EQ(odd.code, "2001");
  EXPECT_EQ(odd.message, "code 2001");
}

TEST(MarketErrors, ParamsErrorsCarryFieldDetails) {
  std::vector<core::FieldError> problems = {{"bindId", "is required"},
                                            {"days", "must be an int (a 32-bit integer)"}};
  CallResult answer{1001, ParamsErrorResult(problems), ParamsErrorMessage(problems), std::nullopt};
  core::Error e = ParseError({200, {}, Json(answer).dump()});
  EXPECT_EQ(e.details, problems);
  EXPECT_EQ(e.message,
            "Invalid parameters: bindId is required; days must be an int (a 32-bit integer)");
}

TEST(MarketErrors, BodiesOutsideTheConventionUseTheStatus) {
  core::Error gateway = ParseError({502, {}, "<html>Bad Gateway</html>"});
  EXPECT_EQ(gateway.kind, core::ErrorKind::kServerError);
  EXPECT_EQ(gateway.http_status, 502);
  EXPECT_TRUE(gateway.code.empty());
  auto garbage = DecodeCallResult({200, {}, "not json"});
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().kind, core::ErrorKind::kDecode);
  auto no_code = DecodeCallResult({200, {}, R"({"result":1})"});
  ASSERT_FALSE(no_code.ok());
  EXPECT_EQ(no_code.error().kind, core::ErrorKind::kDecode);
}

TEST(MarketErrors, CodeZeroIsSuccessWhateverTheStatus) {
  for (int status : {200, 202, 404, 500}) {
    auto r = DecodeCallResult(
        {status, {}, R"({"code":0,"credits":0.001,"result":{"a":1},"ignored":true})"});
    ASSERT_TRUE(r.ok()) << status;
    EXPECT_EQ(r->credits, 0.001);
    EXPECT_EQ(r->result, Json({{"a", 1}}));
  }
}

TEST(MarketErrors, InterpretResponseMatchesTheClientMapping) {
  const core::EndpointSpec& ep = *Spec().Find(kCall);
  auto ok = InterpretResponse(
      ep, {200, {}, R"({"code":0,"credits":0.001,"result":{"data":"sample"},"x":1})"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, Golden("consumer_success.json"));
  auto busy = InterpretResponse(ep, {200, {}, R"({"code":1003,"msg":"busy"})"});
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().kind, core::ErrorKind::kService);
  EXPECT_EQ(busy.error().code, "1003");
  EXPECT_EQ(busy.error().http_status, 200);
}

TEST(MarketSpec, TableDocumentsEveryCodeOnBothVariants) {
  const auto& spec = Spec();
  EXPECT_EQ(spec.id, "market");
  for (auto id : {kCall, kCallGet}) {
    const core::EndpointSpec* ep = spec.Find(id);
    ASSERT_NE(ep, nullptr);
    EXPECT_EQ(ep->path, "/market/{project}/{slug}");
    EXPECT_EQ(ep->success, std::vector<int>{200});
    ASSERT_EQ(ep->errors.size(), 6u);
    for (int code = 1000; code <= 1005; ++code) {
      const core::StatusSpec* row = ep->FindError(200, std::to_string(code));
      ASSERT_NE(row, nullptr) << code;
      EXPECT_FALSE(row->trigger.empty());
    }
    EXPECT_FALSE(ep->idempotent);  // a processed call is charged: never blindly repeated
  }
  EXPECT_EQ(spec.Find(kCall)->method, core::Method::kPost);
  EXPECT_EQ(spec.Find(kCallGet)->method, core::Method::kGet);
  EXPECT_EQ(Json::parse(spec.Find(kCall)->example_request),
            Json({{"bindId", "123"}, {"productId", "123456"}}));
  EXPECT_EQ(Json::parse(spec.Find(kCall)->example_response), Golden("consumer_success.json"));
}

}  // namespace
}  // namespace restbox::market
