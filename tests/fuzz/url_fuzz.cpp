// url_fuzz: sdk/core's URL and query code (restbox/core/url.hpp) on arbitrary bytes.
// Input: byte 0 picks what is fed, the rest is the text (or, for the builder, a NUL-separated
// template, name and value). Properties checked beyond "no crash":
//   - PercentDecode inverts EncodeQueryComponent and EncodePathSegment;
//   - an encoded query component holds only unreserved characters and %XX, an encoded segment no
//     '/', '?', '#' or '%' other than an escape;
//   - ParseQuery's pairs, encoded again and parsed again, give the same pairs;
//   - ParseUrl: any text starting with '/' parses (origin-relative); the path starts with '/',
//     the port is 0 or 1..65535, a URL with a host has a scheme and one without has none, and the
//     parts printed again parse to the same parts;
//   - UrlBuilder: a placeholder value and a query pair come back out of the built URL.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "restbox/core/url.hpp"

namespace core = restbox::core;

namespace {

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}
bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

// Every '%' starts an upper-case %XX escape and `allowed` holds for every other character.
template <typename Allowed>
bool WellEncoded(std::string_view text, Allowed allowed) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 2 >= text.size()) return false;
      if (!IsHex(text[i + 1]) || !IsHex(text[i + 2])) return false;
      i += 2;
    } else if (!allowed(text[i])) {
      return false;
    }
  }
  return true;
}

void CheckEncoders(std::string_view text) {
  std::string query = core::EncodeQueryComponent(text);
  FUZZ_CHECK(WellEncoded(query, IsUnreserved));
  FUZZ_CHECK(core::PercentDecode(query) == text);
  FUZZ_CHECK(core::PercentDecode(query, true) == text);
  std::string segment = core::EncodePathSegment(text);
  FUZZ_CHECK(WellEncoded(segment, [](char c) { return c != '/' && c != '?' && c != '#'; }));
  FUZZ_CHECK(core::PercentDecode(segment) == text);
  FUZZ_CHECK(segment != "." && segment != "..");
  // Decoding never grows the text.
  FUZZ_CHECK(core::PercentDecode(text).size() <= text.size());
}

void CheckQuery(std::string_view text) {
  core::QueryParams pairs = core::ParseQuery(text);
  std::string again;
  for (const auto& [name, value] : pairs) {
    if (!again.empty()) again.push_back('&');
    again += core::EncodeQueryComponent(name) + "=" + core::EncodeQueryComponent(value);
  }
  FUZZ_CHECK(core::ParseQuery(again) == pairs);
}

std::string Print(const core::UrlParts& parts) {
  std::string out;
  if (!parts.host.empty()) {
    out = parts.scheme + "://";
    bool brackets = parts.host.find(':') != std::string::npos;
    out += brackets ? "[" + parts.host + "]" : parts.host;
    if (parts.port != 0) out += ":" + std::to_string(parts.port);
  }
  out += parts.path;
  if (!parts.query.empty()) out += "?" + parts.query;
  return out;
}

void CheckUrl(std::string_view text) {
  auto parts = core::ParseUrl(text);
  // Every text that starts with '/' is an origin-relative URL.
  if (!text.empty() && text.front() == '/') FUZZ_CHECK(parts.has_value() && parts->host.empty());
  if (!parts) return;
  FUZZ_CHECK(!parts->path.empty() && parts->path.front() == '/');
  FUZZ_CHECK(parts->port >= 0 && parts->port <= 65535);
  FUZZ_CHECK(parts->scheme.empty() == parts->host.empty());
  FUZZ_CHECK(parts->path.find_first_of("?#") == std::string::npos);
  FUZZ_CHECK(parts->query.find('#') == std::string::npos);
  // A host with both ':' and a bracket cannot be written back unambiguously; skip those.
  if (parts->host.find_first_of("[]") != std::string::npos) return;
  auto again = core::ParseUrl(Print(*parts));
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->scheme == parts->scheme && again->host == parts->host);
  FUZZ_CHECK(again->port == parts->port && again->path == parts->path);
  FUZZ_CHECK(again->query == parts->query);
}

void CheckBuilder(std::string_view text) {
  // template \0 value \0 query name \0 query value
  std::string_view fields[4];
  for (auto& field : fields) {
    std::size_t nul = text.find('\0');
    field = text.substr(0, nul);
    text = nul == std::string_view::npos ? std::string_view{} : text.substr(nul + 1);
  }
  const std::string value(fields[1]);
  // Any template: no crash, and every placeholder name is reported.
  (void)core::PlaceholderNames(fields[0]);
  (void)core::UrlBuilder("http://h").Path(fields[0], {{"v", value}}).Build();
  // A known template: the value and the query pair come back.
  std::string url = core::UrlBuilder("http://h/base/")
                        .Path("/x/{v}/y", {{"v", value}})
                        .Query(fields[2], fields[3])
                        .Build();
  auto parts = core::ParseUrl(url);
  FUZZ_CHECK(parts.has_value());
  FUZZ_CHECK(parts->path == "/base/x/" + core::EncodePathSegment(value) + "/y");
  FUZZ_CHECK(core::ParseQuery(parts->query) ==
             core::QueryParams({{std::string(fields[2]), std::string(fields[3])}}));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      CheckEncoders(text);
      break;
    case 1:
      CheckQuery(text);
      break;
    case 2:
      CheckUrl(text);
      break;
    case 3:
      CheckBuilder(text);
      break;
    default:
      // Everything on the same bytes: the decoders must take any input.
      (void)core::PercentDecode(text, true);
      (void)core::PlaceholderNames(text);
      CheckUrl(text);
      CheckQuery(text);
      break;
  }
  return 0;
}
