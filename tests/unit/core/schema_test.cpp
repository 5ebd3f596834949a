// The response-schema validator (restbox/core/schema.hpp): each keyword, and problems as
// {JSON path, expected, actual}.
#include <gtest/gtest.h>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/schema.hpp"

namespace restbox::core {
namespace {

Json J(const char* text) {
  return SchemaFromText(text);
}

std::vector<std::string> Problems(const Json& schema, const char* value) {
  std::vector<std::string> out;
  for (const auto& p : ValidateSchema(schema, Json::parse(value))) out.push_back(ToString(p));
  return out;
}

using V = std::vector<std::string>;

TEST(Schema, TypesAndTheIssueExample) {
  Json s = J(R"({"type":"object","properties":{"id":{"type":"string"}}})");
  EXPECT_EQ(Problems(s, R"({"id":"rec_1"})"), V{});
  EXPECT_EQ(Problems(s, R"({"id":5})"), V{"$.id: expected string, got number"});
  EXPECT_EQ(Problems(s, R"([1])"), V{"$: expected object, got array"});
  EXPECT_EQ(Problems(J(R"({"type":"boolean"})"), "1"), V{"$: expected boolean, got number"});
}

TEST(Schema, IntegerAcceptsWholeNumbersOnlyNumberAcceptsAll) {
  Json integer = J(R"({"type":"integer"})");
  EXPECT_EQ(Problems(integer, "45000"), V{});
  EXPECT_EQ(Problems(integer, "45000.0"), V{});
  EXPECT_EQ(Problems(integer, "45000.5"), V{"$: expected integer, got 45000.5"});
  Json number = J(R"({"type":"number"})");
  EXPECT_EQ(Problems(number, "45000.5"), V{});
  EXPECT_EQ(Problems(number, "-3"), V{});
  EXPECT_EQ(Problems(number, "\"3\""), V{"$: expected number, got string"});
}

TEST(Schema, RequiredMembersAndNullability) {
  Json s = J(R"({"type":"object","required":["a","b"],"properties":{
    "a":{"type":"string"},"b":{"type":"string","nullable":true}}})");
  EXPECT_EQ(Problems(s, R"({"a":"x","b":null})"), V{});
  EXPECT_EQ(Problems(s, R"({"b":"y"})"), V{"$.a: expected present, got absent"});
  EXPECT_EQ(Problems(s, R"({"a":null,"b":"y"})"), V{"$.a: expected string, got null"});
  // Unknown members are always accepted.
  EXPECT_EQ(Problems(s, R"({"a":"x","b":"y","extra":[1,2]})"), V{});
  // A schema without any type constraint accepts null.
  EXPECT_EQ(Problems(J(R"({"description":"any"})"), "null"), V{});
}

TEST(Schema, EnumsItemsAndPaths) {
  Json s = J(R"({"type":"object","properties":{"data":{"type":"object","properties":{
    "items":{"type":"array","items":{"type":"object","required":["token"],"properties":{
      "status":{"type":"string","enum":["active","pending"]},"x-y":{"type":"integer"}}}}}}}})");
  EXPECT_EQ(Problems(s, R"({"data":{"items":[{"token":"t","status":"active"}]}})"), V{});
  EXPECT_EQ(Problems(s, R"({"data":{"items":[{"token":"t"},{"status":"gone","x-y":"1"}]}})"),
            (V{"$.data.items[1].token: expected present, got absent",
               "$.data.items[1].status: expected one of [\"active\",\"pending\"], got \"gone\"",
               "$.data.items[1][\"x-y\"]: expected integer, got string"}));
  // Numbers in an enum compare by value.
  EXPECT_EQ(Problems(J(R"({"type":"integer","enum":[200]})"), "200.0"), V{});
  EXPECT_EQ(Problems(J(R"({"type":"integer","enum":[200]})"), "201"),
            V{"$: expected one of [200], got 201"});
}

TEST(Schema, AdditionalPropertiesFalseClosesAnObject) {
  Json closed = J(
      R"({"type":"object","properties":{"code":{"type":"integer"}},"additionalProperties":false})");
  EXPECT_EQ(Problems(closed, R"({"code":0})"), V{});
  EXPECT_EQ(Problems(closed, R"({"code":0,"forceDeduct":true})"),
            V{"$.forceDeduct: expected absent (not a documented member), got present"});
  // Any other value, and its absence, leave extra members accepted.
  Json open =
      J(R"({"type":"object","properties":{"code":{"type":"integer"}},"additionalProperties":{}})");
  EXPECT_EQ(Problems(open, R"({"code":0,"x":1})"), V{});
}

