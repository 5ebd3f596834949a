#pragma once
// Response body schemas of the endpoint tables (DESIGN rule 4), and a validator that reports each
// difference as a problem with a JSON path: `$.id: expected string, got number`.
//
// A schema is a core::Json value in a small subset of JSON Schema, the OpenAPI 3.0 dialect, so the
// OpenAPI export copies it as it is and any reader (the contract sweep, restbox-check, forced
// answers' tests) needs no other type. Only these keywords have a meaning; any other member is
// ignored by the validator (and exported as written):
//
//   "type"        "object" | "array" | "string" | "integer" | "number" | "boolean".
//                 Absent: any JSON value. "integer" accepts any JSON number without a fractional
//                 part (45000 and 45000.0); "number" accepts every number.
//   "nullable"    true: null is also accepted (OpenAPI 3.0). Without it, null is a problem.
//   "properties"  {name: schema}: members checked when present. Members not listed are
//                 accepted (the documents seldom rule out extra fields)...
//   "additionalProperties"  false: ...unless this says so: every member "properties" does not
//                 list is a problem (market's platform keeps only code, result, msg and credits
//                 of a provider's answer). Any other value constrains nothing.
//   "required"    [names]: members that must be present (present and null is "required" met,
//                 and then the member's own schema decides whether null is allowed).
//   "items"       schema of every array item.
//   "enum"        [values]: the value equals one of them (numbers compare by value: 1 == 1.0).
//   "anyOf"       [schemas]: at least one matches. When none does, the problems of the
//                 alternative with the fewest problems are reported.
//   "minimum"     number: numbers must be >= it.
//   "format"      "date-time": an ISO 8601 date and time (YYYY-MM-DDTHH:MM[:SS[.fff]] with Z or
//                 an offset); other formats are descriptive only.
//   "description" text, never checked.
//
// A null schema (Json(nullptr)) means "not described": everything matches it. Changes to this
// representation are additive only: new keywords may appear, existing ones keep their meaning.

#include <string>
#include <vector>

#include "restbox/core/json_codec.hpp"

namespace restbox::core {

// One difference between a JSON value and a schema.
struct SchemaProblem {
  std::string path;      // JSONPath of the value: "$", "$.data.items[0].id", "$.error['x-y']"
  std::string expected;  // "string", "member 'order_id'", "one of [\"success\",\"fail\"]", ...
  std::string actual;    // "number", "absent", "\"pending\"", ...
  bool operator==(const SchemaProblem&) const = default;
};

// "$.id: expected string, got number".
std::string ToString(const SchemaProblem& problem);

// Every problem of `value` against `schema` (empty when it matches), depth first, in the order of
// the schema's members. `path` is the JSONPath of `value` itself.
std::vector<SchemaProblem> ValidateSchema(const Json& schema, const Json& value,
                                          const std::string& path = "$");

// The JSON type name of `value`: "null", "boolean", "number", "string", "array", "object".
std::string JsonTypeName(const Json& value);

// The schema written as JSON text in a table (spec.cpp). Throws std::invalid_argument naming the
// text when it is not JSON, so a typo in a table fails at the first use of the table.
Json SchemaFromText(std::string_view text);

// A JSON Schema (OpenAPI 3.0 dialect) that `example` satisfies: types, object properties and array
// items (from the first item); null gives {"nullable": true}. Nothing is marked required.
Json SchemaFromExample(const Json& example);

}  // namespace restbox::core
