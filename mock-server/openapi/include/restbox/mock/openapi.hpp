#pragma once
// OpenAPI 3.0.3 export of an endpoint table (DESIGN rule 4: the table that drives the client, the
// mock and the contract sweep also drives the published description). Valid enough for Prism
// (`prism mock`) and Swagger UI: paths, parameters with their limits, request schemas, every
// documented response with a body schema and an example. The mock serves it
// (GET /__restbox/openapi/{service}.json), its only user, so it lives beside the mock.

#include <functional>
#include <string>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/json_codec.hpp"

namespace restbox::mock {

struct OpenApiOptions {
  // servers[0].url. Default "": the spec's default_base_url (the real service).
  std::string server_url;
  // The documented error body for one error row of an endpoint, as JSON text; "" when unknown.
  // The mock passes its service module's ErrorResponse so every error response carries a real
  // example. Default (null): error responses get a schema-less description only.
  std::function<std::string(const core::EndpointSpec&, const core::StatusSpec&)> error_example;
  // info.version. Default "1.0.0".
  std::string version = "1.0.0";
};

// The OpenAPI 3.0.3 document of `spec`:
// - one operation per endpoint (operationId = endpoint id, tag = service id);
// - path, query and header fields become parameters (schema with type, minLength/maxLength,
//   minimum/maximum, enum, default, format, example); placeholders of the path that the table
//   does not describe become required string parameters;
// - the credential header (Authorization for Bearer services, X-API-Key/X-API-Secret for key and
//   secret services) becomes a security scheme instead of a parameter;
// - body fields become an application/json request schema (required list, limits, defaults);
//   without body fields, the example request gives an inferred schema and the example;
// - each success status and each documented error status is a response with a schema and an
//   example; the schema is the table's (EndpointSpec::success_schema, StatusSpec::schema, with
//   their required members, nullability and enums; an anyOf where rows of one status differ),
//   inferred from the example only where the table declares none;
// - without body fields, EndpointSpec::request_schema (else the example) gives the request schema;
// several rows with one status become named examples of one response, and codes
//   carried inside an HTTP 200 (e.g. "1003") are described in the 200 response.
core::Json ExportOpenApi(const core::ServiceSpec& spec, const OpenApiOptions& options = {});

// The schema of one field (type, limits, enum, default, format, description, example).
core::Json FieldSchema(const core::FieldSpec& field);

}  // namespace restbox::mock
