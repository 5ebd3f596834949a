#pragma once
// The checks of one exchange against the endpoint tables (issue 12): status, Content-Type,
// documented headers, the body against the schema of that (endpoint, status, code), the service's
// own code as its client reads it. restbox-check runs them on the answers of its rows;
// restbox-mock --proxy on every exchange it forwards (CheckExchange). Depends on the endpoint
// tables and the services' interpreters only (restbox::check_answer: no mock, no transport).

#include <string>
#include <vector>

#include "restbox/core/http.hpp"
#include "restbox/core/schema.hpp"

namespace restbox::check {

// A difference between an exchange and the contract, `{path, expected, actual}`:
// core::ToString gives "$.id: expected string, got number".
using Problem = core::SchemaProblem;
using core::ToString;

// The checks of one answer against (endpoint, status, code) of a service's table: status,
// Content-Type, documented headers (a Retry-After, when a 429 has one, must read as a wait), the
// body's schema, the service's own code, and on a success the documented values (pagination that
// adds up, list defaults, what a write repeats; read from `request`, the request answered, when
// given). `notes` receives the choices made where the documents are silent.
std::vector<Problem> CheckAnswer(const std::string& service, const std::string& endpoint,
                                 int status, const std::string& code, bool success,
                                 const core::HttpResponse& response,
                                 std::vector<std::string>& notes,
                                 const core::HttpRequest* request = nullptr);

// market: a provider backend's answer against the provider convention.
std::vector<Problem> CheckProviderAnswer(const core::HttpResponse& response,
                                         const std::string& expected_code,
                                         std::vector<std::string>& notes);

struct ExchangeCheck {
  std::vector<Problem> problems;
  std::vector<std::string> notes;  // choices made where the documents are silent
};

// One exchange seen on the wire (restbox-mock --proxy), checked without knowing which row of the
// table it was meant to reach. `service` / `endpoint` are the endpoint table's ids the request's
// method and path route to ("" when none).
//   - The request: a route of the table (else one problem on "request", and nothing more is
//     checked), then its body and query against the endpoint's fields (core::ValidateRequest:
//     required members, types, limits, enums), each problem on "request <field>".
//   - The answer, against the row its status and the service's own code pick: a success when the
//     service's client reads it as one; else the error row with that status and code, or with
//     that status; else, for a 2xx the client does not read as a success, the success row (the
//     body is what is wrong); else one problem on "status" (expected: the documented statuses).
//     Then CheckAnswer of that row.
ExchangeCheck CheckExchange(const std::string& service, const std::string& endpoint,
                            const core::HttpRequest& request, const core::HttpResponse& response);

}  // namespace restbox::check
