#pragma once
// chikage — data endpoints (API-CONTRACT section 1). The endpoint table.
#include "restbox/core/endpoint.hpp"

namespace restbox::chikage {

inline constexpr std::size_t kMaxBodyBytes = 102400;  // 100 KB per request

// Endpoint ids.
inline constexpr std::string_view kCreate = "create";
inline constexpr std::string_view kGet = "get";
inline constexpr std::string_view kReplace = "replace";
inline constexpr std::string_view kDelete = "delete";

const core::ServiceSpec& Spec();

}  // namespace restbox::chikage
