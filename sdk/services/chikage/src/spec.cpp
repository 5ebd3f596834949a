#include "restbox/chikage/spec.hpp"

#include "restbox/chikage/models.hpp"
#include "restbox/core/schema.hpp"

namespace restbox::chikage {
namespace {

using core::FieldIn;
using core::FieldSpec;
using core::FieldType;
using core::StatusSpec;

std::vector<StatusSpec> ServerErrors() {
  return {{500, "", "internal error (forced or injected)"},
          {502, "", "bad gateway (forced or injected)"},
          {503, "", "service unavailable (forced or injected)"}};
}

std::vector<FieldSpec> CommonHeaders(bool with_body) {
  std::vector<FieldSpec> f;
  f.push_back(
      {.name = "Authorization",
       .in = FieldIn::kHeader,
       .required = true,
       .description = "Bearer tm_test_… (sandbox data) or Bearer tm_live_… (production data)",
       .example = "\"Bearer tm_test_xxx\""});
  if (with_body) {
    f.push_back({.name = "Content-Type",
                 .in = FieldIn::kHeader,
                 .required = true,
                 .description = "must be application/json",
                 .enum_values = {"application/json"}});
    f.push_back({.name = "X-Webhook-Callback",
                 .in = FieldIn::kHeader,
                 .description = "URL that receives the processing result",
                 .format = "uri"});
    f.push_back({.name = "X-Webhook-Auth",
                 .in = FieldIn::kHeader,
                 .description = "value of the webhook's auth header (e.g. a Bearer token)"});
    f.push_back({.name = "X-Webhook-Auth-Header",
                 .in = FieldIn::kHeader,
                 .description = "name of the webhook's auth header",
                 .default_value = "\"Authorization\""});
  }
  return f;
}

FieldSpec SlugParam() {
  return {.name = "slug",
          .in = FieldIn::kPath,
          .required = true,
          .description = "the endpoint's slug, shown on its detail page",
          .example = "\"orders\""};
}
FieldSpec RecordParam() {
  return {.name = "record_id",
          .in = FieldIn::kPath,
          .required = true,
          .description = "id returned by the POST that created the record",
          .example = "\"rec_abc123\""};
}

constexpr const char* kOrderExample = R"({
  "order_id": "ORD-2024-001",
  "amount": 45000,
  "items": ["Item A", "Item B"],
  "paid": true
})";
constexpr const char* kQueuedExample =
    R"({"success":true,"id":"rec_abc123","message":"Request queued"})";

// Body schemas (restbox/core/schema.hpp).
constexpr const char* kQueuedSchema = R"({"type":"object","required":["success","id","message"],
  "properties":{"success":{"type":"boolean","enum":[true]},"id":{"type":"string"},
                "message":{"type":"string"}}})";
// The demo `orders` endpoint's fields (the seed's order example): records of other endpoints
// carry their owner's fields, so the record's data only says what `orders` holds.
constexpr const char* kOrderSchema = R"({"type":"object","required":["order_id"],
  "properties":{"order_id":{"type":"string"},"amount":{"type":"number"},
                "items":{"type":"array","items":{"type":"string"}},"paid":{"type":"boolean"}}})";
constexpr const char* kRecordSchema =
    R"({"type":"object","required":["success","id","data","created_at","updated_at"],
  "properties":{"success":{"type":"boolean","enum":[true]},"id":{"type":"string"},
                "data":{"type":"object","description":"the record as sent; for the demo orders endpoint: order_id, amount, items, paid",
                        "properties":{"order_id":{"type":"string"},"amount":{"type":"number"},
                                      "items":{"type":"array","items":{"type":"string"}},"paid":{"type":"boolean"}}},
                "created_at":{"type":"string","format":"date-time"},
                "updated_at":{"type":"string","format":"date-time"}}})";
// {"success":false,"error":"…","details":[{"field","error"}]} (details only for validation).
constexpr const char* kErrorSchema = R"({"type":"object","required":["success","error"],
  "properties":{"success":{"type":"boolean","enum":[false]},"error":{"type":"string"},
                "details":{"type":"array","description":"one entry per invalid field, validation only",
                           "items":{"type":"object","required":["field","error"],
                                    "properties":{"field":{"type":"string"},"error":{"type":"string"}}}}}})";

