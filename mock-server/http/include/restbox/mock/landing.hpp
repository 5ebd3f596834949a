#pragma once
// What restbox-mock tells someone who has just started it: one working request per API (printed
// in the start banner as paste-ready curl commands) and the JSON answered at GET / when no
// console is served (no --static), so that opening the printed URL in a browser is never a bare
// 404.

#include <string>
#include <vector>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/json_codec.hpp"
#include "restbox/mock/mock_server.hpp"

namespace restbox::mock {

// The literal path segments every endpoint of a service starts with ("/api/v1/data"; "/" when
// they share none).
std::string ServiceBasePath(const core::ServiceSpec& spec);

struct ExampleCall {
  std::string service;  // "chikage"
  std::string curl;     // a shell command line: "curl -s -H 'Authorization: Bearer …' http://…"
  std::string answer;   // the success it answers, in words: "200 {\"success\":true,…}"
};

// One real request per API of `server` (in ServiceIds() order) that answers that API's success on
// a freshly started mock: a read with the demo credentials of the service's fixtures, against
// `base_url` ("http://127.0.0.1:8080"). A service without the fixtures it needs is left out.
std::vector<ExampleCall> ExampleCalls(MockServer& server, const std::string& base_url);

// The answer of GET / without --static: every service with its base path, OpenAPI document and
// example request; where the fixtures, health and admin API are; how to get the console.
core::Json LandingDocument(MockServer& server, const std::string& base_url);

}  // namespace restbox::mock
