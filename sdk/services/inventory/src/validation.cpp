#include "restbox/inventory/validation.hpp"

#include <algorithm>

#include "restbox/core/clock.hpp"
#include "restbox/core/validation.hpp"
#include "restbox/inventory/spec.hpp"

namespace restbox::inventory {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsUpper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool IsSpaceOrControl(unsigned char c) {
  return c <= 0x20 || c == 0x7F;
}

// Keywords, tags and keys may hold any Unicode text; white space is refused only in keys, where
// the grammar uses it as nothing and a stray space would silently create a second key.
bool HasSpaceOrControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return IsSpaceOrControl(static_cast<unsigned char>(c)); });
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsSpaceOrControl(static_cast<unsigned char>(c)); });
}

std::string CheckDate(std::string_view inner) {
  bool shape = inner.size() == 10 && inner[4] == '-' && inner[7] == '-';
  for (std::size_t i = 0; shape && i < inner.size(); ++i) {
    if (i != 4 && i != 7) shape = IsDigit(inner[i]);
  }
  if (!shape) return "date must be @YYYY-MM-DD@";
  if (!core::ParseIso8601(inner)) return "@" + std::string(inner) + "@ is not a valid date";
  return {};
}

std::string CheckPhone(std::string_view inner) {
  int digits = 0;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    char c = inner[i];
    if (IsDigit(c)) {
      ++digits;
    } else if (!(c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' ||
                 (c == '+' && i == 0))) {
      return "phone may hold only digits, spaces, a leading '+', '-', '(', ')' and '.'";
    }
  }
  if (digits < 3) return "phone must have at least 3 digits";
  return {};
}

std::string CheckAddress(std::string_view inner) {
  if (IsBlank(inner)) return "address must not be blank";
  if (inner.find('%') != std::string_view::npos) return "address must not contain '%'";
  return {};
}

std::string CheckAmount(std::string_view inner) {
  std::size_t i = 0;
  while (i < inner.size() && IsDigit(inner[i])) ++i;
  if (i == 0) return "amount must be $<number><CURRENCY>$, e.g. $50000KRW$";
  if (i < inner.size() && inner[i] == '.') {
    std::size_t start = ++i;
    while (i < inner.size() && IsDigit(inner[i])) ++i;
    if (i == start) return "amount's decimals are missing after '.'";
  }
  std::string_view currency = inner.substr(i);
  if (currency.size() != 3 || !std::all_of(currency.begin(), currency.end(), IsUpper))
    return "amount must end with a 3-letter currency code, e.g. $50000KRW$";
  return {};
}

struct TypedForm {
  char delimiter;
  KeywordType type;
  std::string_view placeholder;  // the type's name
  std::string (*check)(std::string_view inner);
};
constexpr TypedForm kTypedForms[] = {
    {'@', KeywordType::kDate, "date", &CheckDate},
    {'#', KeywordType::kPhone, "phone", &CheckPhone},
    {'%', KeywordType::kAddress, "address", &CheckAddress},
    {'$', KeywordType::kAmount, "amount", &CheckAmount},
};

std::string ItemLabel(std::size_t index, const core::Json& item) {
  std::string label = "item " + std::to_string(index);
  if (item.is_string()) label += " (\"" + item.get<std::string>() + "\")";
  return label;
}

// Applies `check` to every item of an array field; returns the first problem.
template <typename Check>
std::string CheckItems(const core::Json& value, Check check) {
  if (!value.is_array()) return {};
  for (std::size_t i = 0; i < value.size(); ++i) {
    const core::Json& item = value[i];
    if (!item.is_string()) return ItemLabel(i, item) + " must be a string";
    std::string problem = check(item.get_ref<const std::string&>());
    if (!problem.empty()) return ItemLabel(i, item) + ": " + problem;
  }
  return {};
}

bool IsTokenFormat(const std::string& format) {
  return format.ends_with("-token");
}

TokenKind TokenKindOf(const std::string& format) {
  if (format == "item-token") return TokenKind::kItem;
  if (format == "share-token") return TokenKind::kShare;
  return TokenKind::kTemplate;
}

std::string_view TokenNoun(TokenKind kind) {
  switch (kind) {
    case TokenKind::kItem:
      return "item";
    case TokenKind::kTemplate:
      return "template";
    case TokenKind::kShare:
      return "share";
  }
  return "";
}

bool IsUrlSafe(char c) {
  return IsBase64Url(c) || c == '.' || c == '~';
}

// A token that is not even URL-safe is malformed in any format: the message says only that, so a
// client (kDocumented) and the mock (kMock) refuse it with the same words.
ApiError InvalidToken(const core::FieldSpec& field, std::string_view token) {
  TokenKind kind = TokenKindOf(field.format);
  std::string message =
      "Malformed " + std::string(TokenNoun(kind)) + " token in '" + field.name + "'";
  if (!token.empty() && std::all_of(token.begin(), token.end(), IsUrlSafe))
    message += ": expected " + std::string(TokenPrefix(kind)) + " followed by " +
               std::to_string(kTokenBodyLength) + " base64url characters";
  return {400, std::string(kInvalidToken), std::move(message), {}};
}

