#pragma once
// The one inventory validator (common rule 7): the client runs it before sending (client-side
// validation) and the mock runs it when answering, so both give the same code, message and field
// details for the same request. It adds to the table-driven core::ValidateRequest the rules the
// FieldSpecs cannot express, selected by FieldSpec::format:
//   "template-token" / "item-token" / "share-token"  well-formed token (else INVALID_TOKEN)
//   "keyword"       each item follows the keyword grammar below
//   "keyword-key"   each item is a keyword key (1..8 code points, no ':' or white space)
//   "tag"           each item is a non-empty tag of at most kMaxTag code points
//   "email"         local@domain.tld
//   "date-time"     ISO 8601 date or date-time
//   "http-url"      absolute http:// or https:// URL (else INVALID_IMAGE)
//   "share-minutes" 0 or kMinShareMinutes..kMaxShareMinutes
//
// Shapes of tokens and keys come in two strengths (Shapes):
// - kMock, restbox-mock's own formats: tokens "<prefix><22 base64url characters>", prefix "itm_"
//   (items), "tpl_" (templates), "shr_" (shares); keys "inv_" followed by 40..64 base64url
//   characters. Anything else is malformed (INVALID_TOKEN, 400; INVALID_API_KEY, 401); a
//   well-formed token that names nothing is NOT_FOUND (404).
// - kDocumented, what the seed says and so what a client may refuse before sending to any
//   server: a key is "inv_" followed by base64url characters (its length, "约50个字符", is only
//   approximate); a token is opaque ("encrypted_item_id"), so only an empty one or one with a
//   character outside A-Z a-z 0-9 - . _ ~ (not URL-safe) is malformed.
//
// Keyword grammar: "key:value", split at the first ':'. The key is 1..8 code points without white
// space; the whole keyword is at most 256 code points; the value is not empty. A value that starts
// with one of @ # % $ is typed and must be complete:
//   date     key:@YYYY-MM-DD@          a real calendar date      start:@2025-01-15@
//   phone    key:#<phone>#             digits, spaces, + - ( ) . with at least 3 digits
//                                                                contact:#+82 10-1234-5678#
//   address  key:%<address>%           any text without '%', not blank   place:%首尔 江南%
//   amount   key:$<number><CURRENCY>$  digits with optional .decimals, then 3 capital letters
//                                                                price:$50000KRW$
// and a placeholder is the type's name between its delimiters (@date@, #phone#, %address%,
// $amount$): a template holds it, a send fills it in (keyword merge).
//
// Order of the checks (the first failing group answers):
//   1. path tokens                      -> INVALID_TOKEN
//   2. table rules + grammar/format rules -> VALIDATION_ERROR (one detail per broken field)
//   3. body tokens (shareToken)         -> INVALID_TOKEN
//   4. imageUrl                          -> INVALID_IMAGE

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/error.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/url.hpp"

namespace restbox::inventory {

// A documented error, before it is an HTTP body or a core::Error.
struct ApiError {
  int status = 0;
  std::string code;
  std::string message;
  std::vector<core::FieldError> details;  // VALIDATION_ERROR only
  bool operator==(const ApiError&) const = default;
};

enum class TokenKind { kItem, kTemplate, kShare };
// Which shapes count as well-formed (see above): the mock checks its own formats, the client
// only what the documents say.
enum class Shapes { kMock, kDocumented };

inline constexpr std::size_t kTokenBodyLength = 22;
std::string_view TokenPrefix(TokenKind kind);
bool IsWellFormedToken(std::string_view token, TokenKind kind, Shapes shapes = Shapes::kMock);
// Builds a well-formed token from 64-bit random numbers drawn from `next`.
template <typename Next>
std::string MakeToken(TokenKind kind, Next&& next);

// Builds a well-formed API key ("inv_" + 43 base64url characters, the size of a base64url-encoded
// 32-byte secret) from 64-bit random numbers drawn from `next`.
template <typename Next>
std::string MakeApiKey(Next&& next);
bool IsWellFormedApiKey(std::string_view key, Shapes shapes = Shapes::kMock);
bool IsBase64Url(char c);
// The shape of the Authorization header value ("Bearer inv_…"): INVALID_API_KEY (401) when it is
// missing, not Bearer, or not a well-formed key. Whether the key exists is the server's business.
std::optional<ApiError> CheckAuthorization(const std::optional<std::string>& header,
                                           Shapes shapes = Shapes::kMock);
// The key inside a well-formed header value.
std::string_view BearerKey(std::string_view header);

enum class KeywordType { kText, kDate, kPhone, kAddress, kAmount };

struct Keyword {
  std::string key;
  std::string value;  // as written, delimiters included
  KeywordType type = KeywordType::kText;
  bool placeholder = false;  // @date@, #phone#, %address%, $amount$
};

// Parses one keyword; on failure returns nullopt and sets `problem` ("key must be at most 8
// characters", "@2025-02-30@ is not a valid date"...).
std::optional<Keyword> ParseKeyword(std::string_view text, std::string* problem = nullptr);
// "" when `key` is a valid keyword key, else the problem.
std::string CheckKeywordKey(std::string_view key);
// The key of a keyword ("日期" for "日期:2025-01-15"); the whole text when it has no ':'.
std::string_view KeywordKey(std::string_view keyword);

// The send merge rule: an override whose key the template has replaces that keyword (in place);
// an override with a new key is appended. Later overrides of the same key win.
std::vector<std::string> MergeKeywords(const std::vector<std::string>& base,
                                       const std::vector<std::string>& overrides);

bool IsHttpUrl(std::string_view url);
bool IsEmail(std::string_view email);

struct RequestParts {
  std::map<std::string, std::string> path;  // placeholder values, decoded
  const core::Json* body = nullptr;         // parsed body of a POST; null for a GET
  core::QueryParams query;
};

// The whole validation of one request of `endpoint` (see the order above). nullopt = valid.
std::optional<ApiError> CheckRequest(const core::EndpointSpec& endpoint, const RequestParts& parts,
                                     Shapes shapes = Shapes::kMock);

// ---- implementation of the template ----
namespace detail {
template <typename Next>
std::string RandomBase64Url(std::string_view prefix, std::size_t length, Next& next) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out(prefix);
  for (std::size_t i = 0; i < length; ++i) out.push_back(kAlphabet[next() % 64]);
  return out;
}
}  // namespace detail

template <typename Next>
std::string MakeToken(TokenKind kind, Next&& next) {
  return detail::RandomBase64Url(TokenPrefix(kind), kTokenBodyLength, next);
}

template <typename Next>
std::string MakeApiKey(Next&& next) {
  return detail::RandomBase64Url("inv_", 43, next);
}

}  // namespace restbox::inventory
