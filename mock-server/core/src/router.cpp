#include "restbox/mock/router.hpp"

#include <algorithm>

namespace restbox::mock {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

namespace {
bool IsPlaceholder(const std::string& s) {
  return s.size() >= 2 && s.front() == '{' && s.back() == '}';
}

// SplitPath without copies: views into `path` (Find runs on every request, against every route).
void SplitPathViews(std::string_view path, std::vector<std::string_view>& out) {
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
}
}  // namespace

void Router::Add(const std::string& service, const core::EndpointSpec& endpoint, Handler handler) {
  AddAlias(service, endpoint, endpoint.path, std::move(handler));
}

void Router::AddAlias(const std::string& service, const core::EndpointSpec& endpoint,
                      std::string path_template, Handler handler) {
  Route r;
  r.service = service;
  r.endpoint = &endpoint;
  r.method = endpoint.method;
  r.segments = SplitPath(path_template);
  r.path_template = std::move(path_template);
  r.handler = std::move(handler);
  if (by_length_.size() <= r.segments.size()) by_length_.resize(r.segments.size() + 1);
  by_length_[r.segments.size()].push_back(routes_.size());
  routes_.push_back(std::move(r));
}

RouteMatch Router::Find(core::Method method, std::string_view path) const {
  RouteMatch best;
  int best_score = -1;
  std::vector<std::string_view> segments;
  segments.reserve(8);
  SplitPathViews(path, segments);
  if (segments.size() >= by_length_.size()) return best;
  for (std::size_t index : by_length_[segments.size()]) {
    const Route& r = routes_[index];
    int score = 0;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      if (IsPlaceholder(r.segments[i])) {
        if (segments[i].empty()) ok = false;
      } else if (r.segments[i] == segments[i]) {
        ++score;
      } else {
        ok = false;
      }
    }
    if (!ok) continue;
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
    best.params.clear();
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const std::string& t = best.route->segments[i];
      if (IsPlaceholder(t))
        best.params[t.substr(1, t.size() - 2)] = core::PercentDecode(segments[i]);
    }
    // A more specific route with another method does not make this a 405.
    best.same_path_other_methods.clear();
  }
  return best;
}

std::string AllowedMethods(const RouteMatch& match) {
  std::vector<core::Method> methods;
  auto add = [&methods](core::Method m) {
    if (std::find(methods.begin(), methods.end(), m) == methods.end()) methods.push_back(m);
  };
  for (const Route* r : match.same_path_other_methods) {
    add(r->method);
    if (r->method == core::Method::kGet) add(core::Method::kHead);  // Find answers HEAD with GET
  }
  std::string allow;
  for (core::Method m : methods)
    allow += (allow.empty() ? "" : ", ") + std::string(core::ToString(m));
  return allow;
}

}  // namespace restbox::mock