TEST(Schema, AnyOfReportsTheClosestAlternative) {
  Json s = J(R"({"anyOf":[
    {"type":"object","required":["code","status","message"],"properties":{"status":{"type":"string"}}},
    {"type":"object","required":["status","message"],"properties":{"status":{"type":"integer"}}}]})");
  EXPECT_EQ(Problems(s, R"({"status":403,"message":"API access is disabled"})"), V{});
  EXPECT_EQ(Problems(s, R"({"code":403,"status":"fail","message":"m"})"), V{});
  EXPECT_EQ(Problems(s, R"({"status":403})"), V{"$.message: expected present, got absent"});
}

TEST(Schema, MinimumAndDateTime) {
  EXPECT_EQ(Problems(J(R"({"type":"number","minimum":0})"), "-1"), V{"$: expected >= 0, got -1"});
  Json t = J(R"({"type":"string","format":"date-time"})");
  for (const char* ok : {"\"2026-02-07T08:00:00.000Z\"", "\"2026-02-07T08:00:00Z\"",
                         "\"2026-02-07T08:00+09:00\"", "\"2025-01-01T00:00:00.123456Z\""}) {
    EXPECT_EQ(Problems(t, ok), V{}) << ok;
  }
  EXPECT_EQ(Problems(t, "\"2026-02-07 08:00:00\""),
            V{"$: expected date-time (ISO 8601), got \"2026-02-07 08:00:00\""});
  EXPECT_EQ(Problems(t, "\"yesterday\""), V{"$: expected date-time (ISO 8601), got \"yesterday\""});
}

TEST(Schema, NullSchemaAcceptsEverythingAndBadTextThrows) {
  EXPECT_TRUE(ValidateSchema(nullptr, Json::parse(R"({"a":1})")).empty());
  EXPECT_THROW(SchemaFromText("{not json"), std::invalid_argument);
}

TEST(EndpointSpec, ResponseSchemaPicksTheRowThenTheSuccess) {
  EndpointSpec ep;
  ep.success = {200};
  ep.success_schema = J(R"({"type":"object","properties":{"code":{"enum":[0]}}})");
  ep.errors = {{200, "1003", "busy", J(R"({"properties":{"code":{"enum":[1003]}}})")},
               {400, "VALIDATION_ERROR", "bad", J(R"({"required":["error"]})")},
               {400, "INVALID_TOKEN", "bad token", J(R"({"required":["error","x"]})")},
               {404, "", "none"}};
  EXPECT_EQ(ep.ResponseSchema(200), &ep.success_schema);
  EXPECT_EQ(ep.ResponseSchema(200, "1003"), &ep.errors[0].schema);
  EXPECT_EQ(ep.ResponseSchema(400, "INVALID_TOKEN"), &ep.errors[2].schema);
  EXPECT_EQ(ep.ResponseSchema(400), &ep.errors[1].schema);
  EXPECT_EQ(ep.ResponseSchema(404), nullptr);             // documented, not described
  EXPECT_EQ(ep.ResponseSchema(201), &ep.success_schema);  // an undocumented 2xx reads as success
  EXPECT_EQ(ep.ResponseSchema(500), nullptr);
}

TEST(EndpointSpec, AcceptsAnyUndocumented2xxWhereASuccessIsDocumented) {
  EndpointSpec ep;
  ep.success = {200};
  ep.errors = {{202, "", "queued is an error here"}};
  EXPECT_TRUE(ep.AcceptsAsSuccess(200));
  EXPECT_TRUE(ep.AcceptsAsSuccess(201));
  EXPECT_TRUE(ep.AcceptsAsSuccess(204));
  EXPECT_FALSE(ep.AcceptsAsSuccess(202));  // ruled out by the table
  EXPECT_FALSE(ep.AcceptsAsSuccess(301));
  EXPECT_FALSE(ep.AcceptsAsSuccess(400));
  EndpointSpec none;
  EXPECT_FALSE(none.AcceptsAsSuccess(200));
}

TEST(SchemaFromExample, FollowsTheTypes) {
  EXPECT_EQ(SchemaFromExample(Json(1)), (Json{{"type", "integer"}}));
  EXPECT_EQ(SchemaFromExample(Json(1.5)), (Json{{"type", "number"}}));
  EXPECT_EQ(SchemaFromExample(Json("x")), (Json{{"type", "string"}}));
  EXPECT_EQ(SchemaFromExample(Json(true)), (Json{{"type", "boolean"}}));
  EXPECT_EQ(SchemaFromExample(Json(nullptr)), (Json{{"nullable", true}}));
  EXPECT_EQ(SchemaFromExample(Json::array()), (Json{{"type", "array"}, {"items", Json::object()}}));
  EXPECT_EQ(SchemaFromExample(Json::parse(R"({"a":[1]})")),
            (Json{{"type", "object"},
                  {"properties", {{"a", {{"type", "array"}, {"items", {{"type", "integer"}}}}}}}}));
}

}  // namespace
}  // namespace restbox::core
