#include "restbox/findhelper/models.hpp"

#include <cmath>

#include "restbox/core/client.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/json_mapping.hpp"
#include "restbox/findhelper/spec.hpp"

namespace restbox::findhelper {
namespace {

// Whole amounts go out as integers ("estimatedAmount": 3000, as in the seed), not 3000.0.
core::Json AmountJson(double amount) {
  if (std::floor(amount) == amount && std::fabs(amount) < 1e15) {
    return static_cast<std::int64_t>(amount);
  }
  return amount;
}

using core::Field;
using core::kOmitUnset;
using core::kRequired;

constexpr auto kJobFields = std::make_tuple(
    Field("id", &Job::id, kRequired), Field("title", &Job::title, kRequired),
    Field("jobType", &Job::job_type, kRequired), Field("city", &Job::city, kRequired),
    Field("address", &Job::address, kOmitUnset),
    Field("estimatedAmount", &Job::estimated_amount, kOmitUnset),
    Field("status", &Job::status, kRequired), Field("createdAt", &Job::created_at, kRequired));
constexpr auto kNewJobFields = std::make_tuple(
    Field("title", &NewJob::title, kRequired), Field("jobType", &NewJob::job_type, kRequired),
    Field("city", &NewJob::city, kRequired), Field("address", &NewJob::address, kOmitUnset),
    Field("estimatedAmount", &NewJob::estimated_amount, kOmitUnset));
constexpr auto kPaginationFields =
    std::make_tuple(Field("page", &Pagination::page, kRequired),
                    Field("pageSize", &Pagination::page_size, kRequired),
                    Field("total", &Pagination::total, kRequired),
                    Field("totalPages", &Pagination::total_pages, kRequired));

// The amount of a job and of a new job, over the field list's: whole amounts as integers.
void WriteAmount(core::Json& j, const std::optional<double>& amount) {
  if (amount) j["estimatedAmount"] = AmountJson(*amount);
}

}  // namespace

void to_json(core::Json& j, const Job& v) {
  core::WriteFields(j, v, kJobFields);
  WriteAmount(j, v.estimated_amount);
}
void from_json(const core::Json& j, Job& v) {
  core::ReadFields(j, v, kJobFields);
}

void to_json(core::Json& j, const NewJob& v) {
  core::WriteFields(j, v, kNewJobFields);
  WriteAmount(j, v.estimated_amount);
}
void from_json(const core::Json& j, NewJob& v) {
  core::ReadFields(j, v, kNewJobFields);
}

core::QueryParams JobQuery::ToQuery() const {
  core::QueryParams q;
  if (city) q.emplace_back("city", *city);
  if (job_type) q.emplace_back("jobType", *job_type);
  if (status) q.emplace_back("status", *status);
  if (page) q.emplace_back("page", std::to_string(*page));
  if (page_size) q.emplace_back("pageSize", std::to_string(*page_size));
  return q;
}

RESTBOX_JSON_FIELDS(Pagination, kPaginationFields)

// Hand-written: the whole success envelope of a page, its "pagination" optional.
void to_json(core::Json& j, const JobPage& v) {
  j = SuccessEnvelope(v.jobs);
  if (v.paginated) j["pagination"] = v.pagination;
}

void from_json(const core::Json& j, JobPage& v) {
  j.at("data").get_to(v.jobs);
  auto it = j.find("pagination");
  v.paginated = it != j.end() && !it->is_null();
  if (v.paginated) {
    it->get_to(v.pagination);
  } else {
    const auto count = static_cast<int>(v.jobs.size());
    v.pagination = {1, count, static_cast<std::int64_t>(count), count > 0 ? 1 : 0};
  }
}

// Hand-written: read leniently (a mistyped member reads as absent), details nested.
void to_json(core::Json& j, const ErrorBody& v) {
  j = {{"code", v.code}, {"message", v.message}};
  if (!v.details.empty()) {
    core::Json d = core::Json::array();
    for (const auto& f : v.details) d.push_back({{"field", f.field}, {"message", f.message}});
    j["details"] = std::move(d);
  }
}

void from_json(const core::Json& j, ErrorBody& v) {
  v.code = core::JsonValueOr<std::string>(j, "code", "");
  v.message = core::JsonValueOr<std::string>(j, "message", "");
  v.details.clear();
  if (auto it = j.find("details"); it != j.end() && it->is_array()) {
    for (const auto& d : *it) {
      if (!d.is_object()) continue;
      v.details.push_back({core::JsonValueOr<std::string>(d, "field", ""),
                           core::JsonValueOr<std::string>(d, "message", "")});
    }
  }
}

core::Json SuccessEnvelope(core::Json data) {
  return {{"success", true}, {"data", std::move(data)}};
}

core::Json ErrorEnvelope(const ErrorBody& error) {
  return {{"success", false}, {"error", error}};
}

ErrorBody ValidationErrorBody(std::vector<core::FieldError> details) {
  std::string message = "Invalid request";
  for (std::size_t i = 0; i < details.size(); ++i) {
    message += (i == 0 ? ": " : "; ") + details[i].field + " " + details[i].message;
  }
  return {std::string(kValidationError), std::move(message), std::move(details)};
}

std::string CodeForStatus(int status) {
  switch (status) {
    case 400:
      return std::string(kValidationError);
    case 401:
      return std::string(kUnauthorized);
    case 403:
      return std::string(kForbidden);
    case 404:
      return std::string(kNotFound);
    case 405:
      return "METHOD_NOT_ALLOWED";
    case 429:
      return std::string(kTooManyRequests);
    case 500:
      return std::string(kInternalServerError);
    case 502:
      return "BAD_GATEWAY";
    case 503:
      return "SERVICE_UNAVAILABLE";
    default:
      return "HTTP_" + std::to_string(status);
  }
}

core::Error ParseError(const core::HttpResponse& response) {
  core::Error e;
  e.kind = core::ErrorKindFromStatus(response.status);
  e.http_status = response.status;
  e.raw_body = response.body;
  auto parsed = core::ResponseJson(response);
  const core::Json* error = nullptr;
  if (parsed.ok() && parsed->is_object()) {
    auto it = parsed->find("error");
    if (it != parsed->end() && it->is_object()) error = &*it;
  }
  if (error) {
    auto body = core::ConvertJson<ErrorBody>(*error);
    if (body.ok()) {
      e.code = body->code;
      e.message = body->message;
      e.details = body->details;
    }
  }
  if (e.message.empty()) {
    std::string reason(core::ReasonPhrase(response.status));
    e.message = reason.empty() ? "HTTP " + std::to_string(response.status) : reason;
  }
  return e;
}

std::optional<core::Error> CheckBeforeSending(const core::CallSpec&,
                                              std::vector<core::FieldError> problems) {
  if (problems.empty()) return std::nullopt;
  ErrorBody body = ValidationErrorBody(std::move(problems));
  core::Error e;
  e.kind = core::ErrorKind::kClientValidation;
  e.code = std::move(body.code);
  e.message = std::move(body.message);
  e.details = std::move(body.details);
  return e;
}

core::Result<core::Json> InterpretResponse(const core::EndpointSpec& endpoint,
                                           const core::HttpResponse& response) {
  return core::InterpretJsonResponse(endpoint, response, ParseError);
}

}  // namespace restbox::findhelper
