#include "restbox/core/validation.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace restbox::core {
namespace {

std::string FormatNumber(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return std::to_string(v);
}

bool TypeMatches(FieldType type, const Json& v) {
  switch (type) {
    case FieldType::kString:
      return v.is_string();
    case FieldType::kInteger:
      return v.is_number_integer() ||
             (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
    case FieldType::kNumber:
      return v.is_number();
    case FieldType::kBoolean:
      return v.is_boolean();
    case FieldType::kArray:
      return v.is_array();
    case FieldType::kObject:
      return v.is_object();
    case FieldType::kAny:
      return true;
  }
  return true;
}

std::string TypeName(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "a string";
    case FieldType::kInteger:
      return "an integer";
    case FieldType::kNumber:
      return "a number";
    case FieldType::kBoolean:
      return "a boolean";
    case FieldType::kArray:
      return "an array";
    case FieldType::kObject:
      return "an object";
    case FieldType::kAny:
      return "a value";
  }
  return "a value";
}

// Query values arrive as text: read them as the field's type.
Json QueryValueAsJson(const FieldSpec& field, const std::string& text) {
  if (field.type == FieldType::kInteger || field.type == FieldType::kNumber) {
    // strtod, not from_chars: libc++ 14 (Emscripten) has no floating-point from_chars.
    char* end = nullptr;
    double d = text.empty() || std::isspace(static_cast<unsigned char>(text[0]))
                   ? 0
                   : std::strtod(text.c_str(), &end);
    if (end == text.c_str() + text.size() && !text.empty() && std::isfinite(d)) {
      // Beyond +-9e18 the cast to long long is undefined: keep such values as doubles (the
      // range check then reports them).
      if (field.type == FieldType::kInteger && std::floor(d) == d && std::fabs(d) < 9e18)
        return static_cast<long long>(d);
      return d;
    }
    return text;  // stays a string: CheckField reports the type
  }
  if (field.type == FieldType::kBoolean) {
    if (text == "true" || text == "1") return true;
    if (text == "false" || text == "0") return false;
  }
  return text;
}

}  // namespace

std::string CheckField(const FieldSpec& field, const Json& value) {
  if (!TypeMatches(field.type, value)) return "must be " + TypeName(field.type);
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    std::size_t len = CodePointLength(s);
    if (field.min_length && len < *field.min_length) {
      return *field.min_length == 1
                 ? "must not be empty"
                 : "must be at least " + std::to_string(*field.min_length) + " characters";
    }
    if (field.max_length && len > *field.max_length)
      return "must be at most " + std::to_string(*field.max_length) + " characters";
    if (!field.enum_values.empty() && std::find(field.enum_values.begin(), field.enum_values.end(),
                                                s) == field.enum_values.end()) {
      std::string list;
      for (const auto& e : field.enum_values) list += (list.empty() ? "" : ", ") + e;
      return "must be one of: " + list;
    }
  } else if (value.is_array()) {
    if (field.min_length && value.size() < *field.min_length)
      return "must have at least " + std::to_string(*field.min_length) + " items";
    if (field.max_length && value.size() > *field.max_length)
      return "must have at most " + std::to_string(*field.max_length) + " items";
  } else if (value.is_number()) {
    double d = value.get<double>();
    if (field.minimum && d < *field.minimum)
      return "must be at least " + FormatNumber(*field.minimum);
    if (field.maximum && d > *field.maximum)
      return "must be at most " + FormatNumber(*field.maximum);
  }
  return {};
}

std::vector<FieldError> ValidateRequest(const EndpointSpec& endpoint, const Json* body,
                                        const QueryParams& query) {
  std::vector<FieldError> out;
  bool has_body_fields = std::any_of(endpoint.fields.begin(), endpoint.fields.end(),
                                     [](const FieldSpec& f) { return f.in == FieldIn::kBody; });
  if (has_body_fields && body && !body->is_object()) {
    out.push_back({"body", "must be a JSON object"});
    return out;
  }
  for (const FieldSpec& f : endpoint.fields) {
    if (f.in == FieldIn::kBody) {
      const Json* v = nullptr;
      if (body && body->is_object()) {
        auto it = body->find(f.name);
        if (it != body->end() && !it->is_null()) v = &*it;
      }
      if (!v) {
        if (f.required) out.push_back({f.name, "is required"});
        continue;
      }
      if (auto problem = CheckField(f, *v); !problem.empty()) out.push_back({f.name, problem});
    } else if (f.in == FieldIn::kQuery) {
      auto it = std::find_if(query.begin(), query.end(),
                             [&](const auto& p) { return p.first == f.name; });
      if (it == query.end()) {
        if (f.required) out.push_back({f.name, "is required"});
        continue;
      }
      if (auto problem = CheckField(f, QueryValueAsJson(f, it->second)); !problem.empty())
        out.push_back({f.name, problem});
    }
  }
  return out;
}

}  // namespace restbox::core
