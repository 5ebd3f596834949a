#include "restbox/inventory/spec.hpp"

#include <string>
#include <vector>

#include "restbox/core/schema.hpp"
#include "restbox/inventory/models.hpp"

namespace restbox::inventory {
namespace {

using core::FieldIn;
using core::FieldSpec;
using core::FieldType;
using core::StatusSpec;

std::string N(std::size_t n) {
  return std::to_string(n);
}

StatusSpec Row(std::string_view code, int status, std::string trigger) {
  return {status, std::string(code), std::move(trigger)};
}

// Rows every endpoint has: the key, the account's API switch, the rate limits.
std::vector<StatusSpec> CommonErrors() {
  return {Row(kInvalidApiKey, 401,
              "missing Authorization, malformed key (no inv_), unknown or deleted key"),
          Row(kApiKeyExpired, 401, "key past its expiry, or replaced by a regeneration"),
          Row(kApiDisabled, 403, "the account's API access is switched off"),
          Row(kRateLimitExceeded, 429,
              "61st request in a minute for the key, or the account's monthly quota used up")};
}

// Rows of every POST: the write scope and the body.
std::vector<StatusSpec> WriteErrors(std::string validation_trigger) {
  return {Row(kScopeDenied, 403, "the key has no write scope (read-only key)"),
          Row(kValidationError, 400, "invalid JSON, or " + std::move(validation_trigger))};
}

// Rows of endpoints that take a template {token} owned by the caller.
std::vector<StatusSpec> TemplateTokenErrors() {
  return {Row(kInvalidToken, 400, "{token} is not tpl_ + 22 base64url characters"),
          Row(kNotFound, 404, "well-formed template token that names no template"),
          Row(kForbidden, 403, "the template belongs to another user")};
}

std::vector<StatusSpec> Join(std::initializer_list<std::vector<StatusSpec>> parts) {
  std::vector<StatusSpec> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

FieldSpec AuthHeader() {
  return {.name = "Authorization",
          .in = FieldIn::kHeader,
          .required = true,
          .description = "Bearer inv_<base64url>: the key shown once when it was generated",
          .example = "\"Bearer inv_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\""};
}

FieldSpec TokenParam(std::string format, std::string description, std::string example) {
  return {.name = "token",
          .in = FieldIn::kPath,
          .required = true,
          .description = std::move(description),
          .example = std::move(example),
          .format = std::move(format)};
}

std::vector<FieldSpec> PageQuery() {
  return {{.name = "page",
           .in = FieldIn::kQuery,
           .type = FieldType::kInteger,
           .description = "page number, from 1",
           .minimum = 1,
           .default_value = "1",
           .example = "1"},
          {.name = "pageSize",
           .in = FieldIn::kQuery,
           .type = FieldType::kInteger,
           .description = "items per page (at most " + std::to_string(kMaxPageSize) + ")",
           .minimum = 1,
           .maximum = kMaxPageSize,
           .default_value = std::to_string(kDefaultPageSize),
           .example = "20"}};
}

FieldSpec KeywordsField(std::string description) {
  return {.name = "keywords",
          .type = FieldType::kArray,
          .description = std::move(description),
          .max_length = kMaxKeywords,
          .example = R"(["product:laptop", "price:$1500000KRW$"])",
          .format = "keyword"};
}

core::EndpointSpec Endpoint(std::string_view id, core::Method method, std::string path,
                            std::string summary, int success, std::vector<StatusSpec> errors,
                            std::vector<FieldSpec> fields) {
  core::EndpointSpec e;
  e.id = std::string(id);
  e.method = method;
  e.path = std::move(path);
  e.summary = std::move(summary);
  e.success = {success};
  e.errors = std::move(errors);
  fields.insert(fields.begin(), AuthHeader());
  e.fields = std::move(fields);
  // GETs are safe to repeat; a POST is retried only when the caller says so (Context::idempotent).
  e.idempotent = method == core::Method::kGet;
  return e;
}

constexpr const char* kItemExample = R"({
  "success": true,
  "data": {
    "token": "encrypted_item_id",
    "title": "物品标题",
    "content": "物品内容",
    "type": "paper",
    "status": "active",
    "imageUrl": "https://...",
    "keywords": ["key:value", "tag:example"],
    "createdAt": "2025-01-01T00:00:00Z",
    "updatedAt": "2025-01-01T00:00:00Z"
  }
})";

constexpr const char* kItemsExample = R"({
  "success": true,
  "data": {
    "items": [
      {
        "token": "encrypted_item_id",
        "title": "物品标题",
        "content": "物品内容",
        "type": "paper",
        "status": "active",
        "imageUrl": "https://...",
        "createdAt": "2025-01-01T00:00:00Z",
        "updatedAt": "2025-01-01T00:00:00Z"
      }
    ],
    "pagination": {
      "page": 1,
      "pageSize": 20,
      "totalItems": 50,
      "totalPages": 3
    }
  }
})";

