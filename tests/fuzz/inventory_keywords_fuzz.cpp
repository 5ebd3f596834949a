// inventory_keywords_fuzz: the inventory validator the client and the mock share
// (sdk/services/inventory validation.hpp): the keyword grammar, the merge rule, tokens, API keys,
// e-mail and URL checks, and CheckRequest on every inventory endpoint with an arbitrary body.
// Input: byte 0 picks the mode, byte 1 an endpoint (CheckRequest), the rest is the text.
// Properties beyond "no crash":
//   - ParseKeyword: a keyword parses iff no problem is reported; a parsed one is key ':' value with
//     a valid key (CheckKeywordKey), KeywordKey() giving the key, a non-empty value, and a typed
//     value (@ # % $) both opened and closed by its delimiter;
//   - MergeKeywords keeps every base keyword or replaces it in place, and ends with every
//     override's key present, with the last override of each key winning;
//   - a well-formed token / API key has the documented prefix and length; CheckAuthorization
//     accepts exactly "Bearer " + a well-formed key; IsHttpUrl implies ParseUrl with a host;
//   - CheckRequest answers nothing or a documented status (400, 401, 404) with a code, and
//     details only for VALIDATION_ERROR.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/url.hpp"
#include "restbox/inventory/spec.hpp"
#include "restbox/inventory/validation.hpp"

namespace core = restbox::core;
namespace inv = restbox::inventory;

namespace {

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find(separator, pos);
    if (end == std::string_view::npos) end = text.size();
    out.emplace_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

void Keyword(std::string_view text) {
  std::string problem = "unset";
  auto keyword = inv::ParseKeyword(text, &problem);
  FUZZ_CHECK(keyword.has_value() == problem.empty());
  FUZZ_CHECK(inv::ParseKeyword(text).has_value() == keyword.has_value());
  if (!keyword) return;
  FUZZ_CHECK(keyword->key + ":" + keyword->value == text);
  FUZZ_CHECK(inv::CheckKeywordKey(keyword->key).empty());
  FUZZ_CHECK(inv::KeywordKey(text) == keyword->key);
  FUZZ_CHECK(!keyword->value.empty());
  if (keyword->type != inv::KeywordType::kText) {
    FUZZ_CHECK(keyword->value.size() >= 2);
    FUZZ_CHECK(keyword->value.front() == keyword->value.back());
    FUZZ_CHECK(std::string_view("@#%$").find(keyword->value.front()) != std::string_view::npos);
  } else {
    FUZZ_CHECK(!keyword->placeholder);
  }
}

void Merge(std::string_view text) {
  std::size_t split = text.find('\x01');
  std::vector<std::string> base = Split(text.substr(0, split), '\0');
  std::vector<std::string> overrides = split == std::string_view::npos
                                           ? std::vector<std::string>{}
                                           : Split(text.substr(split + 1), '\0');
  std::vector<std::string> merged = inv::MergeKeywords(base, overrides);
  FUZZ_CHECK(merged.size() >= base.size());
  FUZZ_CHECK(merged.size() <= base.size() + overrides.size());
  for (std::size_t i = 0; i < base.size(); ++i) {
    // In place: same key (the base's or, for a repeated key, replaced by an override of it).
    FUZZ_CHECK(inv::KeywordKey(merged[i]) == inv::KeywordKey(base[i]));
  }
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    std::string_view key = inv::KeywordKey(overrides[i]);
    bool later =
        std::any_of(overrides.begin() + static_cast<std::ptrdiff_t>(i) + 1, overrides.end(),
                    [&](const std::string& o) { return inv::KeywordKey(o) == key; });
    if (later) continue;
    auto first = std::find_if(merged.begin(), merged.end(),
                              [&](const std::string& k) { return inv::KeywordKey(k) == key; });
    FUZZ_CHECK(first != merged.end());
    // The first keyword of that key in the result is the last override (base duplicates of the
    // key after the first stay as they were).
    FUZZ_CHECK(*first == overrides[i]);
  }
}

void Shapes(std::string_view text) {
  for (inv::TokenKind kind :
       {inv::TokenKind::kItem, inv::TokenKind::kTemplate, inv::TokenKind::kShare}) {
    if (inv::IsWellFormedToken(text, kind)) {
      FUZZ_CHECK(text.starts_with(inv::TokenPrefix(kind)));
      FUZZ_CHECK(text.size() == inv::TokenPrefix(kind).size() + inv::kTokenBodyLength);
    }
  }
  if (inv::IsWellFormedApiKey(text)) {
    FUZZ_CHECK(text.starts_with("inv_") && text.size() >= 44 && text.size() <= 68);
  }
  auto auth = inv::CheckAuthorization(std::string(text));
  FUZZ_CHECK(!auth.has_value() ==
             (text.starts_with("Bearer ") && inv::IsWellFormedApiKey(inv::BearerKey(text))));
  if (auth) FUZZ_CHECK(auth->status == 401 && !auth->code.empty() && !auth->message.empty());
  if (inv::IsHttpUrl(text)) {
    auto parts = core::ParseUrl(text);
    FUZZ_CHECK(parts.has_value() && !parts->host.empty());
  }
  if (inv::IsEmail(text)) {
    FUZZ_CHECK(text.find('@') != std::string_view::npos && text.size() <= 254);
  }
}

void Request(std::uint8_t selector, std::string_view text) {
  const auto& endpoints = inv::Spec().endpoints;
  const core::EndpointSpec& endpoint = endpoints[selector % endpoints.size()];
  auto body = core::ParseJson(text);
  inv::RequestParts parts;
  // Path placeholders and the query come from the document's "path" and "query" members when it
  // has them; the body is the whole document.
  for (const std::string& name : core::PlaceholderNames(endpoint.path)) {
    std::string value = "x";
    if (body.ok() && body->is_object()) {
      auto path = body->find("path");
      if (path != body->end() && path->is_object())
        value = core::JsonValueOr<std::string>(*path, name, value);
    }
    parts.path[name] = value;
  }
  if (body.ok()) {
    parts.body = &*body;
    if (body->is_object())
      parts.query = core::ParseQuery(core::JsonValueOr<std::string>(*body, "query", ""));
  } else {
    parts.query = core::ParseQuery(text);
  }
  auto problem = inv::CheckRequest(endpoint, parts);
  if (!problem) return;
  FUZZ_CHECK(problem->status == 400 || problem->status == 401 || problem->status == 404);
  FUZZ_CHECK(!problem->code.empty() && !problem->message.empty());
  if (problem->code != "VALIDATION_ERROR") FUZZ_CHECK(problem->details.empty());
  for (const auto& detail : problem->details) FUZZ_CHECK(!detail.field.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 2, size - 2);
  switch (data[0] % 4) {
    case 0:
      Keyword(text);
      break;
    case 1:
      Merge(text);
      break;
    case 2:
      Shapes(text);
      break;
    default:
      Request(data[1], text);
      break;
  }
  return 0;
}
