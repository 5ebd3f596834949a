#pragma once
// Checks of documented values in a success answer (values.cpp), used by CheckAnswer.

#include <string>
#include <vector>

#include "restbox/check/answer.hpp"

namespace restbox::check {

// Adds a problem for each value of `body` (the answer to `request`, which may be null) that
// breaks a rule the documents state: pagination that does not add up, a list default not
// applied, a write that does not repeat or transform what was sent as documented.
void CheckDocumentedValues(const std::string& service, const std::string& endpoint,
                           const core::HttpRequest* request, const core::Json& body,
                           std::vector<Problem>& out);

}  // namespace restbox::check
