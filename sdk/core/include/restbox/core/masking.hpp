#pragma once
// Secret masking (DESIGN rule 6). Every log line, history entry, snippet export and error message
// goes through these unless the user explicitly asks to reveal secrets.

#include <string>
#include <string_view>

#include "restbox/core/http.hpp"

namespace restbox::core {

// Keeps a recognisable prefix ("tm_test_", "inv_", "Bearer ") and the last 4 characters of long
// secrets: "tm_test_abcdef0123456789" -> "tm_test_****6789". Short secrets become "****".
std::string MaskSecret(std::string_view secret);

// True for headers that carry credentials: Authorization, Proxy-Authorization, X-API-Key,
// X-API-Secret, X-Webhook-Auth, Cookie, Set-Cookie (case-insensitive).
bool IsSecretHeader(std::string_view name);
// True for JSON member / query names that carry credentials: api_token, api_key, apiKey,
// api_secret, apiSecret, secret, password, access_token, token_secret (case-insensitive).
bool IsSecretField(std::string_view name);

std::string MaskHeaderValue(std::string_view name, std::string_view value);
Headers MaskHeaders(const Headers& headers);
// Masks secret members anywhere in a JSON body (any non-null value under a secret name, whatever
// its type); a body that is not JSON (or nested deeper than kMaxJsonDepth) is scanned textually
// for `"api_token": "..."`-style pairs and `api_token=...` form pairs.
std::string MaskBody(std::string_view body);
// Masks secret query parameters in a URL.
std::string MaskUrl(std::string_view url);
// Replaces every occurrence of each given secret in free text (error messages).
std::string RedactKnownSecrets(std::string text, const std::vector<std::string>& secrets);

}  // namespace restbox::core
