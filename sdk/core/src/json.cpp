#include "restbox/core/json.hpp"

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

Result<Json> ParseJson(std::string_view text) {
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
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
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
