#include "restbox/findhelper/spec.hpp"

#include "restbox/core/schema.hpp"
#include "restbox/findhelper/models.hpp"

namespace restbox::findhelper {
namespace {

using core::FieldIn;
using core::FieldSpec;
using core::FieldType;
using core::StatusSpec;

std::vector<FieldSpec> CredentialHeaders() {
  return {{.name = std::string(kKeyHeader),
           .in = FieldIn::kHeader,
           .required = true,
           .description = "the API key created on the API key page (a secret: masked in logs)",
           .example = "\"your_api_key\""},
          {.name = std::string(kSecretHeader),
           .in = FieldIn::kHeader,
           .required = true,
           .description = "the API secret issued with the key (a secret: masked in logs)",
           .example = "\"your_api_secret\""}};
}

std::vector<FieldSpec> ListQuery() {
  return {
      {.name = "city",
       .in = FieldIn::kQuery,
       .description = "only jobs in this city (exact match, e.g. 台北市)",
       .min_length = 1,
       .max_length = kMaxCityLength,
       .example = "\"台北市\""},
      {.name = "jobType",
       .in = FieldIn::kQuery,
       .description = "only jobs of this type",
       .enum_values = JobTypes(),
       .example = "\"general\""},
      {.name = "status",
       .in = FieldIn::kQuery,
       .description = "only jobs in this status; \"draft\" lists the caller's own drafts",
       .enum_values = JobStatuses(),
       .example = "\"published\""},
      {.name = "page",
       .in = FieldIn::kQuery,
       .type = FieldType::kInteger,
       .description = "1-based page number; a page past the last one is empty",
       .minimum = 1,
       .maximum = kMaxPage,
       .default_value = std::to_string(kDefaultPage),
       .example = "1"},
      {.name = "pageSize",
       .in = FieldIn::kQuery,
       .type = FieldType::kInteger,
       .description = "jobs per page (1-" + std::to_string(kMaxPageSize) +
                      "); the answer's pagination.pageSize is the size actually used",
       .minimum = 1,
       .maximum = kMaxPageSize,
       .default_value = std::to_string(kDefaultPageSize),
       .example = "20"},
  };
}

std::vector<FieldSpec> CreateBody() {
  return {
      {.name = "title",
       .type = FieldType::kString,
       .required = true,
       .description = "what the helper is needed for",
       .min_length = 1,
       .max_length = kMaxTitleLength,
       .example = "\"居家清潔\""},
      {.name = "jobType",
       .type = FieldType::kString,
       .required = true,
       .description = "kind of job",
       .enum_values = JobTypes(),
       .example = "\"general\""},
      {.name = "city",
       .type = FieldType::kString,
       .required = true,
       .description = "city of the job",
       .min_length = 1,
       .max_length = kMaxCityLength,
       .example = "\"台北市\""},
      {.name = "address",
       .type = FieldType::kString,
       .description = "street address",
       .max_length = kMaxAddressLength,
       .example = "\"台北市信義區信義路五段7號\""},
      {.name = "estimatedAmount",
       .type = FieldType::kNumber,
       .description = "estimated pay in TWD (0 or more)",
       .minimum = 0.0,
       .maximum = kMaxEstimatedAmount,
       .example = "3000"},
  };
}

constexpr const char* kJobExample = R"({
  "success": true,
  "data": {
    "id": 123,
    "title": "居家清潔",
    "jobType": "general",
    "city": "台北市",
    "status": "published",
    "createdAt": "2026-02-07T08:00:00.000Z"
  }
})";

// The list shape [choice]: the seed's example job on a page of its own.
std::string ListExample() {
  JobPage page{{DecodeData<Job>(kJobExample).value()}, {kDefaultPage, kDefaultPageSize, 1, 1}};
  return core::DumpJson(core::Json(page), 2);
}

// ---- body schemas (restbox/core/schema.hpp) ----
// The seed's job: id, title, jobType, city, status, createdAt; address and estimatedAmount are
// what a POST may set. The seed shows one jobType and one status only, so neither is an enum here.
constexpr const char* kJobSchema =
    R"({"type":"object","required":["id","title","jobType","city","status","createdAt"],
  "properties":{"id":{"type":"integer"},"title":{"type":"string"},"jobType":{"type":"string"},
  "city":{"type":"string"},"address":{"type":"string","nullable":true},
  "estimatedAmount":{"type":"number","nullable":true},"status":{"type":"string"},
  "createdAt":{"type":"string","format":"date-time"}}})";
// The seed shows no list answer [choice]: the jobs in "data"; "pagination" is restbox's addition
// and optional (a server that pages differently or not at all still matches).
constexpr const char* kListSchema = R"({"type":"object","required":["success","data"],"properties":{
  "success":{"type":"boolean","enum":[true]},
  "pagination":{"type":"object","required":["page","pageSize","total","totalPages"],"properties":{
    "page":{"type":"integer"},"pageSize":{"type":"integer"},"total":{"type":"integer"},
    "totalPages":{"type":"integer"}}}}})";

core::Json JobAnswer() {
  core::Json s =
      core::SchemaFromText(R"({"type":"object","required":["success","data"],"properties":{
    "success":{"type":"boolean","enum":[true]}}})");
  s["properties"]["data"] = core::SchemaFromText(kJobSchema);
  return s;
}

