#pragma once
// URL building and parsing with correct percent-encoding (RFC 3986).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace restbox::core {

// Encodes a value for use as ONE path segment: everything but unreserved characters
// (A-Z a-z 0-9 - . _ ~) and the sub-delims/':'/'@' allowed in a segment is %XX-encoded,
// including '/', '?' and '#', so a segment can never change the path's shape.
std::string EncodePathSegment(std::string_view value);
// Encodes a query name or value: only unreserved characters stay as they are; space is %20.
std::string EncodeQueryComponent(std::string_view value);
// Decodes %XX sequences (and, when `plus_as_space`, '+' as space). Malformed escapes are kept
// literally, so decoding never fails and never loses bytes.
std::string PercentDecode(std::string_view value, bool plus_as_space = false);

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Parses "a=1&b=x%20y" into decoded pairs, in order. A name without '=' gets an empty value.
QueryParams ParseQuery(std::string_view query);

// The parts of a URL that the SDK and the mock need.
struct UrlParts {
  std::string scheme;  // "http", "https", or "" for a relative URL
  std::string host;    // without brackets for IPv6
  int port = 0;        // 0 when not given
  std::string path;    // still percent-encoded, always starts with '/'
  std::string query;   // without '?', still encoded
};
// Splits an absolute ("http://h:1/p?q") or origin-relative ("/p?q") URL. Returns nullopt for
// anything else (no scheme and no leading '/', an empty or malformed scheme as in "://h", bad
// port...). Every text that starts with '/' is origin-relative, "://" in its query included.
std::optional<UrlParts> ParseUrl(std::string_view url);

// The names of a path template's {placeholders}, in order: "/a/{x}/b/{y}" -> {"x", "y"}.
std::vector<std::string> PlaceholderNames(std::string_view path_template);

// Builds "<base><path>?<query>". Path templates use {name} placeholders filled with encoded
// segment values: Url("https://x/api").Path("/data/{slug}", {{"slug", "a b"}}) -> ".../data/a%20b".
class UrlBuilder final {
 public:
  explicit UrlBuilder(std::string_view base);
  // Appends a path template; every {name} must have a value in `params` (missing ones are left
  // as the literal "{name}", which the mock then answers with 404).
  UrlBuilder& Path(std::string_view path_template,
                   const std::vector<std::pair<std::string, std::string>>& params = {});
  UrlBuilder& Query(std::string_view name, std::string_view value);
  // Adds the query parameter only when the optional holds a value.
  UrlBuilder& QueryIf(std::string_view name, const std::optional<std::string>& value);
  std::string Build() const;

 private:
  std::string base_;
  std::string path_;
  QueryParams query_;
};

}  // namespace restbox::core
