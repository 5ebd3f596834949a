#include "restbox/chikage/models.hpp"

#include "restbox/core/client.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/json_mapping.hpp"
#include "restbox/core/validation.hpp"

namespace restbox::chikage {

namespace {
using core::Field;
using core::kRequired;

constexpr auto kQueuedWriteFields = std::make_tuple(Field("success", &QueuedWrite::success),
                                                    Field("id", &QueuedWrite::id, kRequired),
                                                    Field("message", &QueuedWrite::message));
constexpr auto kRecordFields = std::make_tuple(
    Field("id", &Record::id, kRequired), Field("data", &Record::data),
    Field("created_at", &Record::created_at), Field("updated_at", &Record::updated_at));
constexpr auto kWebhookEventFields = std::make_tuple(
    Field("event", &WebhookEvent::event, kRequired), Field("id", &WebhookEvent::id, kRequired),
    Field("slug", &WebhookEvent::slug), Field("environment", &WebhookEvent::environment),
    Field("data", &WebhookEvent::data), Field("processed_at", &WebhookEvent::processed_at));
constexpr auto kSchemaFieldFields =
    std::make_tuple(Field("name", &SchemaField::name, kRequired), Field("type", &SchemaField::type),
                    Field("required", &SchemaField::required));
}  // namespace

RESTBOX_JSON_FIELDS(QueuedWrite, kQueuedWriteFields)
RESTBOX_JSON_FIELDS(WebhookEvent, kWebhookEventFields)
RESTBOX_JSON_FIELDS(SchemaField, kSchemaFieldFields)

void to_json(core::Json& j, const Record& v) {
  core::WriteFields(j, v, kRecordFields);
  j["success"] = true;  // a GET answer carries the constant too
}
void to_json(core::Json& j, Record&& v) {
  Record shell{std::move(v.id), nullptr, std::move(v.created_at), std::move(v.updated_at)};
  to_json(j, shell);
  j["data"] = std::move(v.data);
}
void from_json(const core::Json& j, Record& v) {
  core::ReadFields(j, v, kRecordFields);
}

// Hand-written: the error envelope ("success": false, details' message on the wire as "error").
void to_json(core::Json& j, const ErrorBody& v) {
  j = {{"success", false}, {"error", v.error}};
  if (!v.details.empty()) {
    core::Json d = core::Json::array();
    for (const auto& f : v.details) d.push_back({{"field", f.field}, {"error", f.message}});
    j["details"] = d;
  }
}
void from_json(const core::Json& j, ErrorBody& v) {
  v.error = j.value("error", "");
  v.details.clear();
  if (auto it = j.find("details"); it != j.end() && it->is_array()) {
    for (const auto& d : *it) {
      if (!d.is_object()) continue;
      v.details.push_back({d.value("field", ""), d.value("error", "")});
    }
  }
}

std::vector<core::FieldError> CheckAgainstSchema(const core::Json& data,
                                                 const std::vector<SchemaField>& schema) {
  std::vector<core::FieldError> out;
  if (!data.is_object()) {
    out.push_back({"body", "Body must be a JSON object"});
    return out;
  }
  for (const auto& f : schema) {
    auto it = data.find(f.name);
    if (it == data.end() || it->is_null()) {
      if (f.required) out.push_back({f.name, "Required field is missing"});
      continue;
    }
    core::FieldSpec spec;
    spec.name = f.name;
    if (f.type == "number")
      spec.type = core::FieldType::kNumber;
    else if (f.type == "integer")
      spec.type = core::FieldType::kInteger;
    else if (f.type == "boolean")
      spec.type = core::FieldType::kBoolean;
    else if (f.type == "array")
      spec.type = core::FieldType::kArray;
    else if (f.type == "object")
      spec.type = core::FieldType::kObject;
    else
      spec.type = core::FieldType::kString;
    if (!core::CheckField(spec, *it).empty()) out.push_back({f.name, "Expected type " + f.type});
  }
  return out;
}

core::Error ParseError(const core::HttpResponse& response) {
  core::Error e;
  e.kind = core::ErrorKindFromStatus(response.status);
  e.http_status = response.status;
  e.raw_body = response.body;
  auto parsed = core::DecodeJson<ErrorBody>(response.body);
  if (parsed.ok() && !parsed->error.empty()) {
    e.message = parsed->error;
    e.details = parsed->details;
  } else {
    std::string reason(core::ReasonPhrase(response.status));
    e.message = reason.empty() ? "HTTP " + std::to_string(response.status) : reason;
  }
  return e;
}

std::optional<core::Error> CheckBeforeSending(const core::CallSpec&,
                                              std::vector<core::FieldError> problems) {
  if (problems.empty()) return std::nullopt;
  core::Error e;
  e.kind = core::ErrorKind::kClientValidation;
  e.message = "Validation failed";
  e.details = std::move(problems);
  return e;
}

core::Result<core::Json> InterpretResponse(const core::EndpointSpec& endpoint,
                                           const core::HttpResponse& response) {
  auto out = core::InterpretJsonResponse(endpoint, response, ParseError);
  // A write's "message" ("Request queued"), where the typed client puts it too.
  if (out.ok() && out->is_object()) {
    if (auto m = out->find("message"); m != out->end() && m->is_string()) {
      out.meta().service_message = m->get<std::string>();
    }
  }
  return out;
}

}  // namespace restbox::chikage
