#pragma once
// market — the API marketplace convention (API-CONTRACT section 4, seed 003). The endpoint table.
//
// The platform has ONE consumer route per registered endpoint, so the table holds one generic
// consumer endpoint in two variants, with the registered endpoint named by path parameters:
//   "call"     POST /market/{project}/{slug}  params as a JSON object body (any endpoint)
//   "call_get" GET  /market/{project}/{slug}  params as query parameters (endpoints without a
//                                             Json Schema; one with a Json Schema answers 1001)
// The platform always answers HTTP 200; the outcome is the body's `code` (0 success, 1000-1005
// errors), so every error row is StatusSpec{200, "100x", trigger}.
#include <string_view>

#include "restbox/core/endpoint.hpp"

namespace restbox::market {

// Endpoint ids.
inline constexpr std::string_view kCall = "call";
inline constexpr std::string_view kCallGet = "call_get";

// The consumer route's prefix; the mock owns every path below it.
inline constexpr std::string_view kRoutePrefix = "/market/";

const core::ServiceSpec& Spec();

}  // namespace restbox::market
