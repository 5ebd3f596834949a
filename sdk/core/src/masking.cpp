#include "restbox/core/masking.hpp"

#include <algorithm>
#include <array>

#include "restbox/core/json_codec.hpp"
#include "restbox/core/url.hpp"

namespace restbox::core {
namespace {

// Credential headers whose names carry none of the words of IsSecretName.
constexpr std::array<std::string_view, 3> kSecretHeaders{"x-webhook-auth", "cookie", "set-cookie"};
// The words that make a name secret wherever they appear in it (case-insensitive).
constexpr std::array<std::string_view, 5> kSecretWords{"token", "secret", "password", "key",
                                                       "authorization"};

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A name that contains one of kSecretWords: "token", "client_secret", "refresh_token",
// "accessToken", "X-API-Key", "Proxy-Authorization". In a name about keywords, "key" does not
// count (inventory's "keywords" and "keywordKeys" are search terms, not credentials).
bool IsSecretName(std::string_view name) {
  const std::string lower = AsciiLower(name);
  const bool keywords = lower.find("keyword") != std::string::npos;
  return std::any_of(kSecretWords.begin(), kSecretWords.end(), [&](std::string_view word) {
    return !(keywords && word == "key") && lower.find(word) != std::string::npos;
  });
}

void MaskJsonInPlace(Json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (IsSecretField(it.key()) && it->is_string()) {
        *it = MaskSecret(it->get_ref<const std::string&>());
      } else if (IsSecretField(it.key()) && !it->is_null()) {
        // A numeric PIN or an object-valued credential is as secret as a string one.
        *it = MaskSecret(DumpJson(*it));
      } else {
        MaskJsonInPlace(*it);
      }
    }
  } else if (j.is_array()) {
    for (auto& e : j) MaskJsonInPlace(e);
  }
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

// In text that is not JSON (form bodies, query strings, truncated JSON), a pair's name is secret
// when it ends with one of kSecretWords: "api_token=", "\"client_secret\": ", "X-API-KEY=". Only
// the end counts here, since the name's start is a guess in free text ("my_api_token_label=" is
// not masked).
bool IsSecretTextName(std::string_view name) {
  const std::string lower = AsciiLower(name);
  return std::any_of(kSecretWords.begin(), kSecretWords.end(),
                     [&](std::string_view w) { return lower.ends_with(w); });
}

// Textual fallback for bodies that are not valid JSON: masks "name": "value" and name=value.
// One pass: at every ':' or '=', the name just before it decides.
std::string MaskTextPairs(std::string body) {
  std::string out;
  out.reserve(body.size());
  std::size_t copied = 0;  // body[0, copied) is in `out`
  for (std::size_t sep = 0; sep < body.size(); ++sep) {
    if (body[sep] != ':' && body[sep] != '=') continue;
    std::size_t end = sep;
    while (end > copied && (body[end - 1] == ' ' || body[end - 1] == '\t')) --end;
    if (end > copied && body[end - 1] == '"') --end;
    std::size_t start = end;
    while (start > copied && IsNameChar(body[start - 1])) --start;
    if (start == end || !IsSecretTextName(std::string_view(body).substr(start, end - start)))
      continue;
    std::size_t i = sep + 1;
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
    const bool quoted = i < body.size() && body[i] == '"';
    if (quoted) ++i;
    std::size_t value_end = i;
    while (value_end < body.size() &&
           (quoted ? body[value_end] != '"'
                   : (body[value_end] != '&' && body[value_end] != ',' && body[value_end] != '}' &&
                      body[value_end] != ' ' && body[value_end] != '\n'))) {
      ++value_end;
    }
    out.append(body, copied, i - copied);
    out += MaskSecret(std::string_view(body).substr(i, value_end - i));
    copied = value_end;
    sep = value_end == 0 ? 0 : value_end - 1;
  }
  out.append(body, copied, std::string::npos);
  return out;
}

}  // namespace

std::string MaskSecret(std::string_view secret) {
  std::string_view prefix;
  if (secret.starts_with("Bearer ") || secret.starts_with("bearer ")) {
    return std::string(secret.substr(0, 7)) + MaskSecret(secret.substr(7));
  }
  for (std::string_view p : {"tm_test_", "tm_live_", "inv_"}) {
    if (secret.starts_with(p)) prefix = p;
  }
  std::string_view rest = secret.substr(prefix.size());
  if (rest.size() >= 12) {
    return std::string(prefix) + "****" + std::string(rest.substr(rest.size() - 4));
  }
  return std::string(prefix) + "****";
}

bool IsSecretHeader(std::string_view name) {
  for (auto h : kSecretHeaders) {
    if (EqualsIgnoreCase(h, name)) return true;
  }
  return IsSecretName(name);
}

bool IsSecretField(std::string_view name) {
  return IsSecretName(name);
}

std::string MaskHeaderValue(std::string_view name, std::string_view value) {
  return IsSecretHeader(name) ? MaskSecret(value) : std::string(value);
}

Headers MaskHeaders(const Headers& headers) {
  Headers out;
  for (const auto& [n, v] : headers) out.Add(n, MaskHeaderValue(n, v));
  return out;
}

std::string MaskBody(std::string_view body) {
  if (body.empty()) return {};
  auto first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (body[first] == '{' || body[first] == '[')) {
    // Through ParseJson: its depth limit keeps the recursive masking and dump below safe depths.
    if (auto parsed = ParseJson(body); parsed.ok()) {
      MaskJsonInPlace(parsed.value());
      return DumpJson(parsed.value());
    }
  }
  return MaskTextPairs(std::string(body));
}

std::string MaskUrl(std::string_view url) {
  auto q = url.find('?');
  if (q == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, q + 1)) + MaskTextPairs(std::string(url.substr(q + 1)));
}

std::string RedactKnownSecrets(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    if (s.size() < 4) continue;
    std::string masked = MaskSecret(s);
    std::size_t pos = 0;
    while ((pos = text.find(s, pos)) != std::string::npos) {
      text.replace(pos, s.size(), masked);
      pos += masked.size();
    }
  }
  return text;
}

}  // namespace restbox::core