core::ServiceSpec Build() {
  core::ServiceSpec s;
  s.id = "chikage";
  s.title = "Data endpoints";
  s.description =
      "Owner-defined data endpoints; collaborators send records with API keys. Writes "
      "are queued and applied asynchronously; optional webhooks report the result.";
  s.auth = core::AuthScheme::kBearer;
  s.default_base_url = "https://api.chikage.io";

  const StatusSpec k400{400, "",
                        "invalid JSON; required schema field missing or of the wrong type"};
  const StatusSpec k401{401, "",
                        "no Authorization, not Bearer tm_test_/tm_live_, unknown or disabled key"};
  const StatusSpec k403{403, "", "endpoint not enabled, or the owner's subscription expired"};
  const StatusSpec k404slug{404, "", "unknown slug"};
  const StatusSpec k404rec{404, "", "unknown slug or record id (or its create is still queued)"};
  const StatusSpec k413{413, "", "body over 100 KB"};
  const StatusSpec k415{415, "", "body sent without Content-Type: application/json"};
  const StatusSpec k429{429, "", "monthly request quota used up"};

  auto with_5xx = [](std::vector<StatusSpec> v) {
    for (auto& e : ServerErrors()) v.push_back(e);
    return v;
  };
  auto fields = [](std::vector<FieldSpec> a, std::vector<FieldSpec> b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };

  core::EndpointSpec create;
  create.id = std::string(kCreate);
  create.method = core::Method::kPost;
  create.path = "/api/v1/data/{slug}";
  create.summary = "Create a record (queued)";
  create.success = {202};
  create.errors = with_5xx({k400, k401, k403, k404slug, k413, k415, k429});
  create.fields = fields({SlugParam()}, CommonHeaders(true));
  create.idempotent = false;
  create.example_request = kOrderExample;
  create.example_response = kQueuedExample;

  core::EndpointSpec get;
  get.id = std::string(kGet);
  get.method = core::Method::kGet;
  get.path = "/api/v1/data/{slug}/{record_id}";
  get.summary = "Read a record";
  get.success = {200};
  get.errors = with_5xx({k401, k403, k404rec, k429});
  get.fields = fields({SlugParam(), RecordParam()}, CommonHeaders(false));
  get.idempotent = true;
  get.example_response =
      R"({"success":true,"id":"rec_abc123","data":{"order_id":"ORD-2024-001","amount":45000,"items":["Item A","Item B"],"paid":true},"created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z"})";

  core::EndpointSpec replace;
  replace.id = std::string(kReplace);
  replace.method = core::Method::kPut;
  replace.path = "/api/v1/data/{slug}/{record_id}";
  replace.summary = "Replace a record (queued)";
  replace.success = {202};
  replace.errors = with_5xx({k400, k401, k403, k404rec, k413, k415, k429});
  replace.fields = fields({SlugParam(), RecordParam()}, CommonHeaders(true));
  replace.idempotent = true;
  replace.example_request = R"({
  "order_id": "ORD-2024-001",
  "amount": 50000,
  "items": ["Item A", "Item B", "Item C"],
  "paid": true
})";
  replace.example_response = kQueuedExample;

  core::EndpointSpec del;
  del.id = std::string(kDelete);
  del.method = core::Method::kDelete;
  del.path = "/api/v1/data/{slug}/{record_id}";
  del.summary = "Delete a record (queued)";
  del.success = {202};
  del.errors = with_5xx({k401, k403, k404rec, k429});
  del.fields = fields({SlugParam(), RecordParam()}, CommonHeaders(false));
  del.idempotent = true;
  del.example_response = kQueuedExample;

  const core::Json queued = core::SchemaFromText(kQueuedSchema);
  const core::Json error = core::SchemaFromText(kErrorSchema);
  create.success_schema = replace.success_schema = del.success_schema = queued;
  get.success_schema = core::SchemaFromText(kRecordSchema);
  create.request_schema = replace.request_schema = core::SchemaFromText(kOrderSchema);
  s.endpoints = {create, get, replace, del};
  for (auto& e : s.endpoints) {
    for (auto& row : e.errors) row.schema = error;
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

}  // namespace restbox::chikage
