#include "restbox/mock/router.hpp"

#include <algorithm>

namespace restbox::mock {

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

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string_view> views;
  SplitPathViews(path, views);
  return {views.begin(), views.end()};
}

namespace {
bool IsPlaceholder(const std::string& s) {
  return s.size() >= 2 && s.front() == '{' && s.back() == '}';
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
  routes_.push_back(std::move(r));
}

RouteMatch Router::Find(core::Method method, std::string_view path) const {
  return FindPath(routes_, method, path);
}

namespace detail {

int MatchSegments(const std::vector<std::string>& segments,
                  const std::vector<std::string_view>& path_segments) {
  if (segments.size() != path_segments.size()) return -1;
  int score = 0;
  for (std::size_t i = 0; i < path_segments.size(); ++i) {
    if (IsPlaceholder(segments[i])) {
      if (path_segments[i].empty()) return -1;
    } else if (segments[i] == path_segments[i]) {
      ++score;
    } else {
      return -1;
    }
  }
  return score;
}

void FillParams(const std::vector<std::string>& segments,
                const std::vector<std::string_view>& path_segments,
                std::map<std::string, std::string>& params) {
  params.clear();
  for (std::size_t i = 0; i < path_segments.size(); ++i) {
    const std::string& t = segments[i];
    if (IsPlaceholder(t)) params[t.substr(1, t.size() - 2)] = core::PercentDecode(path_segments[i]);
  }
}

std::string AllowHeader(const std::vector<core::Method>& declared) {
  std::vector<core::Method> methods;
  auto add = [&methods](core::Method m) {
    if (std::find(methods.begin(), methods.end(), m) == methods.end()) methods.push_back(m);
  };
  for (core::Method m : declared) {
    add(m);
    if (m == core::Method::kGet) add(core::Method::kHead);  // Find answers HEAD with GET
  }
  std::string allow;
  for (core::Method m : methods)
    allow += (allow.empty() ? "" : ", ") + std::string(core::ToString(m));
  return allow;
}

}  // namespace detail

}  // namespace restbox::mock