// The grammar/format rules of group 2 for one present, well-typed field ("" = fine).
std::string CheckFormat(const core::FieldSpec& field, const core::Json& value) {
  const std::string& f = field.format;
  if (f == "keyword") {
    return CheckItems(value, [](const std::string& s) {
      std::string problem;
      ParseKeyword(s, &problem);
      return problem;
    });
  }
  if (f == "keyword-key")
    return CheckItems(value, [](const std::string& s) { return CheckKeywordKey(s); });
  if (f == "tag") {
    return CheckItems(value, [](const std::string& s) -> std::string {
      if (IsBlank(s)) return "tag must not be blank";
      if (core::CodePointLength(s) > kMaxTag)
        return "tag must be at most " + std::to_string(kMaxTag) + " characters";
      return {};
    });
  }
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (f == "email" && !IsEmail(text)) return "must be an email address";
    if (f == "date-time" && !core::ParseIso8601(text))
      return "must be an ISO 8601 date or date-time";
  }
  if (f == "share-minutes" && value.is_number()) {
    double minutes = value.get<double>();
    if (minutes != 0 && (minutes < kMinShareMinutes || minutes > kMaxShareMinutes))
      return "must be 0 (unlimited) or between " + std::to_string(kMinShareMinutes) + " and " +
             std::to_string(kMaxShareMinutes);
  }
  return {};
}

const core::Json* BodyMember(const core::Json* body, const std::string& name) {
  if (!body || !body->is_object()) return nullptr;
  auto it = body->find(name);
  return it == body->end() || it->is_null() ? nullptr : &*it;
}

}  // namespace

std::string_view TokenPrefix(TokenKind kind) {
  switch (kind) {
    case TokenKind::kItem:
      return "itm_";
    case TokenKind::kTemplate:
      return "tpl_";
    case TokenKind::kShare:
      return "shr_";
  }
  return "";
}

bool IsBase64Url(char c) {
  return IsDigit(c) || IsUpper(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
}

bool IsWellFormedToken(std::string_view token, TokenKind kind, Shapes shapes) {
  if (shapes == Shapes::kDocumented)
    return !token.empty() && std::all_of(token.begin(), token.end(), IsUrlSafe);
  std::string_view prefix = TokenPrefix(kind);
  if (token.size() != prefix.size() + kTokenBodyLength || !token.starts_with(prefix)) return false;
  token.remove_prefix(prefix.size());
  return std::all_of(token.begin(), token.end(), IsBase64Url);
}

bool IsWellFormedApiKey(std::string_view key, Shapes shapes) {
  if (!key.starts_with("inv_")) return false;
  key.remove_prefix(4);
  bool length_ok =
      shapes == Shapes::kDocumented ? !key.empty() : key.size() >= 40 && key.size() <= 64;
  return length_ok && std::all_of(key.begin(), key.end(), IsBase64Url);
}

std::string_view BearerKey(std::string_view header) {
  return header.starts_with("Bearer ") ? header.substr(7) : std::string_view{};
}

std::optional<ApiError> CheckAuthorization(const std::optional<std::string>& header,
                                           Shapes shapes) {
  auto invalid = [](std::string message) {
    return ApiError{401, std::string(kInvalidApiKey), std::move(message), {}};
  };
  if (!header || header->empty()) return invalid("Missing Authorization header");
  if (!header->starts_with("Bearer ")) return invalid("Authorization must be 'Bearer inv_…'");
  std::string_view key = BearerKey(*header);
  if (!IsWellFormedApiKey(key, Shapes::kDocumented))
    return invalid("Malformed API key: expected inv_ followed by base64url characters");
  if (!IsWellFormedApiKey(key, shapes))
    return invalid("Malformed API key: expected inv_ followed by 40 to 64 base64url characters");
  return std::nullopt;
}

std::string_view KeywordKey(std::string_view keyword) {
  return keyword.substr(0, keyword.find(':'));
}

std::string CheckKeywordKey(std::string_view key) {
  if (key.empty()) return "key must not be empty";
  if (core::CodePointLength(key) > kMaxKeywordKey)
    return "key must be at most " + std::to_string(kMaxKeywordKey) + " characters";
  if (HasSpaceOrControl(key)) return "key must not contain white space";
  if (key.find(':') != std::string_view::npos) return "key must not contain ':'";
  return {};
}

std::optional<Keyword> ParseKeyword(std::string_view text, std::string* problem) {
  auto fail = [&](std::string why) -> std::optional<Keyword> {
    if (problem) *problem = std::move(why);
    return std::nullopt;
  };
  if (core::CodePointLength(text) > kMaxKeyword)
    return fail("keyword must be at most " + std::to_string(kMaxKeyword) + " characters");
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return fail("keyword must be key:value");
  Keyword k;
  k.key = std::string(text.substr(0, colon));
  k.value = std::string(text.substr(colon + 1));
  if (auto why = CheckKeywordKey(k.key); !why.empty()) return fail(why);
  if (k.value.empty()) return fail("value must not be empty");
  for (const TypedForm& form : kTypedForms) {
    if (k.value.front() != form.delimiter) continue;
    k.type = form.type;
    if (k.value.size() < 2 || k.value.back() != form.delimiter)
      return fail("typed value must end with '" + std::string(1, form.delimiter) + "'");
    std::string_view inner = std::string_view(k.value).substr(1, k.value.size() - 2);
    if (inner == form.placeholder) {
      k.placeholder = true;
    } else if (auto why = form.check(inner); !why.empty()) {
      return fail(why);
    }
    break;
  }
  if (problem) problem->clear();
  return k;
}

std::vector<std::string> MergeKeywords(const std::vector<std::string>& base,
                                       const std::vector<std::string>& overrides) {
  std::vector<std::string> out = base;
  for (const std::string& o : overrides) {
    std::string_view key = KeywordKey(o);
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const std::string& k) { return KeywordKey(k) == key; });
    if (it != out.end()) {
      *it = o;
    } else {
      out.push_back(o);
    }
  }
  return out;
}

