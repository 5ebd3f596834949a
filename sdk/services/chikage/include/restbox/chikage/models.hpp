#pragma once
// chikage models and their JSON mapping.
#include <optional>
#include <string>
#include <vector>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/error.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"  // full json: Record and WebhookEvent hold a Json

namespace restbox::chikage {

// 202 answer of POST/PUT/DELETE: the write is queued, not yet applied.
struct QueuedWrite {
  bool success = true;
  std::string id;       // "rec_…"
  std::string message;  // "Request queued"
  bool operator==(const QueuedWrite&) const = default;
};
void to_json(core::Json& j, const QueuedWrite& v);
void from_json(const core::Json& j, QueuedWrite& v);

// 200 answer of GET.
struct Record {
  std::string id;
  core::Json data = core::Json::object();
  std::string created_at;
  std::string updated_at;
  bool operator==(const Record&) const = default;
};
void to_json(core::Json& j, const Record& v);
// The same, moving `data` (a GET's answer does not copy the record's data once more).
void to_json(core::Json& j, Record&& v);
void from_json(const core::Json& j, Record& v);

// Error body: {"success":false,"error":"…","details":[{"field":"…","error":"…"}]}.
struct ErrorBody {
  std::string error;
  std::vector<core::FieldError> details;
};
void to_json(core::Json& j, const ErrorBody& v);
void from_json(const core::Json& j, ErrorBody& v);

// Where a collaborator wants the processing result POSTed.
struct WebhookOptions {
  std::string callback_url;  // X-Webhook-Callback
  std::string auth_value;    // X-Webhook-Auth (a secret: masked in logs)
  std::string auth_header;   // X-Webhook-Auth-Header; empty = "Authorization"
};

// The body the service POSTs to a webhook when a queued write has been processed.
struct WebhookEvent {
  std::string event;  // "record.created" | "record.updated" | "record.deleted"
  std::string id;
  std::string slug;
  std::string environment;  // "test" | "live"
  core::Json data;          // the record's data (null for deletes)
  std::string processed_at;
  bool operator==(const WebhookEvent&) const = default;
};
void to_json(core::Json& j, const WebhookEvent& v);
void from_json(const core::Json& j, WebhookEvent& v);

// A field of an endpoint's schema, as the owner defined it.
struct SchemaField {
  std::string name;
  std::string type = "string";  // string, number, integer, boolean, array, object
  bool required = false;
  bool operator==(const SchemaField&) const = default;
};
void to_json(core::Json& j, const SchemaField& v);
void from_json(const core::Json& j, SchemaField& v);

// Problems of `data` against `schema`: one FieldError per missing or mistyped field, with the
// service's own messages ("Required field is missing", "Expected type number"). Shared by the
// client-side validation and the mock.
std::vector<core::FieldError> CheckAgainstSchema(const core::Json& data,
                                                 const std::vector<SchemaField>& schema);

// Builds the typed error from any non-success response (JSON or not).
core::Error ParseError(const core::HttpResponse& response);

// The service's pre-send check (core::ServiceSpec::check_request): any field problem gives
// kClientValidation "Validation failed" with the problems as details.
std::optional<core::Error> CheckBeforeSending(const core::CallSpec& call,
                                              std::vector<core::FieldError> problems);

// The service's response interpreter (core::ServiceSpec::interpret, every client's): a documented
// success gives the body as JSON (a write's "message" also in the Result's meta().service_message),
// anything else the typed error.
core::Result<core::Json> InterpretResponse(const core::EndpointSpec& endpoint,
                                           const core::HttpResponse& response);

}  // namespace restbox::chikage