constexpr const char* kTemplatesExample = R"({
  "success": true,
  "data": {
    "templates": [
      {
        "token": "encrypted_template_id",
        "title": "模板标题",
        "content": "模板内容",
        "imageUrl": "https://...",
        "commentMode": "independent",
        "isSharing": false,
        "createdAt": "2025-01-01T00:00:00Z"
      }
    ],
    "pagination": {
      "page": 1,
      "pageSize": 20,
      "totalItems": 10,
      "totalPages": 1
    }
  }
})";

// [choice] the seed shows no detail answer: the list entry plus keywords, dates and updatedAt.
constexpr const char* kTemplateExample = R"({
  "success": true,
  "data": {
    "token": "encrypted_template_id",
    "title": "模板标题",
    "content": "模板内容",
    "imageUrl": "https://...",
    "commentMode": "independent",
    "keywords": ["日期:@date@", "价格:0"],
    "publishDate": "2025-01-01T00:00:00Z",
    "validUntil": null,
    "isSharing": false,
    "createdAt": "2025-01-01T00:00:00Z",
    "updatedAt": "2025-01-01T00:00:00Z"
  }
})";

constexpr const char* kSharedExample = R"({
  "success": true,
  "data": {
    "sharedTemplates": [
      {
        "token": "encrypted_template_id",
        "shareToken": "encrypted_share_id",
        "title": "模板标题",
        "tags": ["TAG1", "TAG2"],
        "expiresAt": "2025-01-02T00:00:00Z",
        "copyCount": 5
      }
    ]
  }
})";

constexpr const char* kStatsExample = R"({
  "success": true,
  "data": {
    "email": "user@example.com",
    "createdAt": "2024-01-01T00:00:00Z",
    "items": {
      "total": 50,
      "paper": 30,
      "stamp": 20
    },
    "api": {
      "enabled": true,
      "monthlyLimit": 1000,
      "monthlyUsed": 150,
      "lastUsedAt": "2025-01-01T12:00:00Z"
    }
  }
})";

constexpr const char* kCreateRequest = R"({
  "imageUrl": "https://example.com/image.png",
  "title": "模板标题",
  "content": "模板内容",
  "commentMode": "independent",
  "keywords": ["product:laptop", "price:$1500000KRW$"]
})";

constexpr const char* kCreateResponse = R"({
  "success": true,
  "data": {
    "token": "encrypted_template_id",
    "title": "模板标题",
    "createdAt": "2025-01-01T00:00:00Z"
  }
})";

constexpr const char* kShareRequest = R"({
  "durationMinutes": 1440,
  "tags": ["TAG1", "TAG2"]
})";

constexpr const char* kShareResponse = R"({
  "success": true,
  "data": {
    "shareToken": "encrypted_share_id",
    "expiresAt": "2025-01-02T00:00:00Z",
    "tags": ["TAG1", "TAG2"]
  }
})";

constexpr const char* kRevokeRequest = R"({
  "shareToken": "encrypted_share_id"
})";

constexpr const char* kRevokeResponse = R"({
  "success": true,
  "data": {
    "message": "共享已成功撤销"
  }
})";

constexpr const char* kSendRequest = R"({
  "recipientEmail": "recipient@example.com",
  "message": "送给你的礼物!",
  "keywords": ["日期:2025-01-15", "金额:50000"]
})";

