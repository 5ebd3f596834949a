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

// True for headers that carry credentials: any name that contains "token", "secret",
// "password", "key" (except in names about keywords) or "authorization" (Authorization,
// Proxy-Authorization, X-API-Key, X-API-Secret, X-Auth-Token...), and X-Webhook-Auth, Cookie,
// Set-Cookie; case-insensitive.
bool IsSecretHeader(std::string_view name);
// True for JSON member names that carry credentials: any name that contains "token", "secret",
// "password", "key" (except in names about keywords) or "authorization", case-insensitive:
// api_token, token, refresh_token, accessToken, client_secret, apiKey, password...
bool IsSecretField(std::string_view name);

std::string MaskHeaderValue(std::string_view name, std::string_view value);
Headers MaskHeaders(const Headers& headers);
// Masks secret members anywhere in a JSON body (any non-null value under a name IsSecretField
// accepts, whatever its type); a body that is not JSON (or nested deeper than kMaxJsonDepth) is
// scanned textually for `"name": "..."`-style pairs and `name=...` form pairs whose name ends
// with one of the secret words (`api_token=`, `"client_secret":`).
std::string MaskBody(std::string_view body);
// Masks secret query parameters in a URL (names as in MaskBody's textual scan).
std::string MaskUrl(std::string_view url);
// Replaces every occurrence of each given secret in free text (error messages).
std::string RedactKnownSecrets(std::string text, const std::vector<std::string>& secrets);

}  // namespace restbox::core
