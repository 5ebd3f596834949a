#pragma once
// The credentials among the mock's fixtures (GET /__restbox/fixtures, MockServer::Fixtures()):
// every string member named like a key, a secret or an API token, of every service. What a
// cassette, a log or an export must never hold. (inventory's template, share and item tokens are
// resource ids that belong in URL paths, so "_token" alone does not count.) Header-only: the wasm
// test build has no tests/support library.

#include <string>
#include <vector>

#include "restbox/core/json_codec.hpp"

namespace restbox::testing {

inline std::vector<std::string> FixtureCredentials(const core::Json& fixtures) {
  std::vector<std::string> out;
  for (const auto& [service, roles] : fixtures.items()) {
    if (!roles.is_object()) continue;
    for (const auto& [name, value] : roles.items()) {
      const bool credential =
          name.ends_with("key") || name.ends_with("secret") || name.ends_with("api_token");
      if (credential && value.is_string() && value.get<std::string>().size() >= 8)
        out.push_back(value.get<std::string>());
    }
  }
  return out;
}

}  // namespace restbox::testing