core::Json ListAnswer() {
  core::Json s = core::SchemaFromText(kListSchema);
  s["properties"]["data"] = {{"type", "array"}, {"items", core::SchemaFromText(kJobSchema)}};
  return s;
}

// {"success":false,"error":{"code":"<row's code>","message":"…"[,"details":[{"field","message"}]]}}
core::Json ErrorSchema(const std::string& code) {
  core::Json s =
      core::SchemaFromText(R"({"type":"object","required":["success","error"],"properties":{
    "success":{"type":"boolean","enum":[false]},
    "error":{"type":"object","required":["code","message"],"properties":{"message":{"type":"string"},
      "details":{"type":"array","items":{"type":"object","required":["field","message"],
        "properties":{"field":{"type":"string"},"message":{"type":"string"}}}}}}}})");
  s["properties"]["error"]["properties"]["code"] = {{"type", "string"},
                                                    {"enum", core::Json::array({code})}};
  return s;
}

core::ServiceSpec Build() {
  core::ServiceSpec s;
  s.id = "findhelper";
  s.title = "找幫手 jobs";
  s.description =
      "The Find Helper platform's jobs API: list jobs filtered by city, job type and status "
      "(paged), read one job, post a new job. Every request carries X-API-Key and X-API-Secret; "
      "each key may send 60 requests a minute and 10,000 a day; no response exceeds 10 MB.";
  s.auth = core::AuthScheme::kKeyAndSecret;
  s.default_base_url = "https://api.find-helper.com";

  const StatusSpec k401{401, std::string(kUnauthorized),
                        "missing or unknown X-API-Key / X-API-Secret, or an expired key"};
  const StatusSpec k429{
      429, std::string(kTooManyRequests),
      "61st request in a minute, or 10,001st in a day, for the key (Retry-After)"};
  const StatusSpec k500{500, std::string(kInternalServerError),
                        "internal error (forced or injected)"};

  auto fields = [](std::vector<FieldSpec> a, const std::vector<FieldSpec>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };

  core::EndpointSpec list;
  list.id = std::string(kListJobs);
  list.method = core::Method::kGet;
  list.path = "/api/jobs";
  list.summary = "List jobs (filter by city, jobType, status; paged)";
  list.success = {200};
  list.errors = {{400, std::string(kValidationError),
                  "bad filter or paging value (unknown status/jobType, pageSize outside 1-100, "
                  "page < 1, empty city)"},
                 k401,
                 k429,
                 k500};
  list.fields = fields(CredentialHeaders(), ListQuery());
  list.idempotent = true;
  list.example_response = ListExample();

  core::EndpointSpec get;
  get.id = std::string(kGetJob);
  get.method = core::Method::kGet;
  get.path = "/api/jobs/{id}";
  get.summary = "Read one job";
  get.success = {200};
  get.errors = {k401,
                {403, std::string(kForbidden), "another account's unpublished (draft) job"},
                {404, std::string(kNotFound), "unknown job id (a non-integer id is unknown too)"},
                k429,
                k500};
  get.fields = fields({{.name = "id",
                        .in = FieldIn::kPath,
                        .type = FieldType::kInteger,
                        .required = true,
                        .description = "job id; an id that is not an integer answers 404 NOT_FOUND",
                        .example = "123"}},
                      CredentialHeaders());
  get.idempotent = true;
  get.example_response = kJobExample;

  core::EndpointSpec create;
  create.id = std::string(kCreateJob);
  create.method = core::Method::kPost;
  create.path = "/api/jobs";
  create.summary = "Post a new job (published at once)";
  create.success = {201};
  create.errors = {
      {400, std::string(kValidationError),
       "invalid JSON, or title/jobType/city missing or invalid, estimatedAmount < 0"},
      k401,
      {403, std::string(kForbidden), "the key has no jobs:write scope (read-only key)"},
      k429,
      k500};
  create.fields = fields(CredentialHeaders(), CreateBody());
  create.fields.push_back({.name = "Content-Type",
                           .in = FieldIn::kHeader,
                           .description = "application/json",
                           .enum_values = {"application/json"}});
  create.idempotent = false;
  create.example_request = R"({
  "title": "居家清潔",
  "jobType": "general",
  "city": "台北市",
  "address": "台北市信義區信義路五段7號",
  "estimatedAmount": 3000
})";
  create.example_response = kJobExample;

  list.success_schema = ListAnswer();
  get.success_schema = create.success_schema = JobAnswer();
  s.endpoints = {list, get, create};
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

std::vector<core::RateWindow> RateWindows(std::int64_t per_minute, std::int64_t per_day) {
  return {{"day", core::WindowUnit::kDay, per_day},
          {"minute", core::WindowUnit::kMinute, per_minute}};
}

const std::vector<std::string>& JobTypes() {
  static const std::vector<std::string> types = {"general", "cleaning",   "moving",  "repair",
                                                 "errand",  "caregiving", "tutoring"};
  return types;
}

const std::vector<std::string>& JobStatuses() {
  static const std::vector<std::string> statuses = {"draft", "published", "in_progress",
                                                    "completed", "closed"};
  return statuses;
}

const core::ServiceSpec& Spec() {
  static const core::ServiceSpec spec = Build();
  return spec;
}

}  // namespace restbox::findhelper