constexpr const char* kSendResponse = R"({
  "success": true,
  "data": {
    "itemToken": "encrypted_item_id",
    "recipientEmail": "recipient@example.com",
    "status": "sent"
  }
})";

constexpr const char* kOwnershipRequest = R"({
  "email": "user@example.com",
  "keywordKeys": ["日期", "金额"]
})";

constexpr const char* kOwnershipResponse = R"({
  "success": true,
  "data": {
    "hasItem": true,
    "itemTokens": ["encrypted_item_id_1", "encrypted_item_id_2"],
    "keywords": {
      "日期": "2025-01-15",
      "金额": "50000"
    }
  }
})";

// ---- body schemas (restbox/core/schema.hpp), from the seed's examples ----
// Each answer requires the members its example in the seed shows (values may differ, members may
// be added): an item those of GET /items (its details add keywords), a template those of
// GET /templates (the seed shows no template details; the contract: "Template details carry
// isSharing").
constexpr const char* kItemSchema = R"({"type":"object",
  "required":["token","title","content","type","status","imageUrl","createdAt","updatedAt"],"properties":{
  "token":{"type":"string"},"title":{"type":"string"},"content":{"type":"string"},
  "type":{"type":"string","enum":["paper","stamp"]},"status":{"type":"string","enum":["active","pending"]},
  "imageUrl":{"type":"string"},"keywords":{"type":"array","items":{"type":"string"}},
  "createdAt":{"type":"string","format":"date-time"},"updatedAt":{"type":"string","format":"date-time"}}})";
constexpr const char* kTemplateSchema = R"({"type":"object",
  "required":["token","title","content","imageUrl","commentMode","isSharing","createdAt"],"properties":{
  "token":{"type":"string"},"title":{"type":"string"},"content":{"type":"string"},
  "imageUrl":{"type":"string"},"commentMode":{"type":"string","enum":["independent","shared"]},
  "keywords":{"type":"array","items":{"type":"string"}},"isSharing":{"type":"boolean"},
  "publishDate":{"type":"string","nullable":true},"validUntil":{"type":"string","nullable":true},
  "createdAt":{"type":"string","format":"date-time"},"updatedAt":{"type":"string","format":"date-time"}}})";
constexpr const char* kPaginationSchema =
    R"({"type":"object","required":["page","pageSize","totalItems","totalPages"],
  "properties":{"page":{"type":"integer"},"pageSize":{"type":"integer"},"totalItems":{"type":"integer"},
  "totalPages":{"type":"integer"}}})";
constexpr const char* kSharedSchema =
    R"({"type":"object","required":["sharedTemplates"],"properties":{
  "sharedTemplates":{"type":"array","items":{"type":"object",
    "required":["token","shareToken","title","tags","expiresAt","copyCount"],"properties":{
    "token":{"type":"string"},"shareToken":{"type":"string"},"title":{"type":"string"},
    "tags":{"type":"array","items":{"type":"string"}},
    "expiresAt":{"type":"string","format":"date-time","nullable":true},"copyCount":{"type":"integer"}}}}}})";
constexpr const char* kStatsSchema =
    R"({"type":"object","required":["email","createdAt","items","api"],"properties":{
  "email":{"type":"string"},"createdAt":{"type":"string","format":"date-time"},
  "items":{"type":"object","required":["total","paper","stamp"],
           "properties":{"total":{"type":"integer"},"paper":{"type":"integer"},"stamp":{"type":"integer"}}},
  "api":{"type":"object","required":["enabled","monthlyLimit","monthlyUsed","lastUsedAt"],
         "properties":{"enabled":{"type":"boolean"},"monthlyLimit":{"type":"integer"},
         "monthlyUsed":{"type":"integer"},"lastUsedAt":{"type":"string","format":"date-time","nullable":true}}}}})";
constexpr const char* kCreatedSchema =
    R"({"type":"object","required":["token","title","createdAt"],"properties":{
  "token":{"type":"string"},"title":{"type":"string"},"createdAt":{"type":"string","format":"date-time"}}})";
