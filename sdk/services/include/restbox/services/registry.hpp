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

// A service's one response interpreter (its table's core::ServiceSpec::interpret): any response
// of one of the service's endpoints as the response's data in JSON, or the service's typed Error
// (the mapping every client of the service applies through core::ServiceClient::Call).
using Interpreter = core::ResponseInterpreter;

struct ServiceEntry {
  const core::ServiceSpec* spec;
  Interpreter interpret;  // spec->interpret
};

std::span<const ServiceEntry> AllServices();
std::span<const core::ServiceSpec* const> AllSpecs();
const core::ServiceSpec* FindSpec(std::string_view id);
const ServiceEntry* FindService(std::string_view id);

}  // namespace restbox::services
