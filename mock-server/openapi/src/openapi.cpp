#include "restbox/mock/openapi.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <vector>

#include "restbox/core/schema.hpp"
#include "restbox/core/url.hpp"

namespace restbox::mock {
namespace {

// The endpoint tables' vocabulary (restbox::core), which this export reads throughout.
using core::AuthScheme;
using core::EndpointSpec;
using core::EqualsIgnoreCase;
using core::FieldIn;
using core::FieldSpec;
using core::FieldType;
using core::Json;
using core::Method;
using core::ParseJson;
using core::PlaceholderNames;
using core::ReasonPhrase;
using core::SchemaFromExample;
using core::ServiceSpec;
using core::StatusSpec;
using core::ToString;

// Table values (defaults, examples, enum members) are JSON text; text that is not JSON is kept as
// the string it reads as, so a sloppy table still exports.
Json JsonFromText(const std::string& text) {
  auto parsed = ParseJson(text);
  if (parsed.ok()) return std::move(parsed.value());
  return Json(text);
}

// An example document, or null when the text is empty or not JSON.
Json ExampleFromText(const std::string& text) {
  if (text.empty()) return nullptr;
  auto parsed = ParseJson(text);
  return parsed.ok() ? std::move(parsed.value()) : Json(nullptr);
}

// Formats that validators know; anything else ("keyword") goes to an x- extension so strict
// validators (Prism's ajv) do not reject the document for an unknown format.
bool IsStandardFormat(std::string_view format) {
  static constexpr std::string_view kKnown[] = {
      "date-time", "date",     "time", "email",  "uri",     "uri-reference",
      "uuid",      "hostname", "ipv4", "ipv6",   "int32",   "int64",
      "float",     "double",   "byte", "binary", "password"};
  return std::find(std::begin(kKnown), std::end(kKnown), format) != std::end(kKnown);
}

std::string LowerMethod(Method method) {
  std::string m(ToString(method));
  for (char& c : m) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return m;
}

// The header that carries credentials becomes a security scheme, not a parameter.
struct Credential {
  std::string_view header;
  std::string_view scheme;  // name under components.securitySchemes
};

std::vector<Credential> Credentials(AuthScheme auth) {
  switch (auth) {
    case AuthScheme::kBearer:
      return {{"Authorization", "bearerAuth"}};
    case AuthScheme::kKeyAndSecret:
      return {{"X-API-Key", "apiKey"}, {"X-API-Secret", "apiSecret"}};
    case AuthScheme::kBodyToken:
      return {};  // the token is a body member, described there
  }
  return {};
}

const Credential* FindCredential(const std::vector<Credential>& credentials,
                                 const FieldSpec& field) {
  if (field.in != FieldIn::kHeader) return nullptr;
  for (const auto& c : credentials) {
    if (EqualsIgnoreCase(field.name, c.header)) return &c;
  }
  return nullptr;
}

// OpenAPI ignores header parameters with these names (the request body and security describe them).
bool IsReservedHeader(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Type") || EqualsIgnoreCase(name, "Accept") ||
         EqualsIgnoreCase(name, "Authorization");
}

Json SecuritySchemes(AuthScheme auth) {
  Json schemes = Json::object();
  for (const auto& c : Credentials(auth)) {
    if (c.scheme == "bearerAuth") {
      schemes[std::string(c.scheme)] = {{"type", "http"}, {"scheme", "bearer"}};
    } else {
      schemes[std::string(c.scheme)] = {{"type", "apiKey"}, {"in", "header"}, {"name", c.header}};
    }
  }
  return schemes;
}

// Content with one schema and one or several examples (`example` and `examples` are exclusive).
struct NamedExample {
  std::string name;
  std::string summary;
  Json value;
};

// The schemas the table declares for one response (rows without one are skipped): one schema, an
// anyOf of the distinct ones, or null when none is declared.
Json DeclaredSchema(const std::vector<const Json*>& declared) {
  std::vector<Json> distinct;
  for (const Json* d : declared) {
    if (d && !d->is_null() && std::find(distinct.begin(), distinct.end(), *d) == distinct.end())
      distinct.push_back(*d);
  }
  if (distinct.empty()) return nullptr;
  if (distinct.size() == 1) return distinct.front();
  return {{"anyOf", distinct}};
}

// `declared`: the table's schema for this response (restbox/core/schema.hpp); when null, the
// schema is inferred from the examples, or `fallback_schema` without examples.
Json MediaType(const std::vector<NamedExample>& examples, Json fallback_schema,
               Json declared = nullptr) {
  std::vector<Json> schemas;
  if (!declared.is_null()) {
    schemas.push_back(std::move(declared));
  } else {
    for (const auto& e : examples) {
      Json s = SchemaFromExample(e.value);
      if (std::find(schemas.begin(), schemas.end(), s) == schemas.end())
        schemas.push_back(std::move(s));
    }
  }
  Json media = Json::object();
  if (schemas.empty()) {
    media["schema"] = std::move(fallback_schema);
  } else if (schemas.size() == 1) {
    media["schema"] = std::move(schemas.front());
  } else {
    media["schema"] = {{"anyOf", schemas}};
  }
  if (examples.size() == 1) {
    media["example"] = examples.front().value;
  } else if (examples.size() > 1) {
    Json named = Json::object();
    for (const auto& e : examples) {
      Json x = {{"value", e.value}};
      if (!e.summary.empty()) x["summary"] = e.summary;
      named[e.name] = std::move(x);
    }
    media["examples"] = std::move(named);
  }
  return {{"application/json", std::move(media)}};
}

std::string RowLine(const StatusSpec& row, bool carried_in_200) {
  std::string line = "- ";
  if (carried_in_200)
    line += "code " + row.code + ": ";
  else if (!row.code.empty())
    line += "`" + row.code + "`: ";
  line += row.trigger.empty() ? std::string("documented error") : row.trigger;
  return line;
}

// A key for `examples`: letters, digits, '_', '-', '.' only.
std::string ExampleName(const StatusSpec& row, std::size_t index) {
  if (row.code.empty()) return "example_" + std::to_string(index + 1);
  std::string name = "code_" + row.code;
  for (char& c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.';
    if (!ok) c = '_';
  }
  return name;
}

Json Responses(const EndpointSpec& ep, const OpenApiOptions& options) {
  Json responses = Json::object();
  Json success_example = ExampleFromText(ep.example_response);

  // Group the error rows by HTTP status, keeping the table's order.
  std::vector<int> order;
  std::map<int, std::vector<const StatusSpec*>> rows;
  for (const auto& e : ep.errors) {
    if (!rows.count(e.status)) order.push_back(e.status);
    rows[e.status].push_back(&e);
  }

  auto error_examples = [&](const std::vector<const StatusSpec*>& group) {
    std::vector<NamedExample> out;
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (!options.error_example) break;
      Json value = ExampleFromText(options.error_example(ep, *group[i]));
      if (value.is_null()) continue;
      out.push_back({ExampleName(*group[i], i), group[i]->trigger, std::move(value)});
    }
    return out;
  };

