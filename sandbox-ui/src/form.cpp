#include "form.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "restbox/core/url.hpp"
#include "restbox/services/dynamic_client.hpp"

namespace restbox::console::form {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// A decimal number, or nullopt. strtod/strtoll, not from_chars: libc++ 14 (Emscripten) has no
// floating-point from_chars.
std::optional<core::Json> ReadNumber(std::string_view text) {
  const std::string s(Trim(text));
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long long integer = std::strtoll(s.c_str(), &end, 10);
  if (errno == 0 && end == s.c_str() + s.size()) return core::Json(integer);
  end = nullptr;
  const double real = std::strtod(s.c_str(), &end);
  // strtod also reads "inf", "nan" and hex floats: JSON has none of them.
  const bool plain = s.find_first_not_of("0123456789+-.eE") == std::string::npos;
  if (end == s.c_str() + s.size() && plain && std::isfinite(real)) return core::Json(real);
  return std::nullopt;
}

std::string FormatLimit(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s;
}

// "line 2, column 5" inside nlohmann's parse messages.
int NumberAfter(std::string_view text, std::string_view label) {
  const auto at = text.find(label);
  if (at == std::string_view::npos) return 0;
  int n = 0;
  for (std::size_t i = at + label.size(); i < text.size() && text[i] >= '0' && text[i] <= '9';
       ++i) {
    n = n * 10 + (text[i] - '0');
  }
  return n;
}

}  // namespace

std::string ValueText(const core::Json& value) {
  if (value.is_null()) return {};
  if (value.is_string()) return value.get<std::string>();
  return core::DumpJson(value);
}

std::optional<core::Json> ValueFromText(core::FieldType type, std::string_view text) {
  if (text.empty()) return std::nullopt;
  switch (type) {
    case core::FieldType::kString:
      return core::Json(std::string(text));
    case core::FieldType::kInteger:
    case core::FieldType::kNumber:
      if (auto number = ReadNumber(text)) return number;
      return core::Json(std::string(text));
    case core::FieldType::kBoolean: {
      const std::string_view t = Trim(text);
      if (t == "true") return core::Json(true);
      if (t == "false") return core::Json(false);
      return core::Json(std::string(text));
    }
    case core::FieldType::kArray: {
      auto parsed = core::ParseJson(text);
      if (parsed.ok()) return std::move(parsed.value());
      core::Json items = core::Json::array();
      std::size_t pos = 0;
      while (pos <= text.size()) {
        std::size_t comma = text.find(',', pos);
        if (comma == std::string_view::npos) comma = text.size();
        if (auto item = Trim(text.substr(pos, comma - pos)); !item.empty())
          items.push_back(std::string(item));
        pos = comma + 1;
      }
      return items;
    }
    case core::FieldType::kObject:
    case core::FieldType::kAny: {
      auto parsed = core::ParseJson(text);
      if (parsed.ok()) return std::move(parsed.value());
      return core::Json(std::string(text));
    }
  }
  return core::Json(std::string(text));
}

std::string Hint(const core::FieldSpec& field) {
  std::string out(core::ToString(field.in));
  auto add = [&out](const std::string& part) { out += " \xC2\xB7 " + part; };  // U+00B7 middle dot
  add(std::string(core::ToString(field.type)));
  const bool counts_items = field.type == core::FieldType::kArray;
  const std::string unit = counts_items ? " items" : " chars";
  if (field.min_length && field.max_length) {
    add(std::to_string(*field.min_length) + ".." + std::to_string(*field.max_length) + unit);
  } else if (field.max_length) {
    add("max " + std::to_string(*field.max_length) + unit);
  } else if (field.min_length) {
    add("min " + std::to_string(*field.min_length) + unit);
  }
  if (field.minimum && field.maximum) {
    add(FormatLimit(*field.minimum) + ".." + FormatLimit(*field.maximum));
  } else if (field.minimum) {
    add(">= " + FormatLimit(*field.minimum));
  } else if (field.maximum) {
    add("<= " + FormatLimit(*field.maximum));
  }
  if (field.enum_values.size() > 1) add(std::to_string(field.enum_values.size()) + " choices");
  if (field.default_value) add("default " + *field.default_value);
  if (!field.format.empty()) add(field.format);
  if (field.type == core::FieldType::kArray) add("JSON or a, b, c");
  return out;
}

bool IsCredentialField(core::AuthScheme scheme, std::string_view name) {
  switch (scheme) {
    case core::AuthScheme::kBearer:
      return core::EqualsIgnoreCase(name, "Authorization");
    case core::AuthScheme::kBodyToken:
      return name == "api_token";
    case core::AuthScheme::kKeyAndSecret:
      return core::EqualsIgnoreCase(name, "X-API-Key") ||
             core::EqualsIgnoreCase(name, "X-API-Secret");
  }
  return false;
}

std::string JsonProblem::ToString() const {
  if (line <= 0) return message;
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
}

ParsedParams ParseParams(std::string_view text) {
  ParsedParams out;
  if (Trim(text).empty()) {
    out.params = core::Json::object();  // an empty editor means "no parameters"
    return out;
  }
  auto parsed = core::ParseJson(text);
  if (!parsed.ok()) {
    const std::string& message = parsed.error().message;
    out.problem.line = NumberAfter(message, "at line ");
    out.problem.column = NumberAfter(message, ", column ");
    // nlohmann: "invalid JSON: [json.exception.parse_error.101] parse error at line 1, column 2:
    // syntax error while parsing ..." -> keep what follows the position.
    const auto colon = message.find(": ", message.find("column "));
    out.problem.message =
        out.problem.line > 0 && colon != std::string::npos ? message.substr(colon + 2) : message;
    return out;
  }
  if (!parsed.value().is_object()) {
    out.problem = {1, 1, "the parameters must be a JSON object ({\"name\": value, ...})"};
    return out;
  }
  out.params = std::move(parsed.value());
  return out;
}

