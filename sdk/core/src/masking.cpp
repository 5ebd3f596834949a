#include "restbox/core/masking.hpp"

#include <array>

#include "restbox/core/json.hpp"
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
      } else {
        MaskJsonInPlace(*it);
      }
    }
  } else if (j.is_array()) {
    for (auto& e : j) MaskJsonInPlace(e);
  }
}

// Textual fallback for bodies that are not valid JSON: masks "name": "value" and name=value.
std::string MaskTextPairs(std::string body) {
  for (std::string_view field : kSecretFields) {
    std::size_t pos = 0;
    while (pos < body.size()) {
      // Case-insensitive search for the field name.
      std::size_t found = std::string::npos;
      for (std::size_t i = pos; i + field.size() <= body.size(); ++i) {
        if (EqualsIgnoreCase(std::string_view(body).substr(i, field.size()), field)) {
          found = i;
          break;
        }
      }
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
    Json j = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) {
      MaskJsonInPlace(j);
      return DumpJson(j);
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
