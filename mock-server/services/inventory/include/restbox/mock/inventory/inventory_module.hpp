#pragma once
// The mocked Inventory API (API-CONTRACT section 3) and its in-process key management.
//
// Key slots are named after their fixture roles ("api_key", "second_user_key", "read_only_key"...).
// The same operations are settings, so they work over HTTP too
// (POST /__restbox/settings/inventory):
//   {"key.api_key.action": "regenerate"}  new key; the old one answers API_KEY_EXPIRED
//   {"key.api_key.action": "delete"}      no key; every value it had answers INVALID_API_KEY
//   {"key.api_key.expires_at": "2026-01-02T00:00:00Z"} (or null), {"key.api_key.write_scope":
//   false}
// and the current key is readable as setting "key.<slot>.value" (and in the fixtures).
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "restbox/mock/mock_server.hpp"
#include "restbox/mock/service_module.hpp"

namespace restbox::mock::inventory {

std::unique_ptr<ServiceModule> MakeModule();

// Issues a new key for `slot` (revoking the current one). Returns the new key, or nullopt when the
// server has no inventory service or no such slot.
std::optional<std::string> RegenerateKey(MockServer& server, std::string_view slot);
// Deletes the key of `slot`: API access is off for it until a regeneration. False when unknown.
bool DeleteKey(MockServer& server, std::string_view slot);

}  // namespace restbox::mock::inventory
