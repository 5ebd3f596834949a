#pragma once
// findhelper models and their JSON mapping (the seed's camelCase names on the wire).
//
// Success bodies: {"success":true,"data":<job or [jobs]>} (+ "pagination" on the list).
// Error bodies:   {"success":false,"error":{"code":"NOT_FOUND","message":"…"}}; a 400 adds
//                 "details":[{"field":"title","message":"is required"}] inside "error" [choice].

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/error.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"  // full json: ConvertData/DecodeData below
#include "restbox/core/result.hpp"
#include "restbox/core/url.hpp"

namespace restbox::findhelper {

// A job as the API returns it.
struct Job {
  std::int64_t id = 0;
  std::string title;
  std::string job_type;  // "jobType": one of JobTypes()
  std::string city;
  std::optional<std::string> address;      // omitted on the wire when not set
  std::optional<double> estimated_amount;  // "estimatedAmount", TWD; omitted when not set
  std::string status;                      // one of JobStatuses()
  std::string created_at;                  // "createdAt", RFC 3339 UTC with milliseconds
  bool operator==(const Job&) const = default;
};
void to_json(core::Json& j, const Job& v);
void from_json(const core::Json& j, Job& v);

// The body of POST /api/jobs. title, job_type and city are required; the rest is optional.
struct NewJob {
  std::string title;
  std::string job_type;
  std::string city;
  std::optional<std::string> address;
  std::optional<double> estimated_amount;  // >= 0
  bool operator==(const NewJob&) const = default;
};
void to_json(core::Json& j, const NewJob& v);
void from_json(const core::Json& j, NewJob& v);

// Filters and paging of GET /api/jobs. Unset members are not sent (the server's defaults apply:
// no filter, page 1, pageSize 20).
struct JobQuery {
  std::optional<std::string> city;
  std::optional<std::string> job_type;  // "jobType"
  std::optional<std::string> status;    // "draft" lists the caller's own drafts
  std::optional<int> page;              // 1-based
  std::optional<int> page_size;         // "pageSize", 1..100
  core::QueryParams ToQuery() const;
};

struct Pagination {
  int page = 1;
  int page_size = 20;      // "pageSize": the size the server used for this page
  std::int64_t total = 0;  // jobs matching the filters
  int total_pages = 0;     // "totalPages": ceil(total / pageSize)
  bool operator==(const Pagination&) const = default;
};
void to_json(core::Json& j, const Pagination& v);
void from_json(const core::Json& j, Pagination& v);

// One page of GET /api/jobs. Its JSON form is the whole success body.
struct JobPage {
  std::vector<Job> jobs;  // "data"
  // "pagination". The documents show none for this API: when the answer has none, `paginated`
  // is false and `pagination` describes the jobs received as the one and only page.
  Pagination pagination;
  bool paginated = true;
  bool operator==(const JobPage&) const = default;
};
void to_json(core::Json& j, const JobPage& v);
void from_json(const core::Json& j, JobPage& v);

// The "error" member of an error body.
struct ErrorBody {
  std::string code;
  std::string message;
  std::vector<core::FieldError> details;
  bool operator==(const ErrorBody&) const = default;
};
void to_json(core::Json& j, const ErrorBody& v);
void from_json(const core::Json& j, ErrorBody& v);

// {"success":true,"data":data}.
core::Json SuccessEnvelope(core::Json data);
// {"success":false,"error":error}.
core::Json ErrorEnvelope(const ErrorBody& error);

// The VALIDATION_ERROR the server answers for these field problems; the client's own validation
// builds the very same (code, message, details), so both sides read alike.
ErrorBody ValidationErrorBody(std::vector<core::FieldError> details);

// The service's code for an HTTP status ("NOT_FOUND" for 404...), used when an error is produced
// without one (forced statuses, injected faults). Undocumented statuses get "HTTP_<status>".
std::string CodeForStatus(int status);

// Converts the "data" member of a success body into T (kDecode when absent or mistyped).
template <typename T>
core::Result<T> ConvertData(const core::Json& body) {
  if (!body.is_object() || !body.contains("data")) {
    return core::MakeError(core::ErrorKind::kDecode, "success body without \"data\"");
  }
  return core::ConvertJson<T>(body["data"]);
}

// Decodes the "data" member of a success body into T (kDecode when absent or mistyped).
template <typename T>
core::Result<T> DecodeData(std::string_view body) {
  auto parsed = core::ParseJson(body);
  if (!parsed.ok()) return parsed.error();
  auto converted = ConvertData<T>(*parsed);
  // The missing "data" names the body it is missing from.
  if (!converted.ok() && !(*parsed).contains("data"))
    converted.error().raw_body = std::string(body);
  return converted;
}

// Builds the typed error from any non-success response (JSON or not): kind from the status,
// code/message/details from the body when it has the service's shape.
core::Error ParseError(const core::HttpResponse& response);

// The service's pre-send check (core::ServiceSpec::check_request): field problems give exactly
// what the server would answer (ValidationErrorBody), so callers handle one shape whichever side
// refused.
std::optional<core::Error> CheckBeforeSending(const core::CallSpec& call,
                                              std::vector<core::FieldError> problems);

// The service's response interpreter (core::ServiceSpec::interpret): a documented success gives the
// whole body as JSON, anything else the typed error.
core::Result<core::Json> InterpretResponse(const core::EndpointSpec& endpoint,
                                           const core::HttpResponse& response);

}  // namespace restbox::findhelper
