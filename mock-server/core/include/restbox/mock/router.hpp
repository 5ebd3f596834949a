#pragma once
// Path-template router. A route is (method, template like "/apiV1/templates/{token}/share").
// Literal segments beat placeholders, so "/templates/shared" wins over "/templates/{token}".

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "restbox/core/endpoint.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/url.hpp"

namespace restbox::mock {

struct MockRequest;
using Handler = std::function<core::HttpResponse(MockRequest&)>;

struct Route {
  std::string service;
  const core::EndpointSpec* endpoint = nullptr;  // null for extra routes without a table entry
  core::Method method = core::Method::kGet;
  std::string path_template;
  std::vector<std::string> segments;  // split template
  Handler handler;
};

struct RouteMatch {
  const Route* route = nullptr;               // the matched route, or null
  std::map<std::string, std::string> params;  // decoded placeholder values
  // When no route matched: routes whose path matched with another method (for 405 + Allow).
  std::vector<const Route*> same_path_other_methods;
};

class Router final {
 public:
  // Registers the endpoint's method and path with `handler`.
  void Add(const std::string& service, const core::EndpointSpec& endpoint, Handler handler);
  // Registers an extra path for an endpoint (aliases such as wncms's POST /api/v1/posts).
  void AddAlias(const std::string& service, const core::EndpointSpec& endpoint,
                std::string path_template, Handler handler);
  // `path` is the raw (percent-encoded) path without query. HEAD matches the GET route of a path
  // (unless a HEAD route is declared): the caller answers it as GET and drops the body.
  RouteMatch Find(core::Method method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  // Indexes into routes_ by number of path segments, in declaration order: Find (every request)
  // looks only at the routes that can match.
  std::vector<std::vector<std::size_t>> by_length_;
};

std::vector<std::string> SplitPath(std::string_view path);

// The Allow header of a 405 for `match` (no route, some with other methods): each method once,
// in declaration order, with HEAD after GET since Find answers HEAD wherever GET is routed.
std::string AllowedMethods(const RouteMatch& match);

}  // namespace restbox::mock