constexpr const char* kShareSchema =
    R"({"type":"object","required":["shareToken","expiresAt","tags"],"properties":{
  "shareToken":{"type":"string"},"expiresAt":{"type":"string","format":"date-time","nullable":true},
  "tags":{"type":"array","items":{"type":"string"}}}})";
constexpr const char* kRevokeSchema =
    R"({"type":"object","required":["message"],"properties":{"message":{"type":"string"}}})";
constexpr const char* kSendSchema =
    R"({"type":"object","required":["itemToken","recipientEmail","status"],"properties":{
  "itemToken":{"type":"string"},"recipientEmail":{"type":"string"},"status":{"type":"string"}}})";
constexpr const char* kOwnershipSchema = R"({"type":"object","required":["hasItem"],"properties":{
  "hasItem":{"type":"boolean"},"itemTokens":{"type":"array","items":{"type":"string"}},
  "keywords":{"type":"object"}}})";

// {"success":true,"data":<data>}
core::Json Success(core::Json data) {
  core::Json s =
      core::SchemaFromText(R"({"type":"object","required":["success","data"],"properties":{
    "success":{"type":"boolean","enum":[true]}}})");
  s["properties"]["data"] = std::move(data);
  return s;
}

core::Json ListOf(const char* member, const char* item) {
  core::Json data = {{"type", "object"}, {"required", core::Json::array({member, "pagination"})}};
  data["properties"][member] = {{"type", "array"}, {"items", core::SchemaFromText(item)}};
  data["properties"]["pagination"] = core::SchemaFromText(kPaginationSchema);
  return Success(std::move(data));
}

// {"success":false,"error":{"code":"<row's code>","message":"…"}}
core::Json ErrorSchema(const std::string& code) {
  core::Json s =
      core::SchemaFromText(R"({"type":"object","required":["success","error"],"properties":{
    "success":{"type":"boolean","enum":[false]},
    "error":{"type":"object","required":["code","message"],"properties":{"message":{"type":"string"}}}}})");
  s["properties"]["error"]["properties"]["code"] = {{"type", "string"},
                                                    {"enum", core::Json::array({code})}};
  return s;
}

