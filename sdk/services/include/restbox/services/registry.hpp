#pragma once
// Every endpoint table of this build, in a stable order (for the console, the OpenAPI export and
// the contract sweep).
#include <span>
#include <string_view>

#include "restbox/core/endpoint.hpp"

namespace restbox::services {
std::span<const core::ServiceSpec* const> AllSpecs();
const core::ServiceSpec* FindSpec(std::string_view id);
}  // namespace restbox::services
