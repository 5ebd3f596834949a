#include "restbox/core/json_codec.hpp"

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

std::string DumpJson(const Json& json, int indent) {
  return json.dump(indent, ' ', false, Json::error_handler_t::replace);
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
