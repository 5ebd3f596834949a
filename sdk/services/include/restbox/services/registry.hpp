#pragma once
// Every endpoint table of this build, in a stable order (for the console, the OpenAPI export and
// the contract sweep).
#include <span>
#include <string_view>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/result.hpp"

namespace restbox::services {

// Turns any response of one of the service's endpoints into the response's data as JSON, or the
// service's typed Error (the same mapping its typed client applies). Each service defines
// `restbox::<id>::InterpretResponse` with this signature.
using Interpreter = core::Result<core::Json> (*)(const core::EndpointSpec&,
                                                 const core::HttpResponse&);

struct ServiceEntry {
  const core::ServiceSpec* spec;
  Interpreter interpret;
};

std::span<const ServiceEntry> AllServices();
std::span<const core::ServiceSpec* const> AllSpecs();
const core::ServiceSpec* FindSpec(std::string_view id);
const ServiceEntry* FindService(std::string_view id);

}  // namespace restbox::services