bool IsHttpUrl(std::string_view url) {
  if (HasSpaceOrControl(url)) return false;
  auto parts = core::ParseUrl(url);
  if (!parts || parts->host.empty()) return false;
  return core::EqualsIgnoreCase(parts->scheme, "http") ||
         core::EqualsIgnoreCase(parts->scheme, "https");
}

bool IsEmail(std::string_view email) {
  if (email.size() > 254 || HasSpaceOrControl(email)) return false;
  std::size_t at = email.find('@');
  if (at == 0 || at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos)
    return false;
  std::string_view domain = email.substr(at + 1);
  std::size_t dot = domain.rfind('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size() &&
         domain.find("..") == std::string_view::npos && domain.front() != '.';
}

std::optional<ApiError> CheckRequest(const core::EndpointSpec& endpoint, const RequestParts& parts,
                                     Shapes shapes) {
  // 1. Path tokens.
  for (const core::FieldSpec& f : endpoint.fields) {
    if (f.in != core::FieldIn::kPath || !IsTokenFormat(f.format)) continue;
    auto it = parts.path.find(f.name);
    const std::string value = it == parts.path.end() ? std::string() : it->second;
    if (!IsWellFormedToken(value, TokenKindOf(f.format), shapes)) return InvalidToken(f, value);
  }

  // 2. The table's rules, then the grammar and format rules of fields that passed them.
  std::vector<core::FieldError> details = core::ValidateRequest(endpoint, parts.body, parts.query);
  auto has_problem = [&](const std::string& name) {
    return std::any_of(details.begin(), details.end(),
                       [&](const core::FieldError& e) { return e.field == name; });
  };
  for (const core::FieldSpec& f : endpoint.fields) {
    if (f.in != core::FieldIn::kBody || f.format.empty() || has_problem(f.name)) continue;
    const core::Json* value = BodyMember(parts.body, f.name);
    if (!value) continue;
    if (auto problem = CheckFormat(f, *value); !problem.empty())
      details.push_back({f.name, problem});
  }
  const core::Json* publish = BodyMember(parts.body, "publishDate");
  const core::Json* until = BodyMember(parts.body, "validUntil");
  if (publish && until && publish->is_string() && until->is_string() &&
      !has_problem("publishDate") && !has_problem("validUntil")) {
    auto from = core::ParseIso8601(publish->get_ref<const std::string&>());
    auto to = core::ParseIso8601(until->get_ref<const std::string&>());
    if (from && to && *to < *from)
      details.push_back({"validUntil", "must not be before publishDate"});
  }
  if (!details.empty()) {
    std::string message = "Invalid input: " + details.front().field + " " + details.front().message;
    if (details.size() > 1) message += " (and " + std::to_string(details.size() - 1) + " more)";
    return ApiError{400, std::string(kValidationError), std::move(message), std::move(details)};
  }

  // 3. Tokens in the body, 4. the image URL.
  for (const core::FieldSpec& f : endpoint.fields) {
    if (f.in != core::FieldIn::kBody) continue;
    const core::Json* value = BodyMember(parts.body, f.name);
    if (!value || !value->is_string()) continue;
    const std::string& text = value->get_ref<const std::string&>();
    if (IsTokenFormat(f.format) && !IsWellFormedToken(text, TokenKindOf(f.format), shapes))
      return InvalidToken(f, text);
  }
  for (const core::FieldSpec& f : endpoint.fields) {
    if (f.in != core::FieldIn::kBody || f.format != "http-url") continue;
    const core::Json* value = BodyMember(parts.body, f.name);
    if (value && value->is_string() && !IsHttpUrl(value->get_ref<const std::string&>()))
      return ApiError{400, std::string(kInvalidImage), f.name + " must be an http(s) URL", {}};
  }
  return std::nullopt;
}

}  // namespace restbox::inventory
