#pragma once
// Every endpoint of every endpoint table, as the parameter list of the walks that must not
// hand-pick a sample (tests/ui first Send, tests/surfaces every export). Header-only: the wasm
// test build has no tests/support library.

#include <cctype>
#include <ostream>
#include <string>
#include <vector>

#include "restbox/services/registry.hpp"

namespace restbox::testing {

struct EndpointCase {
  std::string service;
  std::string endpoint;
  // A test-name-safe "service_endpoint" ("wncms_posts_index").
  std::string Name() const {
    std::string name = service + "_" + endpoint;
    for (char& ch : name) {
      if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    }
    return name;
  }
};

inline void PrintTo(const EndpointCase& c, std::ostream* os) {
  *os << c.service << "/" << c.endpoint;
}

// In table order: services as services::AllServices() lists them, endpoints as their table does.
inline std::vector<EndpointCase> AllEndpoints() {
  std::vector<EndpointCase> out;
  for (const auto& entry : services::AllServices()) {
    for (const auto& endpoint : entry.spec->endpoints) out.push_back({entry.spec->id, endpoint.id});
  }
  return out;
}

}  // namespace restbox::testing
