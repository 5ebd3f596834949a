// Golden round trips of the seed's own JSON examples (seeds/000_c8fc0666472e7305.txt, copied
// verbatim below) through the models, plus the schema check and the error mapping.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "restbox/chikage/models.hpp"
#include "restbox/chikage/spec.hpp"

namespace restbox::chikage {
namespace {

using core::ErrorKind;
using core::Json;

// "POST — 建立" request body.
constexpr const char* kSeedCreateBody = R"({
  "order_id": "ORD-2024-001",
  "amount": 45000,
  "items": ["Item A", "Item B"],
  "paid": true
})";

// "PUT — 更新" request body.
constexpr const char* kSeedReplaceBody = R"({
  "order_id": "ORD-2024-001",
  "amount": 50000,
  "items": ["Item A", "Item B", "Item C"],
  "paid": true
})";

// "成功回應 (202)".
constexpr const char* kSeedQueued = R"({
  "success": true,
  "id": "rec_abc123",
  "message": "Request queued"
})";

// "錯誤回應示例 (400)".
constexpr const char* kSeedError = R"({
  "success": false,
  "error": "Validation failed",
  "details": [
    { "field": "order_id", "error": "Required field is missing" }
  ]
})";

Json Parse(const char* text) {
  auto r = core::ParseJson(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? r.value() : Json();
}

TEST(ChikageModels, QueuedWriteRoundTripsTheSeedExample) {
  auto decoded = core::DecodeJson<QueuedWrite>(kSeedQueued);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, (QueuedWrite{true, "rec_abc123", "Request queued"}));
  EXPECT_EQ(Json(*decoded), Parse(kSeedQueued));
}

TEST(ChikageModels, ErrorBodyRoundTripsTheSeedExample) {
  auto decoded = core::DecodeJson<ErrorBody>(kSeedError);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->error, "Validation failed");
  EXPECT_EQ(decoded->details,
            (std::vector<core::FieldError>{{"order_id", "Required field is missing"}}));
  EXPECT_EQ(Json(*decoded), Parse(kSeedError));
  // Without details, none are written (the contract: details only for validation).
  EXPECT_EQ(Json(ErrorBody{"Invalid API key", {}}),
            Parse(R"({"success":false,"error":"Invalid API key"})"));
}

TEST(ChikageModels, RecordRoundTripsWithTheSeedBodies) {
  for (const char* body : {kSeedCreateBody, kSeedReplaceBody}) {
    Record r{"rec_abc123", Parse(body), "2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z"};
    Json j = r;
    EXPECT_EQ(j["success"], true);
    EXPECT_EQ(j["data"], Parse(body));
    auto back = core::ConvertJson<Record>(j);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, r);
    auto from_text = core::DecodeJson<Record>(core::DumpJson(j));
    ASSERT_TRUE(from_text.ok());
    EXPECT_EQ(*from_text, r);
  }
}

TEST(ChikageModels, TheEndpointTableCarriesTheSeedExamples) {
  const auto& spec = Spec();
  const auto* create = spec.Find(kCreate);
  const auto* replace = spec.Find(kReplace);
  const auto* get = spec.Find(kGet);
  const auto* del = spec.Find(kDelete);
  ASSERT_TRUE(create && replace && get && del);
  EXPECT_EQ(Parse(create->example_request.c_str()), Parse(kSeedCreateBody));
  EXPECT_EQ(Parse(replace->example_request.c_str()), Parse(kSeedReplaceBody));
  EXPECT_EQ(Parse(create->example_response.c_str()), Parse(kSeedQueued));
  auto record = core::DecodeJson<Record>(get->example_response);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->data, Parse(kSeedCreateBody));
  // The seed's paths, methods and statuses.
  EXPECT_EQ(create->method, core::Method::kPost);
  EXPECT_EQ(create->path, "/api/v1/data/{slug}");
  EXPECT_EQ(get->path, "/api/v1/data/{slug}/{record_id}");
  EXPECT_EQ(create->success, std::vector<int>{202});
  EXPECT_EQ(get->success, std::vector<int>{200});
  EXPECT_EQ(del->success, std::vector<int>{202});
  EXPECT_FALSE(create->idempotent);
  EXPECT_TRUE(get->idempotent && replace->idempotent && del->idempotent);
  for (int s : {400, 401, 403, 415, 429, 500, 502, 503}) EXPECT_TRUE(create->Documents(s)) << s;
  EXPECT_FALSE(get->Documents(415));
  EXPECT_EQ(spec.default_base_url, "https://api.chikage.io");
  EXPECT_EQ(kMaxBodyBytes, 102400u);
}

TEST(ChikageModels, QueuedWriteWithoutAnIdIsADecodeError) {
  auto r = core::DecodeJson<QueuedWrite>(R"({"success":true,"message":"Request queued"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kDecode);
  auto wrong = core::DecodeJson<Record>(R"({"id":7})");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::kDecode);
}

