#pragma once
// Path-template router. A route is (method, template like "/apiV1/templates/{token}/share").
// Literal segments beat placeholders, so "/templates/shared" wins over "/templates/{token}".

#include <functional>
#include <map>
#include <string>
#include <string_view>
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

// What FindPath found among entries of type Entry (a Route, or the admin API's own entries).
template <class Entry>
struct PathMatch {
  const Entry* route = nullptr;               // the matched entry, or null
  std::map<std::string, std::string> params;  // decoded placeholder values
  // When no route matched: entries whose path matched with another method (for 405 + Allow).
  std::vector<const Entry*> same_path_other_methods;
};
using RouteMatch = PathMatch<Route>;

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
};

std::vector<std::string> SplitPath(std::string_view path);
// SplitPath without copies: views into `path` appended to `out` (FindPath runs on every request).
void SplitPathViews(std::string_view path, std::vector<std::string_view>& out);

namespace detail {
// The rules of FindPath for one entry: -1 when (its template `segments`) does not match `path`,
// else how many literal segments matched; `params` gets the decoded placeholder values.
int MatchSegments(const std::vector<std::string>& segments,
                  const std::vector<std::string_view>& path_segments);
void FillParams(const std::vector<std::string>& segments,
                const std::vector<std::string_view>& path_segments,
                std::map<std::string, std::string>& params);
std::string AllowHeader(const std::vector<core::Method>& methods);
}  // namespace detail

// The entry of `entries` for (method, raw path): literal segments beat placeholders, HEAD matches
// a GET entry unless one is declared for HEAD. Entry has `core::Method method` and
// `std::vector<std::string> segments` (SplitPath of its path template). Router::Find is this on
// its routes; the admin API uses it on its own table.
template <class Entry>
PathMatch<Entry> FindPath(const std::vector<Entry>& entries, core::Method method,
                          std::string_view path) {
  PathMatch<Entry> best;
  int best_score = -1;
  std::vector<std::string_view> segments;
  segments.reserve(8);
  SplitPathViews(path, segments);
  for (const Entry& r : entries) {
    const int score = detail::MatchSegments(r.segments, segments);
    if (score < 0) continue;
    // HEAD is GET without the body (RFC 9110 9.3.2): every GET route answers it too, so no
    // service or admin route has to be declared twice.
    const bool same_method = r.method == method;
    const bool head_of_get = method == core::Method::kHead && r.method == core::Method::kGet;
    if (!same_method && !head_of_get) {
      best.same_path_other_methods.push_back(&r);
      continue;
    }
    // A route declared for the method itself beats a GET route standing in for HEAD.
    const int rank = score * 2 + (same_method ? 1 : 0);
    if (rank > best_score) {
      best_score = rank;
      best.route = &r;
    }
  }
  if (best.route) {
    detail::FillParams(best.route->segments, segments, best.params);
    // A more specific route with another method does not make this a 405.
    best.same_path_other_methods.clear();
  }
  return best;
}

// The Allow header of a 405 for `match` (no route, some with other methods): each method once,
// in declaration order, with HEAD after GET since Find answers HEAD wherever GET is routed.
template <class Entry>
std::string AllowedMethods(const PathMatch<Entry>& match) {
  std::vector<core::Method> methods;
  for (const Entry* r : match.same_path_other_methods) methods.push_back(r->method);
  return detail::AllowHeader(methods);
}

}  // namespace restbox::mock