namespace {

// The DynamicRequest Send builds from a draft (Model::Send does the same split).
services::DynamicRequest RequestOf(const core::EndpointSpec& endpoint, const Draft& draft) {
  services::DynamicRequest request = services::DynamicRequest::FromParams(endpoint, draft.params);
  for (const auto& [name, value] : draft.extra_headers) request.headers.Set(name, value);
  if (draft.raw_body) request.raw_body = draft.raw_body;
  return request;
}

}  // namespace

Problems Check(const Model& model, const Draft& draft) {
  Problems out;
  const core::EndpointSpec* endpoint = model.FindEndpoint(draft.service, draft.endpoint);
  if (!endpoint) return out;
  const Environment& env = model.environment(draft.environment);
  services::DynamicClientOptions options;
  options.transport = model.TransportFor(env);  // never used: Check does not send
  if (auto it = env.credentials.find(draft.service); it != env.credentials.end())
    options.credentials = it->second;
  auto client = services::DynamicClient::ForService(draft.service, std::move(options));
  if (!client) return out;
  for (auto& problem : client->Check(draft.endpoint, RequestOf(*endpoint, draft))) {
    const bool has_row =
        std::any_of(endpoint->fields.begin(), endpoint->fields.end(),
                    [&](const core::FieldSpec& f) { return f.name == problem.field; }) ||
        (draft.params.is_object() && draft.params.contains(problem.field));
    if (has_row && !out.by_field.contains(problem.field)) {
      out.by_field.emplace(problem.field, problem.message);
    } else {
      out.general.push_back(problem.field + ": " + problem.message);
    }
  }
  return out;
}

std::string PreviewUrl(const Model& model, const Draft& draft) {
  const ServiceView* service = model.FindService(draft.service);
  const core::EndpointSpec* endpoint = model.FindEndpoint(draft.service, draft.endpoint);
  if (!service || !endpoint) return {};
  const services::DynamicRequest request = RequestOf(*endpoint, draft);
  core::UrlBuilder url(model.environment(draft.environment).BaseUrlFor(*service));
  url.Path(endpoint->path, request.path);
  for (const auto& [name, value] : request.query) url.Query(name, value);
  return url.Build();
}

std::vector<DocumentedStatus> DocumentedStatuses(const core::EndpointSpec& endpoint) {
  std::vector<DocumentedStatus> out;
  for (int status : endpoint.success) {
    out.push_back({status, "", "", true, "code=" + std::to_string(status)});
  }
  for (const auto& e : endpoint.errors) {
    const bool seen = std::any_of(out.begin(), out.end(), [&](const DocumentedStatus& d) {
      return !d.success && d.status == e.status && d.code == e.code;
    });
    if (seen) continue;
    out.push_back({e.status, e.code, e.trigger, false,
                   "code=" + (e.code.empty() ? std::to_string(e.status) : e.code)});
  }
  return out;
}

ImVec4 StatusColor(int status) {
  if (status >= 200 && status < 300) return ImVec4(0.30f, 0.75f, 0.40f, 1.0f);
  if (status >= 300 && status < 400) return ImVec4(0.40f, 0.60f, 0.95f, 1.0f);
  if (status >= 400 && status < 500) return ImVec4(0.95f, 0.70f, 0.20f, 1.0f);
  if (status >= 500) return ImVec4(0.90f, 0.30f, 0.30f, 1.0f);
  return ImVec4(0.60f, 0.60f, 0.60f, 1.0f);
}

ImVec4 MethodColor(core::Method method) {
  switch (method) {
    case core::Method::kGet:
      return ImVec4(0.40f, 0.65f, 1.00f, 1.0f);
    case core::Method::kPost:
      return ImVec4(0.35f, 0.80f, 0.45f, 1.0f);
    case core::Method::kPut:
    case core::Method::kPatch:
      return ImVec4(0.95f, 0.70f, 0.25f, 1.0f);
    case core::Method::kDelete:
      return ImVec4(0.95f, 0.40f, 0.40f, 1.0f);
    default:
      return ImVec4(0.75f, 0.75f, 0.75f, 1.0f);
  }
}

void SameLineIfFits(float width) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float line_end = ImGui::GetItemRectMax().x + style.ItemSpacing.x + width;
  const float region_end = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (line_end <= region_end) ImGui::SameLine();
}

float ButtonWidth(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

std::string Ellipsize(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  // Whole UTF-8 characters only, so a cut never splits a Chinese character.
  const float dots = ImGui::CalcTextSize("...").x;
  std::size_t end = 0;
  for (std::size_t next = 0; next <= text.size();) {
    if (ImGui::CalcTextSize(text.c_str(), text.c_str() + next).x + dots > width) break;
    end = next;
    if (next == text.size()) break;
    ++next;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
  }
  return text.substr(0, end) + "...";
}

void TextEllipsis(const std::string& text, float width) {
  const std::string shown = Ellipsize(text, width);
  ImGui::TextUnformatted(shown.c_str());
  if (shown.size() != text.size() && ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40.0f);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void TextFit(const std::string& text, const ImVec4* colour) {
  if (colour) ImGui::PushStyleColor(ImGuiCol_Text, *colour);
  TextEllipsis(text, ImGui::GetContentRegionAvail().x);
  if (colour) ImGui::PopStyleColor();
}

void TextDisabledFit(const std::string& text) {
  const ImVec4 disabled = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
  TextFit(text, &disabled);
}

void Note(const char* format, ...) {
  char text[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(text, sizeof text, format, args);
  va_end(args);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

}  // namespace restbox::console::form
