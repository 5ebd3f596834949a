#include "restbox/core/masking.hpp"

#include <array>

#include "restbox/core/json_codec.hpp"
#include "restbox/core/url.hpp"

namespace restbox::core {
namespace {

constexpr std::array<std::string_view, 7> kSecretHeaders{
    "authorization", "proxy-authorization", "x-api-key", "x-api-secret", "x-webhook-auth",
    "cookie", "set-cookie"};
constexpr std::array<std::string_view, 11> kSecretFields{
    "api_token", "api_key", "apikey", "api_secret", "apisecret", "secret", "password",
    "access_token", "token_secret", "consumer_key", "x-api-secret"};

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

// Textual fallback for bodies that are not valid JSON: masks "name": "value" and name=value.
std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string MaskTextPairs(std::string body) {
  // Case-insensitive search through a lower-case shadow of the body (same length, same offsets):
  // std::string::find instead of a comparison at every offset, which made every large non-JSON
  // body (mock journal, debug logs) cost milliseconds.
  std::string lower = AsciiLower(body);
  for (std::string_view field : kSecretFields) {  // the names are lower case
    std::size_t pos = 0;
    while (pos < body.size()) {
      std::size_t found = lower.find(field, pos);
      if (found == std::string::npos) break;
      std::size_t i = found + field.size();
      if (i < body.size() && body[i] == '"') ++i;
      while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
      if (i < body.size() && (body[i] == ':' || body[i] == '=')) {
        ++i;
        while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
        bool quoted = i < body.size() && body[i] == '"';
        if (quoted) ++i;
        std::size_t end = i;
        while (end < body.size() &&
               (quoted ? body[end] != '"' : (body[end] != '&' && body[end] != ',' &&
                                             body[end] != '}' && body[end] != ' ' &&
                                             body[end] != '\n'))) {
          ++end;
        }
        std::string masked = MaskSecret(std::string_view(body).substr(i, end - i));
        body.replace(i, end - i, masked);
        lower.replace(i, end - i, AsciiLower(masked));
        pos = i + masked.size();
      } else {
        pos = found + field.size();
      }
    }
  }
  return body;
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
  return false;
}

bool IsSecretField(std::string_view name) {
  for (auto f : kSecretFields) {
    if (EqualsIgnoreCase(f, name)) return true;
  }
  return false;
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