  for (int status : ep.success) {
    std::string reason(ReasonPhrase(status));
    Json r = {
        {"description", (reason.empty() ? std::string("Success") : reason) + ": " + ep.summary}};
    if (status != 204) {
      std::vector<NamedExample> examples;
      if (!success_example.is_null())
        examples.push_back({"success", "documented success", success_example});
      // Codes carried inside this success status (a 200 whose body holds an error code).
      auto carried = rows.find(status);
      if (carried != rows.end()) {
        std::string text =
            r["description"].get<std::string>() +
            "\n\nThe same status also carries these documented error codes in its body:";
        for (const StatusSpec* row : carried->second) text += "\n" + RowLine(*row, true);
        r["description"] = text;
        for (auto& e : error_examples(carried->second)) examples.push_back(std::move(e));
      }
      std::vector<const Json*> declared = {&ep.success_schema};
      if (carried != rows.end()) {
        for (const StatusSpec* row : carried->second) declared.push_back(&row->schema);
      }
      r["content"] = MediaType(examples, Json::object(), DeclaredSchema(declared));
    }
    responses[std::to_string(status)] = std::move(r);
  }

  for (int status : order) {
    if (ep.IsSuccess(status)) continue;  // described with the success above
    const auto& group = rows[status];
    std::string reason(ReasonPhrase(status));
    std::string text = reason.empty() ? "Error" : reason;
    for (const StatusSpec* row : group) text += "\n" + RowLine(*row, false);
    Json r = {{"description", text}};
    std::vector<const Json*> declared;
    for (const StatusSpec* row : group) declared.push_back(&row->schema);
    r["content"] = MediaType(error_examples(group), Json::object(), DeclaredSchema(declared));
    if (status == 429) {
      r["headers"] = {{"Retry-After",
                       {{"description", "seconds to wait before retrying"},
                        {"schema", {{"type", "integer"}, {"minimum", 0}}}}}};
    }
    responses[std::to_string(status)] = std::move(r);
  }
  return responses;
}

Json RequestBody(const EndpointSpec& ep) {
  Json properties = Json::object();
  Json required = Json::array();
  bool any_field = false;
  for (const auto& f : ep.fields) {
    if (f.in != FieldIn::kBody) continue;
    any_field = true;
    properties[f.name] = FieldSchema(f);
    if (f.required) required.push_back(f.name);
  }
  Json example = ExampleFromText(ep.example_request);
  if (!any_field && example.is_null() && ep.request_schema.is_null()) return nullptr;

  Json media = Json::object();
  if (any_field) {
    Json schema = {{"type", "object"}, {"properties", std::move(properties)}};
    if (!required.empty()) schema["required"] = required;
    media["schema"] = std::move(schema);
  } else if (!ep.request_schema.is_null()) {
    media["schema"] = ep.request_schema;
  } else {
    media["schema"] = SchemaFromExample(example);
  }
  if (!example.is_null()) media["example"] = std::move(example);
  bool body_required = any_field ? !required.empty() : true;
  return {{"required", body_required}, {"content", {{"application/json", std::move(media)}}}};
}

Json Operation(const ServiceSpec& spec, const EndpointSpec& ep, const OpenApiOptions& options) {
  const auto credentials = Credentials(spec.auth);
  Json op = {{"operationId", ep.id}, {"summary", ep.summary}, {"tags", {spec.id}}};
  if (ep.idempotent) op["x-restbox-idempotent"] = true;

  Json parameters = Json::array();
  std::vector<std::pair<std::string, std::string>> seen;  // (in, name)
  auto add = [&](Json p) {
    std::pair<std::string, std::string> key{p["in"].get<std::string>(),
                                            p["name"].get<std::string>()};
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) return;
    seen.push_back(std::move(key));
    parameters.push_back(std::move(p));
  };
  Json security_schemes = Json::object();
  bool credentials_required = false;
  for (const auto& f : ep.fields) {
    if (f.in == FieldIn::kBody) continue;
    if (const Credential* c = FindCredential(credentials, f)) {
      security_schemes[std::string(c->scheme)] = Json::array();
      credentials_required = credentials_required || f.required;
      continue;
    }
    if (f.in == FieldIn::kHeader && IsReservedHeader(f.name)) continue;
    Json p = {{"name", f.name},
              {"in", ToString(f.in)},
              {"required", f.required || f.in == FieldIn::kPath},
              {"schema", FieldSchema(f)}};
    if (!f.description.empty()) p["description"] = f.description;
    add(std::move(p));
  }
  for (const auto& name : PlaceholderNames(ep.path)) {
    add({{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
  }
  if (!parameters.empty()) op["parameters"] = std::move(parameters);
  if (!security_schemes.empty()) {
    Json security = Json::array({security_schemes});
    if (!credentials_required) security.push_back(Json::object());  // anonymous also allowed
    op["security"] = std::move(security);
  }

  Json body = RequestBody(ep);
  if (!body.is_null()) op["requestBody"] = std::move(body);
  op["responses"] = Responses(ep, options);
  return op;
}

}  // namespace

Json FieldSchema(const FieldSpec& field) {
  Json s = Json::object();
  const bool is_array = field.type == FieldType::kArray;
  const bool is_number = field.type == FieldType::kInteger || field.type == FieldType::kNumber;
  if (field.type != FieldType::kAny) s["type"] = ToString(field.type);
  if (is_array) s["items"] = Json::object();
  if (field.min_length) s[is_array ? "minItems" : "minLength"] = *field.min_length;
  if (field.max_length) s[is_array ? "maxItems" : "maxLength"] = *field.max_length;
  if (field.minimum) s["minimum"] = *field.minimum;
  if (field.maximum) s["maximum"] = *field.maximum;
  if (!field.enum_values.empty()) {
    Json values = Json::array();
    for (const auto& v : field.enum_values) values.push_back(is_number ? JsonFromText(v) : Json(v));
    if (is_array)
      s["items"]["enum"] = std::move(values);
    else
      s["enum"] = std::move(values);
  }
  if (field.default_value) s["default"] = JsonFromText(*field.default_value);
  if (!field.example.empty()) s["example"] = JsonFromText(field.example);
  if (!field.format.empty())
    s[IsStandardFormat(field.format) ? "format" : "x-restbox-format"] = field.format;
  if (!field.description.empty()) s["description"] = field.description;
  return s;
}

Json ExportOpenApi(const ServiceSpec& spec, const OpenApiOptions& options) {
  Json doc = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", spec.title.empty() ? spec.id : spec.title + " (" + spec.id + ")"},
        {"version", options.version},
        {"description", spec.description}}},
      {"servers", Json::array({{{"url", options.server_url.empty() ? spec.default_base_url
                                                                   : options.server_url}}})},
      {"tags", Json::array({{{"name", spec.id}, {"description", spec.title}}})}};
  Json paths = Json::object();
  for (const auto& ep : spec.endpoints)
    paths[ep.path][LowerMethod(ep.method)] = Operation(spec, ep, options);
  doc["paths"] = std::move(paths);
  Json schemes = SecuritySchemes(spec.auth);
  doc["components"] = Json::object();
  if (!schemes.empty()) doc["components"]["securitySchemes"] = std::move(schemes);
  return doc;
}

}  // namespace restbox::mock
