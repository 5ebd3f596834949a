#pragma once
// One validator for both sides: the SDK runs it before sending (client-side validation), the mock
// runs it when answering. Driven by the endpoint table's FieldSpecs.

#include <string>
#include <vector>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/error.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/core/url.hpp"

namespace restbox::core {

// Checks one value against a field: type, length (code points / items), range, enum.
// Returns the problem ("must be at most 32 characters") or "" when valid.
std::string CheckField(const FieldSpec& field, const Json& value);

// Checks `body` (an object; non-objects give one error on "body") and `query` against every body
// and query field of `endpoint`: required fields present, then CheckField on each present one.
// Members the table does not know are accepted. One FieldError per broken field, in table order.
std::vector<FieldError> ValidateRequest(const EndpointSpec& endpoint, const Json* body,
                                        const QueryParams& query);

}  // namespace restbox::core
