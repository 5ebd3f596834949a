#pragma once
// Why the mock refused an admin input (a fault rule, a settings or config patch, a clock step).
// A typo must never be taken for "match everything" or "change nothing and say OK": the refusal
// names the member at fault and what would have been accepted, in one sentence for people and
// as separate members for programs. The admin API answers it as
//   400 {"restbox_error": message, "field": "...", "valid": ["...", ...]}   (a closed list)
//   400 {"restbox_error": message, "field": "...", "expected": "..."}       (a type or range)

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "restbox/core/json_codec.hpp"

namespace restbox::mock {

struct InputProblem {
  std::string message;             // names `field` and lists `valid` or says `expected`
  std::string field;               // the member at fault; "" = the body as a whole
  std::vector<std::string> valid;  // the accepted names or values, when they are a closed list
  std::string expected;            // what is accepted, in words, when it is not a closed list
};

// "a, b, c"
inline std::string JoinChoices(const std::vector<std::string>& choices) {
  std::string out;
  for (const auto& c : choices) out += (out.empty() ? "" : ", ") + c;
  return out;
}

// A short rendering of a refused value for a message: `"2" (a string)`, `true (a boolean)`.
inline std::string DescribeValue(const core::Json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  const char* kind = value.is_string()    ? "a string"
                     : value.is_boolean() ? "a boolean"
                     : value.is_number()  ? "a number"
                     : value.is_array()   ? "an array"
                     : value.is_object()  ? "an object"
                                          : "null";
  return text + " (" + kind + ")";
}

// `unknown <kind> "<name>"<where>; valid <kinds>: a, b, c`, e.g. kind "field", where
// " in fault rule", kinds "fields". `field` is the member that held the name.
inline InputProblem UnknownName(std::string_view kind, std::string_view kinds,
                                const std::string& name, std::string_view where,
                                std::vector<std::string> valid, std::string field) {
  InputProblem p;
  p.message = "unknown " + std::string(kind) + " \"" + name + "\"" + std::string(where) +
              "; valid " + std::string(kinds) + ": " +
              (valid.empty() ? std::string("(none)") : JoinChoices(valid));
  p.field = std::move(field);
  p.valid = std::move(valid);
  return p;
}

// `<field> must be <expected>; got <value>`.
inline InputProblem BadValue(std::string field, std::string expected, const core::Json& got) {
  InputProblem p;
  p.message = field + " must be " + expected + "; got " + DescribeValue(got);
  p.field = std::move(field);
  p.expected = std::move(expected);
  return p;
}

// `<field> must be one of: a, b, c; got <value>`.
inline InputProblem NotOneOf(std::string field, std::vector<std::string> valid,
                             const core::Json& got) {
  InputProblem p;
  p.message = field + " must be one of: " + JoinChoices(valid) + "; got " + DescribeValue(got);
  p.field = std::move(field);
  p.valid = std::move(valid);
  return p;
}

}  // namespace restbox::mock
