#pragma once
// The endpoint table (DESIGN rule 4): one description per endpoint, written once per service, that
// drives the client's expected success statuses, the mock's routes, the contract sweep, the
// OpenAPI export and the console's forms. No status list is written anywhere else.

#include <optional>
#include <string>
#include <vector>

#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"

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
  std::optional<double> minimum;  // numbers
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
  // The body of this answer (restbox/core/schema.hpp); null when the table does not describe it.
  Json schema = nullptr;
};

struct EndpointSpec {
  std::string id;  // unique within the service: "create", "posts.index"...
  Method method = Method::kGet;
  std::string path;  // template relative to the host: "/api/v1/data/{slug}"
  std::string summary;
  std::vector<int> success;        // e.g. {202}
  std::vector<StatusSpec> errors;  // every documented error of this endpoint
  std::vector<FieldSpec> fields;   // path, query, header and body parameters
  bool idempotent = false;         // safe to retry
  std::string example_request;     // JSON body from the seed, or ""
  std::string example_response;    // JSON body from the seed, or ""
  // The body of every success status (restbox/core/schema.hpp); null when not described.
  Json success_schema = nullptr;
  // The request body's schema for documentation (the OpenAPI export) where the body is not
  // described by `fields` (chikage: the owner defines it; the demo endpoint's one is given).
  // Not used by client-side validation. Null: none.
  Json request_schema = nullptr;

  bool IsSuccess(int status) const;
  // What a client accepts as a success from a server it did not write: a documented success
  // status, or any other 2xx that no error row of this endpoint documents (the documents often
  // give no status: a 201 for a create must not be an error). False for endpoints that document
  // no success at all.
  bool AcceptsAsSuccess(int status) const;
  // The schema of the body answering (status, code): the error row's schema when a row matches
  // (its code too, where given, e.g. market's "1003" inside an HTTP 200), else the success schema
  // for AcceptsAsSuccess statuses, else nullptr. A null schema also gives nullptr.
  const Json* ResponseSchema(int status, std::string_view code = {}) const;
  const StatusSpec* FindError(int status, std::string_view code = {}) const;
  bool Documents(int status) const;  // success or error
};

enum class AuthScheme {
  kBearer,        // Authorization: Bearer <key>
  kBodyToken,     // api_token inside the JSON body
  kKeyAndSecret,  // X-API-Key + X-API-Secret
};

struct CallSpec;  // restbox/core/client.hpp

// See ServiceSpec::interpret and ServiceSpec::check_request.
using ResponseInterpreter = Result<Json> (*)(const EndpointSpec& endpoint,
                                             const HttpResponse& response);
using RequestCheck = std::optional<Error> (*)(const CallSpec& call,
                                              std::vector<FieldError> problems);

struct ServiceSpec {
  std::string id;     // "chikage"
  std::string title;  // "Data endpoints"
  std::string description;
  AuthScheme auth = AuthScheme::kBearer;
  std::string default_base_url;  // the real service's base URL, from the seed
  std::vector<EndpointSpec> endpoints;
  // Answers the service asks to have repeated although their HTTP status is not retryable (the
  // marketplace's code 1003 "busy" inside an HTTP 200: the request was not processed). Every
  // client of the service, typed or generic (C++ DynamicClient, the JS API, the console), retries
  // them under its retry policy: ServiceClient installs this rule as RetryOptions::retry_if
  // unless the client's options set one. nullptr: none.
  bool (*retry_if)(const HttpResponse& response) = nullptr;
  // The service's one response interpreter: every client of the service (its typed client, the
  // generic DynamicClient behind JS and the console) finishes a call through it. A success gives
  // the response data as JSON, envelope unwrapped, with the envelope's code and message in the
  // Result's meta (service_code, service_message); anything else the service's typed Error. A
  // typed client converts the JSON into its model. nullptr: the whole body as JSON for a
  // documented success, an Error with the status's kind and reason otherwise.
  ResponseInterpreter interpret = nullptr;
  // The service's pre-send check (client-side validation, ClientOptions::client_validation):
  // given a call (credentials applied) and the field problems found so far (the endpoint table's
  // checks and the caller's own), returns the error the server would answer, or nullopt to send.
  // It may add problems of its own (service rules). nullptr: problems give kClientValidation
  // "Validation failed" with them as details.
  RequestCheck check_request = nullptr;

  const EndpointSpec* Find(std::string_view endpoint_id) const;
};

}  // namespace restbox::core
