#pragma once
// The endpoint table (DESIGN rule 4): one description per endpoint, written once per service, that
// drives the client's expected success statuses, the mock's routes, the contract sweep, the
// OpenAPI export and the console's forms. No status list is written anywhere else.

#include <optional>
#include <string>
#include <vector>

#include "restbox/core/http.hpp"

namespace restbox::core {

enum class FieldType { kString, kInteger, kNumber, kBoolean, kArray, kObject, kAny };
enum class FieldIn { kPath, kQuery, kHeader, kBody };

std::string_view ToString(FieldType type);
std::string_view ToString(FieldIn in);

struct FieldSpec {
  std::string name;
  FieldIn in = FieldIn::kBody;
  FieldType type = FieldType::kString;
  bool required = false;
  std::string description;
  std::optional<double> minimum;          // numbers
  std::optional<double> maximum;
  std::optional<std::size_t> min_length;  // strings: code points; arrays: items
  std::optional<std::size_t> max_length;
  std::vector<std::string> enum_values;
  std::optional<std::string> default_value;  // as JSON text ("15", "\"published\"")
  std::string example;                       // as JSON text
  std::string format;                        // "email", "uri", "date-time", "keyword"...
};

// A documented answer other than success: an HTTP status, and for services that carry their own
// codes, that code ("NOT_FOUND", or "1003" for codes inside an HTTP 200).
struct StatusSpec {
  int status = 0;
  std::string code;
  std::string trigger;  // what causes it, from the contract
};

struct EndpointSpec {
  std::string id;  // unique within the service: "create", "posts.index"...
  Method method = Method::kGet;
  std::string path;  // template relative to the host: "/api/v1/data/{slug}"
  std::string summary;
  std::vector<int> success;         // e.g. {202}
  std::vector<StatusSpec> errors;   // every documented error of this endpoint
  std::vector<FieldSpec> fields;    // path, query, header and body parameters
  bool idempotent = false;          // safe to retry
  std::string example_request;      // JSON body from the seed, or ""
  std::string example_response;     // JSON body from the seed, or ""

  bool IsSuccess(int status) const;
  const StatusSpec* FindError(int status, std::string_view code = {}) const;
  bool Documents(int status) const;  // success or error
};

enum class AuthScheme {
  kBearer,          // Authorization: Bearer <key>
  kBodyToken,       // api_token inside the JSON body
  kKeyAndSecret,    // X-API-Key + X-API-Secret
};

struct ServiceSpec {
  std::string id;     // "chikage"
  std::string title;  // "Data endpoints"
  std::string description;
  AuthScheme auth = AuthScheme::kBearer;
  std::string default_base_url;  // the real service's base URL, from the seed
  std::vector<EndpointSpec> endpoints;

  const EndpointSpec* Find(std::string_view endpoint_id) const;
};

}  // namespace restbox::core
