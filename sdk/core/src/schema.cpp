#include "restbox/core/schema.hpp"

#include <cctype>
#include <cmath>
#include <stdexcept>

namespace restbox::core {
namespace {

bool IsIdentifier(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

std::string MemberPath(const std::string& path, const std::string& name) {
  if (IsIdentifier(name)) return path + "." + name;
  return path + "[" + DumpJson(Json(name)) + "]";
}

bool IsWholeNumber(const Json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

bool TypeMatches(const std::string& type, const Json& v) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_boolean();
  if (type == "number") return v.is_number();
  if (type == "integer") return IsWholeNumber(v);
  return true;  // a type this validator does not know constrains nothing
}

bool JsonEquals(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  return a == b;
}

// What a value is, for the "got ..." half: the type for containers, the value for short scalars
// where an enum is concerned.
std::string Shown(const Json& v) {
  if (v.is_string() || v.is_number() || v.is_boolean()) {
    std::string text = DumpJson(v);
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return text;
  }
  return JsonTypeName(v);
}

bool Digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return false;
  for (std::size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// YYYY-MM-DDTHH:MM[:SS[.fff...]](Z|+HH:MM|-HH:MM)
bool IsDateTime(std::string_view s) {
  if (!Digits(s, 0, 4) || s.size() < 16 || s[4] != '-' || !Digits(s, 5, 2) || s[7] != '-' ||
      !Digits(s, 8, 2) || (s[10] != 'T' && s[10] != 't') || !Digits(s, 11, 2) || s[13] != ':' ||
      !Digits(s, 14, 2))
    return false;
  std::size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    if (!Digits(s, i + 1, 2)) return false;
    i += 3;
    if (i < s.size() && s[i] == '.') {
      ++i;
      std::size_t start = i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      if (i == start) return false;
    }
  }
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) return i + 1 == s.size();
  if (i < s.size() && (s[i] == '+' || s[i] == '-'))
    return Digits(s, i + 1, 2) && i + 3 < s.size() && s[i + 3] == ':' && Digits(s, i + 4, 2) &&
           i + 6 == s.size();
  return false;
}

void Validate(const Json& schema, const Json& value, const std::string& path,
              std::vector<SchemaProblem>& out) {
  if (!schema.is_object()) return;  // null (not described) or not a schema: no constraint

  if (value.is_null()) {
    auto flag = schema.find("nullable");
    bool nullable = flag != schema.end() && flag->is_boolean() && flag->get<bool>();
    bool typed = schema.contains("type") || schema.contains("properties") ||
                 schema.contains("items") || schema.contains("enum");
    if (!nullable && typed) {
      std::string expected = schema.contains("type") && schema["type"].is_string()
                                 ? schema["type"].get<std::string>()
                                 : "a value";
      out.push_back({path, expected, "null"});
    }
    if (nullable || typed) return;
  }

  if (auto any = schema.find("anyOf"); any != schema.end() && any->is_array() && !any->empty()) {
    std::vector<SchemaProblem> best;
    bool first = true;
    for (const auto& alternative : *any) {
      std::vector<SchemaProblem> problems;
      Validate(alternative, value, path, problems);
      if (problems.empty()) {
        best.clear();
        first = false;
        break;
      }
      if (first || problems.size() < best.size()) best = std::move(problems);
      first = false;
    }
    out.insert(out.end(), best.begin(), best.end());
  }

  if (auto type = schema.find("type"); type != schema.end() && type->is_string()) {
    if (!TypeMatches(type->get<std::string>(), value)) {
      // A number that is not whole shows its value: "expected integer, got 45000.5".
      out.push_back({path, type->get<std::string>(),
                     *type == "integer" && value.is_number() ? Shown(value) : JsonTypeName(value)});
      return;  // members and items of a value of the wrong type say nothing more
    }
  }

  if (auto values = schema.find("enum"); values != schema.end() && values->is_array()) {
    bool found = false;
    for (const auto& v : *values) found = found || JsonEquals(v, value);
    if (!found) out.push_back({path, "one of " + DumpJson(*values), Shown(value)});
  }

  if (auto minimum = schema.find("minimum");
      minimum != schema.end() && minimum->is_number() && value.is_number()) {
    if (value.get<double>() < minimum->get<double>())
      out.push_back({path, ">= " + DumpJson(*minimum), Shown(value)});
  }

  if (auto format = schema.find("format"); format != schema.end() && value.is_string()) {
    if (*format == "date-time" && !IsDateTime(value.get_ref<const std::string&>()))
      out.push_back({path, "date-time (ISO 8601)", Shown(value)});
  }

  if (value.is_object()) {
    if (auto required = schema.find("required"); required != schema.end() && required->is_array()) {
      for (const auto& name : *required) {
        if (name.is_string() && !value.contains(name.get<std::string>()))
          out.push_back({MemberPath(path, name.get<std::string>()), "present", "absent"});
      }
    }
    auto properties = schema.find("properties");
    bool listed = properties != schema.end() && properties->is_object();
    if (listed) {
      for (auto it = properties->begin(); it != properties->end(); ++it) {
        auto member = value.find(it.key());
        if (member != value.end()) Validate(it.value(), *member, MemberPath(path, it.key()), out);
      }
    }
    if (auto extra = schema.find("additionalProperties");
        extra != schema.end() && extra->is_boolean() && !extra->get<bool>()) {
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!listed || !properties->contains(it.key()))
          out.push_back(
              {MemberPath(path, it.key()), "absent (not a documented member)", "present"});
      }
    }
  }

  if (value.is_array()) {
    if (auto items = schema.find("items"); items != schema.end() && items->is_object()) {
      for (std::size_t i = 0; i < value.size(); ++i)
        Validate(*items, value[i], path + "[" + std::to_string(i) + "]", out);
    }
  }
}

}  // namespace

std::string ToString(const SchemaProblem& problem) {
  return problem.path + ": expected " + problem.expected + ", got " + problem.actual;
}

std::string JsonTypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "number";
    case Json::value_t::string:
      return "string";
    case Json::value_t::array:
      return "array";
    case Json::value_t::object:
      return "object";
    default:
      return "binary";
  }
}

std::vector<SchemaProblem> ValidateSchema(const Json& schema, const Json& value,
                                          const std::string& path) {
  std::vector<SchemaProblem> out;
  Validate(schema, value, path, out);
  return out;
}

Json SchemaFromText(std::string_view text) {
  auto parsed = ParseJson(text);
  if (!parsed.ok())
    throw std::invalid_argument("schema is not JSON (" + parsed.error().message +
                                "): " + std::string(text.substr(0, 80)));
  return std::move(parsed.value());
}

Json SchemaFromExample(const Json& example) {
  switch (example.type()) {
    case Json::value_t::null:
      return {{"nullable", true}};
    case Json::value_t::boolean:
      return {{"type", "boolean"}};
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return {{"type", "integer"}};
    case Json::value_t::number_float:
      return {{"type", "number"}};
    case Json::value_t::string:
      return {{"type", "string"}};
    case Json::value_t::array: {
      Json items = example.empty() ? Json::object() : SchemaFromExample(example.front());
      return {{"type", "array"}, {"items", std::move(items)}};
    }
    case Json::value_t::object: {
      Json properties = Json::object();
      for (auto it = example.begin(); it != example.end(); ++it)
        properties[it.key()] = SchemaFromExample(*it);
      return {{"type", "object"}, {"properties", std::move(properties)}};
    }
    default:
      return Json::object();
  }
}

}  // namespace restbox::core
