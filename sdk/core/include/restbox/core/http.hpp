#pragma once
// Plain HTTP values shared by the SDK, the transports and the mock: no behaviour beyond
// case-insensitive header lookup. A status is a value here; deciding what is an error is the
// service layer's job (DESIGN rule 2).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace restbox::core {

enum class Method : std::uint8_t { kGet, kPost, kPut, kDelete, kPatch, kHead, kOptions };

std::string_view ToString(Method method);
// Parses an upper-case method name ("GET", "POST"...). Returns nullopt for anything else.
std::optional<Method> ParseMethod(std::string_view name);

// ASCII case-insensitive comparison, the rule HTTP uses for header names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// An ordered list of header fields with case-insensitive names. Keeps the order and the spelling
// it was given (useful for exports); lookups ignore case.
class Headers final {
 public:
  using Field = std::pair<std::string, std::string>;

  Headers() = default;
  Headers(std::initializer_list<Field> fields);

  // First value of `name`, or nullopt.
  std::optional<std::string> Get(std::string_view name) const;
  // First value of `name`, or `fallback`.
  std::string GetOr(std::string_view name, std::string_view fallback) const;
  bool Has(std::string_view name) const;
  // Replaces every field called `name` by one field with `value`.
  void Set(std::string_view name, std::string_view value);
  // Appends a field, keeping existing ones with the same name.
  void Add(std::string_view name, std::string_view value);
  void Remove(std::string_view name);

  const std::vector<Field>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }
  std::size_t size() const { return fields_.size(); }
  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

struct HttpRequest {
  Method method = Method::kGet;
  // Absolute URL ("http://host:port/path?query") or, for in-process use, just "/path?query".
  std::string url;
  Headers headers;
  std::string body;
  // The body as a JSON value, when the client built the body from one (ServiceClient, from
  // CallSpec::body): exactly what ParseJson(body) gives, so that the in-process mock reads it
  // without parsing (core::RequestJson). Null when the body came from elsewhere (a socket, a raw
  // body, a cassette). Whoever changes `body` afterwards resets it. Shared and immutable, like
  // HttpResponse::json: copies of the request (retries) are cheap.
  std::shared_ptr<const nlohmann::json> json;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
  // The body as a JSON value, when whoever answered built the body from one (the mock's
  // JsonResponse): exactly what ParseJson(body) gives, so an in-process reader skips the parse
  // (core::ResponseJson). Null when the body came from elsewhere (a socket, a cassette). Whoever
  // changes `body` afterwards resets it. Shared and immutable: copies of the response are cheap.
  std::shared_ptr<const nlohmann::json> json;
};

// Standard reason phrase for a status ("Not Found"), or "" when unknown.
std::string_view ReasonPhrase(int status);

}  // namespace restbox::core