TEST(ChikageModels, WebhookEventAndSchemaFieldRoundTrip) {
  WebhookEvent e{"record.created", "rec_abc123",           "orders",
                 "test",           Parse(kSeedCreateBody), "2026-01-01T00:00:00.000Z"};
  auto back = core::ConvertJson<WebhookEvent>(Json(e));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, e);
  WebhookEvent deleted{"record.deleted", "rec_x", "orders",
                       "live",           nullptr, "2026-01-01T00:00:00.000Z"};
  EXPECT_EQ(*core::ConvertJson<WebhookEvent>(Json(deleted)), deleted);

  SchemaField f{"amount", "number", true};
  EXPECT_EQ(*core::ConvertJson<SchemaField>(Json(f)), f);
  auto defaults = core::DecodeJson<SchemaField>(R"({"name":"note"})");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(*defaults, (SchemaField{"note", "string", false}));
}

TEST(ChikageSchema, ReportsMissingAndMistypedFieldsWithTheServiceMessages) {
  const std::vector<SchemaField> schema = {
      {"order_id", "string", true}, {"amount", "number", false}, {"count", "integer", false},
      {"items", "array", false},    {"paid", "boolean", false},  {"meta", "object", false}};
  EXPECT_TRUE(CheckAgainstSchema(Parse(kSeedCreateBody), schema).empty());
  EXPECT_TRUE(CheckAgainstSchema(Parse(kSeedReplaceBody), schema).empty());
  EXPECT_TRUE(
      CheckAgainstSchema({{"order_id", "x"}, {"count", 3.0}, {"extra", "kept"}}, schema).empty());
  EXPECT_EQ(CheckAgainstSchema({{"amount", 1}}, schema),
            (std::vector<core::FieldError>{{"order_id", "Required field is missing"}}));
  EXPECT_EQ(CheckAgainstSchema({{"order_id", nullptr}}, schema),
            (std::vector<core::FieldError>{{"order_id", "Required field is missing"}}));
  EXPECT_EQ(CheckAgainstSchema({{"order_id", 1},
                                {"amount", "45000"},
                                {"count", 1.5},
                                {"items", "Item A"},
                                {"paid", "true"},
                                {"meta", Json::array()}},
                               schema),
            (std::vector<core::FieldError>{{"order_id", "Expected type string"},
                                           {"amount", "Expected type number"},
                                           {"count", "Expected type integer"},
                                           {"items", "Expected type array"},
                                           {"paid", "Expected type boolean"},
                                           {"meta", "Expected type object"}}));
  for (const Json& body : {Json::array(), Json("x"), Json(nullptr), Json(1)}) {
    EXPECT_EQ(CheckAgainstSchema(body, schema),
              (std::vector<core::FieldError>{{"body", "Body must be a JSON object"}}));
  }
}

TEST(ChikageErrors, ParseErrorReadsTheServiceBodyOrFallsBackToTheReason) {
  core::HttpResponse bad{400, {}, kSeedError};
  core::Error e = ParseError(bad);
  EXPECT_EQ(e.kind, ErrorKind::kBadRequest);
  EXPECT_EQ(e.http_status, 400);
  EXPECT_EQ(e.message, "Validation failed");
  EXPECT_EQ(e.details, (std::vector<core::FieldError>{{"order_id", "Required field is missing"}}));
  EXPECT_EQ(e.raw_body, kSeedError);

  EXPECT_EQ(ParseError({502, {}, "<html>Bad Gateway</html>"}).message, "Bad Gateway");
  EXPECT_EQ(ParseError({503, {}, ""}).message, "Service Unavailable");
  EXPECT_EQ(ParseError({599, {}, "{}"}).message, "HTTP 599");
  EXPECT_EQ(ParseError({429, {}, R"({"success":false})"}).kind, ErrorKind::kRateLimited);
  EXPECT_EQ(ParseError({415, {}, R"({"error":5})"}).kind, ErrorKind::kUnsupportedMediaType);
  // Malformed details entries are skipped, not fatal.
  core::Error odd =
      ParseError({400, {}, R"({"error":"x","details":[1,"a",{"field":"f","error":"e"}]})"});
  EXPECT_EQ(odd.details, (std::vector<core::FieldError>{{"f", "e"}}));
}

TEST(ChikageErrors, InterpretResponseMapsSuccessAndErrors) {
  const auto& create = *Spec().Find(kCreate);
  auto ok = InterpretResponse(create, {202, {}, kSeedQueued});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["id"], "rec_abc123");
  auto err = InterpretResponse(create, {400, {}, kSeedError});
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().message, "Validation failed");
  auto undecodable = InterpretResponse(create, {202, {}, "queued!"});
  ASSERT_FALSE(undecodable.ok());
  EXPECT_EQ(undecodable.error().kind, ErrorKind::kDecode);
  EXPECT_EQ(undecodable.error().http_status, 202);
  // The seed's success is a 202; another 2xx is not ruled out by any row, so a server that
  // answers 200 or 201 is read the same way. A 3xx is not a success.
  auto other_2xx = InterpretResponse(create, {200, {}, kSeedQueued});
  ASSERT_TRUE(other_2xx.ok());
  EXPECT_EQ((*other_2xx)["id"], "rec_abc123");
  EXPECT_FALSE(InterpretResponse(create, {302, {}, kSeedQueued}).ok());
}

}  // namespace
}  // namespace restbox::chikage
