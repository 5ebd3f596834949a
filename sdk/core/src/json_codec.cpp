#include "restbox/core/json_codec.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <type_traits>

namespace restbox::core {

namespace detail {
Error DecodeError(std::string_view what, std::string_view text) {
  Error e;
  e.kind = ErrorKind::kDecode;
  e.message = "invalid JSON: " + std::string(what);
  e.raw_body = std::string(text);
  return e;
}
}  // namespace detail

namespace {
// True when arrays/objects nest deeper than `limit` (brackets inside strings do not count). One
// linear pass, cheaper than the parse it protects.
bool NestsDeeperThan(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}
}  // namespace

Result<Json> ParseJson(std::string_view text) {
  if (NestsDeeperThan(text, kMaxJsonDepth)) {
    return detail::DecodeError("nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels",
                               text);
  }
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const std::exception& e) {
    return detail::DecodeError(e.what(), text);
  }
}

namespace {
bool IsValidUtf8(std::string_view s);

// A string as nlohmann's serialiser writes it (ensure_ascii off): quotes, backslashes and control
// characters escaped (\b \t \n \f \r, others as \u00xx), everything else as it is. Invalid
// UTF-8, which the serialiser replaces with U+FFFD, is left to it. Returns whether `s` was valid
// UTF-8 (what it reads back as, unchanged).
bool AppendString(std::string& out, const std::string& s) {
  static constexpr char kHex[] = "0123456789abcdef";
  bool plain = true;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) {
      plain = false;
      break;
    }
  }
  if (plain) {
    // One resize and one copy: appending char by char is a call per character here.
    const std::size_t at = out.size();
    out.resize(at + s.size() + 2);
    char* p = out.data() + at;
    *p = '"';
    std::copy(s.begin(), s.end(), p + 1);
    p[s.size() + 1] = '"';
    return true;
  }
  if (!IsValidUtf8(s)) {
    out += Json(s).dump(-1, ' ', false, Json::error_handler_t::replace);
    return false;
  }
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return true;
}

// The compact form of nlohmann's dump(-1, ' ', false, replace), byte for byte, written straight
// into one string: the library's serialiser goes through an output adapter and a UTF-8 decoder
// for every character, which made serialisation a third of the mock's time on list endpoints.
// With `exact` (J = Json), the same walk also makes `json` what parsing the output gives
// (MakeWireExact) and clears *exact when no value can be that; `depth` counts the nesting then.
template <typename J>
void AppendCompact(std::string& out, J& json, std::size_t depth = 0, bool* exact = nullptr) {
  constexpr bool kNormalise = !std::is_const_v<J>;
  switch (json.type()) {
    case Json::value_t::null:
      out += "null";
      return;
    case Json::value_t::boolean:
      out += json.template get<bool>() ? "true" : "false";
      return;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: {
      char buffer[24];
      auto [end, ec] =
          json.is_number_unsigned()
              ? std::to_chars(buffer, buffer + sizeof buffer, json.template get<std::uint64_t>())
              : std::to_chars(buffer, buffer + sizeof buffer, json.template get<std::int64_t>());
      out.append(buffer, end);
      if constexpr (kNormalise) {
        // A parser reads a number without a sign as unsigned.
        if (exact && json.is_number_integer() && json.template get<std::int64_t>() >= 0)
          json = json.template get<std::uint64_t>();
      }
      return;
    }
    case Json::value_t::number_float: {
      const double x = json.template get<double>();
      if (!std::isfinite(x)) {
        out += "null";
        if (exact) *exact = false;
        return;
      }
      std::array<char, 64> buffer{};
      char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), x);
      out.append(buffer.data(), end);
      return;
    }
    case Json::value_t::string:
      if (!AppendString(out, json.template get_ref<const std::string&>()) && exact) *exact = false;
      return;
    case Json::value_t::array: {
      if (exact && depth + 1 > kMaxJsonDepth) *exact = false;
      out += '[';
      bool first = true;
      for (auto& v : json) {
        if (!first) out += ',';
        first = false;
        AppendCompact(out, v, depth + 1, exact);
      }
      out += ']';
      return;
    }
    case Json::value_t::object: {
      if (exact && depth + 1 > kMaxJsonDepth) *exact = false;
      out += '{';
      bool first = true;
      for (auto it = json.begin(); it != json.end(); ++it) {
        if (!first) out += ',';
        first = false;
        if (!AppendString(out, it.key()) && exact) *exact = false;
        out += ':';
        AppendCompact(out, it.value(), depth + 1, exact);
      }
      out += '}';
      return;
    }
    case Json::value_t::binary:
    case Json::value_t::discarded:
      out += json.dump(-1, ' ', false, Json::error_handler_t::replace);
      if (exact) *exact = false;
      return;
  }
}
}  // namespace