core::ServiceSpec Build() {
  using core::Method;
  core::ServiceSpec s;
  s.id = "inventory";
  s.title = "Inventory app";
  s.description =
      "Programmatic access to an Inventory account: items (documents) and templates (stamps); "
      "create, share, revoke and send templates. Bearer inv_ keys; 60 requests a minute per key "
      "plus a monthly per-account quota.";
  s.auth = core::AuthScheme::kBearer;
  s.default_base_url = "https://asia-northeast3-inventory-app-service.cloudfunctions.net";

  const std::string item_token_doc = "item token: itm_ + 22 base64url characters";
  const std::string template_token_doc = "template token: tpl_ + 22 base64url characters";
  const std::string template_token_example = "\"tpl_AAAAAAAAAAAAAAAAAAAAAA\"";

  // ---- reads ----
  auto items_fields = PageQuery();
  items_fields.push_back({.name = "status",
                          .in = FieldIn::kQuery,
                          .description = "status filter",
                          .enum_values = {"active", "pending"},
                          .default_value = "\"active\"",
                          .example = "\"active\""});
  items_fields.push_back({.name = "type",
                          .in = FieldIn::kQuery,
                          .description = "type filter (none: both)",
                          .enum_values = {"paper", "stamp"},
                          .example = "\"paper\""});
  auto list_items =
      Endpoint(kListItems, Method::kGet, "/apiV1/items", "List your items", 200,
               Join({CommonErrors(),
                     {Row(kValidationError, 400,
                          "page < 1, pageSize outside 1..100, unknown status or type")}}),
               items_fields);
  list_items.example_response = kItemsExample;

  auto get_item = Endpoint(
      kGetItem, Method::kGet, "/apiV1/items/{token}", "Get an item's details", 200,
      Join({CommonErrors(),
            {Row(kInvalidToken, 400, "{token} is not itm_ + 22 base64url characters"),
             Row(kNotFound, 404, "well-formed item token that names none of your items")}}),
      {TokenParam("item-token", item_token_doc, "\"itm_AAAAAAAAAAAAAAAAAAAAAA\"")});
  get_item.example_response = kItemExample;

  auto list_templates = Endpoint(
      kListTemplates, Method::kGet, "/apiV1/templates", "List your templates", 200,
      Join({CommonErrors(), {Row(kValidationError, 400, "page < 1 or pageSize outside 1..100")}}),
      PageQuery());
  list_templates.example_response = kTemplatesExample;

  auto get_template =
      Endpoint(kGetTemplate, Method::kGet, "/apiV1/templates/{token}", "Get a template's details",
               200, Join({CommonErrors(), TemplateTokenErrors()}),
               {TokenParam("template-token", template_token_doc, template_token_example)});
  get_template.example_response = kTemplateExample;

  auto list_shared = Endpoint(kListSharedTemplates, Method::kGet, "/apiV1/templates/shared",
                              "List the templates you are sharing now", 200, CommonErrors(), {});
  list_shared.example_response = kSharedExample;

  auto stats = Endpoint(kGetUserStats, Method::kGet, "/apiV1/user/stats", "Your usage statistics",
                        200, CommonErrors(), {});
  stats.example_response = kStatsExample;

  // ---- writes ----
  auto create = Endpoint(
      kCreateTemplate, Method::kPost, "/apiV1/templates", "Create a template (stamp)", 200,
      Join({CommonErrors(),
            WriteErrors("title missing/empty/over " + N(kMaxTitle) + " characters, content over " +
                        N(kMaxContent) + ", bad commentMode, over " + N(kMaxKeywords) +
                        " keywords or a keyword breaking the grammar, dates not ISO 8601"),
            {Row(kInvalidImage, 400, "imageUrl is not an http(s) URL")}}),
      {{.name = "imageUrl",
        .required = true,
        .description = "image URL (http or https; https recommended)",
        .example = "\"https://example.com/image.png\"",
        .format = "http-url"},
       {.name = "title",
        .required = true,
        .description = "title",
        .min_length = 1,
        .max_length = kMaxTitle,
        .example = "\"模板标题\""},
       {.name = "content",
        .description = "content",
        .max_length = kMaxContent,
        .example = "\"模板内容\""},
       {.name = "commentMode",
        .description = "comment mode",
        .enum_values = {"independent", "shared"},
        .default_value = "\"independent\"",
        .example = "\"independent\""},
       KeywordsField("key:value keywords; typed values @YYYY-MM-DD@, #phone#, %address%, "
                     "$<number><CURRENCY>$; placeholders @date@, #phone#, %address%, $amount$"),
       {.name = "publishDate",
        .description = "publication start (ISO 8601)",
        .example = "\"2025-01-01T00:00:00Z\"",
        .format = "date-time"},
       {.name = "validUntil",
        .description = "end of validity (ISO 8601), not before publishDate",
        .example = "\"2025-12-31T23:59:59Z\"",
        .format = "date-time"}});
  create.example_request = kCreateRequest;
  create.example_response = kCreateResponse;

  auto share = Endpoint(
      kShareTemplate, Method::kPost, "/apiV1/templates/{token}/share", "Share a template", 200,
      Join({CommonErrors(),
            WriteErrors(
                "durationMinutes missing or not 0/60..43200, tags missing, empty list, over " +
                N(kMaxTags) + " tags or a blank tag"),
            TemplateTokenErrors(),
            {Row(kAlreadyShared, 400, "the template has an active share")}}),
      {TokenParam("template-token", template_token_doc, template_token_example),
       {.name = "durationMinutes",
        .type = FieldType::kInteger,
        .required = true,
        .description = "share duration in minutes: 0 = unlimited (expiresAt null), else 60..43200",
        .minimum = 0,
        .maximum = kMaxShareMinutes,
        .example = "1440",
        .format = "share-minutes"},
       {.name = "tags",
        .type = FieldType::kArray,
        .required = true,
        .description = "search tags, upper-cased on save",
        .min_length = kMinTags,
        .max_length = kMaxTags,
        .example = R"(["TAG1", "TAG2"])",
        .format = "tag"}});
  share.example_request = kShareRequest;
  share.example_response = kShareResponse;

  auto revoke = Endpoint(
      kRevokeShare, Method::kPost, "/apiV1/templates/revoke", "Revoke a share", 200,
      Join({CommonErrors(),
            WriteErrors("shareToken missing, empty or not a string"),
            {Row(kInvalidToken, 400, "shareToken is not shr_ + 22 base64url characters"),
             Row(kNotFound, 404, "well-formed share token that names no share"),
             Row(kForbidden, 403, "the share's template belongs to another user"),
             Row(kNotShared, 400, "the share is no longer active (already revoked, or expired)")}}),
      {{.name = "shareToken",
        .required = true,
        .description = "the shareToken the share answered",
        .min_length = 1,
        .example = "\"shr_AAAAAAAAAAAAAAAAAAAAAA\"",
        .format = "share-token"}});
  revoke.example_request = kRevokeRequest;
  revoke.example_response = kRevokeResponse;

  auto send = Endpoint(
      kSendTemplate, Method::kPost, "/apiV1/templates/{token}/send",
      "Clone a template into an item of another user", 200,
      Join({CommonErrors(),
            WriteErrors("recipientEmail missing or not an email, message over " + N(kMaxMessage) +
                        " characters, a keyword breaking the grammar, merged keywords over " +
                        N(kMaxKeywords)),
            TemplateTokenErrors(),
            {Row(kRecipientNotFound, 404, "recipientEmail has no account")}}),
      {TokenParam("template-token", template_token_doc, template_token_example),
       {.name = "recipientEmail",
        .required = true,
        .description = "the recipient's account email",
        .example = "\"recipient@example.com\"",
        .format = "email"},
       {.name = "message",
        .description = "message to the recipient",
        .max_length = kMaxMessage,
        .example = "\"送给你的礼物!\""},
       KeywordsField(
           "keywords to add or override: a keyword whose key the template has replaces it, a "
           "new key is appended")});
  send.example_request = kSendRequest;
  send.example_response = kSendResponse;

  auto ownership = Endpoint(
      kCheckOwnership, Method::kPost, "/apiV1/templates/{token}/check-ownership",
      "Does a user own an item cloned from this template?", 200,
      Join({CommonErrors(),
            WriteErrors("email missing or not an email, a keyword key over " + N(kMaxKeywordKey) +
                        " characters"),
            TemplateTokenErrors()}),
      {TokenParam("template-token", template_token_doc, template_token_example),
       {.name = "email",
        .required = true,
        .description = "the user to check",
        .example = "\"user@example.com\"",
        .format = "email"},
       {.name = "keywordKeys",
        .type = FieldType::kArray,
        .description = "keyword keys whose values to return (from the user's latest cloned item)",
        .max_length = kMaxKeywords,
        .example = R"(["日期", "金额"])",
        .format = "keyword-key"}});
  ownership.example_request = kOwnershipRequest;
  ownership.example_response = kOwnershipResponse;

  list_items.success_schema = ListOf("items", kItemSchema);
  core::Json item_details = core::SchemaFromText(kItemSchema);
  item_details["required"].push_back("keywords");
  get_item.success_schema = Success(std::move(item_details));
  list_templates.success_schema = ListOf("templates", kTemplateSchema);
  get_template.success_schema = Success(core::SchemaFromText(kTemplateSchema));
  list_shared.success_schema = Success(core::SchemaFromText(kSharedSchema));
  stats.success_schema = Success(core::SchemaFromText(kStatsSchema));
  create.success_schema = Success(core::SchemaFromText(kCreatedSchema));
  share.success_schema = Success(core::SchemaFromText(kShareSchema));
  revoke.success_schema = Success(core::SchemaFromText(kRevokeSchema));
  send.success_schema = Success(core::SchemaFromText(kSendSchema));
  ownership.success_schema = Success(core::SchemaFromText(kOwnershipSchema));

  s.endpoints = {list_items, get_item, list_templates, get_template, list_shared, stats,
                 create,     share,    revoke,         send,         ownership};
  for (auto& e : s.endpoints) {
    for (auto& row : e.errors) row.schema = ErrorSchema(row.code);
  }
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

}  // namespace restbox::inventory
