// router_fuzz: the mock's path-template router (mock-server/core router.cpp) with the real route
// table: every route every mocked service registers (endpoint tables plus aliases), collected by
// calling each module's Register on a router of our own.
// Input: byte 0 picks the mode, byte 1 a method or a route, the rest is a path or values.
//   raw:        Find(method, arbitrary path). A match has the method (or GET for HEAD), the
//               path's segment count, equal literal segments, one decoded value per placeholder;
//               no match with routes of other methods gives an Allow list without the method.
//   structured: a route's template with its placeholders filled by arbitrary non-empty values
//               (encoded as the SDK encodes them). Find must route it: to that route with the
//               values decoded back, or to a route with more literal segments ("shared" beats
//               {token}); a route with as many literal segments would be an ambiguity in the
//               endpoint tables.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "restbox/core/rate_limiter.hpp"
#include "restbox/core/url.hpp"
#include "restbox/mock/all.hpp"
#include "restbox/mock/router.hpp"
#include "restbox/mock/service_module.hpp"

namespace core = restbox::core;
namespace mock = restbox::mock;

namespace {

constexpr core::Method kMethods[] = {
    core::Method::kGet,   core::Method::kPost, core::Method::kPut,    core::Method::kDelete,
    core::Method::kPatch, core::Method::kHead, core::Method::kOptions};

// Register() only captures the context in handlers, which the router harness never calls.
class NoContext final : public mock::MockContext {
 public:
  core::TimePoint Now() const override { return {}; }
  core::RateLimiter& limiter() override { return limiter_; }
  bool limits_enabled() const override { return false; }
  std::mt19937_64& rng() override { return rng_; }
  void SendWebhook(mock::WebhookRequest, std::function<void(int)>) override {}
  std::optional<std::string> WebhookRefusal(const std::string&) override { return std::nullopt; }

 private:
  core::RateLimiter limiter_;
  std::mt19937_64 rng_;
};

struct Table {
  std::shared_ptr<mock::MockServer> server = mock::MakeMockServer();
  NoContext context;
  mock::Router router;
  Table() {
    for (const std::string& id : server->ServiceIds())
      server->FindService(id)->Register(router, context);
  }
};

const Table& GetTable() {
  static const Table* table = new Table();  // never destroyed: handlers outlive every input
  return *table;
}

bool IsPlaceholder(std::string_view s) {
  return s.size() >= 2 && s.front() == '{' && s.back() == '}';
}

int Literals(const mock::Route& route) {
  int n = 0;
  for (const auto& s : route.segments) n += IsPlaceholder(s) ? 0 : 1;
  return n;
}

void CheckMatch(core::Method method, std::string_view path, const mock::RouteMatch& match) {
  auto segments = mock::SplitPath(path);
  if (match.route) {
    const mock::Route& r = *match.route;
    FUZZ_CHECK(r.method == method ||
               (method == core::Method::kHead && r.method == core::Method::kGet));
    FUZZ_CHECK(r.segments.size() == segments.size());
    std::size_t placeholders = 0;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (IsPlaceholder(r.segments[i])) {
        ++placeholders;
        auto it = match.params.find(r.segments[i].substr(1, r.segments[i].size() - 2));
        FUZZ_CHECK(it != match.params.end());
        FUZZ_CHECK(it->second == core::PercentDecode(segments[i]));
        FUZZ_CHECK(!segments[i].empty());
      } else {
        FUZZ_CHECK(r.segments[i] == segments[i]);
      }
    }
    FUZZ_CHECK(match.params.size() == placeholders);
    FUZZ_CHECK(match.same_path_other_methods.empty());
  } else if (!match.same_path_other_methods.empty()) {
    std::string allow = mock::AllowedMethods(match);
    FUZZ_CHECK(!allow.empty());
    for (std::string_view m : {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"}) {
      if (m != core::ToString(method)) continue;
      // The method asked for is never among the allowed ones (it would have matched).
      std::size_t pos = 0;
      while ((pos = allow.find(m, pos)) != std::string::npos) {
        bool start = pos == 0 || allow[pos - 1] == ' ';
        bool end = pos + m.size() == allow.size() || allow[pos + m.size()] == ',';
        FUZZ_CHECK(!(start && end));
        pos += m.size();
      }
    }
  }
}

void Raw(std::uint8_t selector, std::string_view path) {
  const auto& table = GetTable();
  core::Method method = kMethods[selector % std::size(kMethods)];
  auto match = table.router.Find(method, path);
  CheckMatch(method, path, match);
}

void Structured(std::uint8_t selector, std::string_view values) {
  const auto& table = GetTable();
  const auto& routes = table.router.routes();
  const mock::Route& want = routes[selector % routes.size()];
  std::string path;
  std::vector<std::pair<std::string, std::string>> filled;
  for (const std::string& segment : want.segments) {
    path.push_back('/');
    if (!IsPlaceholder(segment)) {
      path += segment;
      continue;
    }
    std::size_t nul = values.find('\0');
    std::string value(values.substr(0, nul));
    values = nul == std::string_view::npos ? std::string_view{} : values.substr(nul + 1);
    if (value.empty()) value = "x";  // an empty segment is no segment
    filled.emplace_back(segment.substr(1, segment.size() - 2), value);
    path += core::EncodePathSegment(value);
  }
  auto match = table.router.Find(want.method, path);
  CheckMatch(want.method, path, match);
  FUZZ_CHECK(match.route != nullptr);
  if (match.route == &want || match.route->path_template == want.path_template) {
    for (const auto& [name, value] : filled) FUZZ_CHECK(match.params.at(name) == value);
  } else {
    FUZZ_CHECK(Literals(*match.route) > Literals(want));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  if (data[0] % 2 == 0)
    Raw(data[1], rest);
  else
    Structured(data[1], rest);
  return 0;
}