std::string DumpJson(const Json& json, int indent) {
  if (indent >= 0) return json.dump(indent, ' ', false, Json::error_handler_t::replace);
  std::string out;
  out.reserve(128);
  AppendCompact(out, json);
  return out;
}

std::string DumpWireExact(Json& json, bool& exact) {
  std::string out;
  out.reserve(128);
  exact = true;
  AppendCompact(out, json, 0, &exact);
  return out;
}

namespace {
// Strict UTF-8 (what nlohmann's serialiser accepts without replacing anything): no overlong
// forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

bool MakeWireExactAt(Json& json, std::size_t depth) {
  switch (json.type()) {
    case Json::value_t::null:
    case Json::value_t::boolean:
    case Json::value_t::number_unsigned:
      return true;
    case Json::value_t::number_integer: {
      const auto v = json.get<std::int64_t>();
      if (v >= 0) json = static_cast<std::uint64_t>(v);
      return true;
    }
    case Json::value_t::number_float:
      return std::isfinite(json.get<double>());
    case Json::value_t::string:
      return IsValidUtf8(json.get_ref<const std::string&>());
    case Json::value_t::array:
      if (depth + 1 > kMaxJsonDepth) return false;
      for (auto& v : json) {
        if (!MakeWireExactAt(v, depth + 1)) return false;
      }
      return true;
    case Json::value_t::object:
      if (depth + 1 > kMaxJsonDepth) return false;
      for (auto it = json.begin(); it != json.end(); ++it) {
        if (!IsValidUtf8(it.key()) || !MakeWireExactAt(it.value(), depth + 1)) return false;
      }
      return true;
    case Json::value_t::binary:
    case Json::value_t::discarded:
      return false;
  }
  return false;
}
}  // namespace

bool MakeWireExact(Json& json) {
  return MakeWireExactAt(json, 0);
}

std::shared_ptr<const Json> SharedWireExact(Json&& json) {
  if (!MakeWireExact(json)) return nullptr;
  return std::make_shared<const Json>(std::move(json));
}

std::string DumpShared(Json&& json, std::shared_ptr<const Json>& shared) {
  bool exact = false;
  std::string bytes = DumpWireExact(json, exact);
  shared = exact ? std::make_shared<const Json>(std::move(json)) : nullptr;
  return bytes;
}

namespace {
// A body's attached value when there is one, else its bytes parsed into `parsed`.
const Json* AttachedOrParsed(const std::shared_ptr<const Json>& attached, std::string_view body,
                             Json& parsed, Error* error) {
  if (attached) return attached.get();
  auto result = ParseJson(body);
  if (!result.ok()) {
    if (error) *error = std::move(result.error());
    return nullptr;
  }
  parsed = std::move(result.value());
  return &parsed;
}
}  // namespace

Result<Json> ResponseJson(const HttpResponse& response) {
  if (response.json) return Json(*response.json);
  return ParseJson(response.body);
}

const Json* ResponseJson(const HttpResponse& response, Json& parsed, Error* error) {
  return AttachedOrParsed(response.json, response.body, parsed, error);
}

Result<Json> RequestJson(const HttpRequest& request) {
  if (request.json) return Json(*request.json);
  return ParseJson(request.body);
}

const Json* RequestJson(const HttpRequest& request, Json& parsed, Error* error) {
  return AttachedOrParsed(request.json, request.body, parsed, error);
}

std::size_t CodePointLength(std::string_view utf8) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < utf8.size()) {
    auto c = static_cast<unsigned char>(utf8[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 1;
    std::size_t j = 1;
    while (j < len && i + j < utf8.size() &&
           (static_cast<unsigned char>(utf8[i + j]) & 0xC0) == 0x80) {
      ++j;
    }
    i += (j == len) ? len : 1;
    ++count;
  }
  return count;
}

}  // namespace restbox::core
