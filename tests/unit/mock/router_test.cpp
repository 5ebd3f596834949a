#include <gtest/gtest.h>

#include "restbox/mock/router.hpp"

namespace restbox::mock {
namespace {

core::EndpointSpec Ep(core::Method m, std::string path) {
  core::EndpointSpec e;
  e.id = path;
  e.method = m;
  e.path = std::move(path);
  return e;
}

TEST(Router, LiteralSegmentsBeatPlaceholders) {
  static auto a = Ep(core::Method::kGet, "/apiV1/templates/{token}");
  static auto b = Ep(core::Method::kGet, "/apiV1/templates/shared");
  Router r;
  r.Add("inv", a, [](MockRequest&) { return core::HttpResponse{}; });
  r.Add("inv", b, [](MockRequest&) { return core::HttpResponse{}; });
  auto m = r.Find(core::Method::kGet, "/apiV1/templates/shared");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->endpoint, &b);
  auto t = r.Find(core::Method::kGet, "/apiV1/templates/tok%20en");
  ASSERT_TRUE(t.route);
  EXPECT_EQ(t.route->endpoint, &a);
  EXPECT_EQ(t.params["token"], "tok en");
}

TEST(Router, OtherMethodOnKnownPathIsReported) {
  static auto a = Ep(core::Method::kPost, "/api/v1/data/{slug}");
  Router r;
  r.Add("c", a, [](MockRequest&) { return core::HttpResponse{}; });
  auto m = r.Find(core::Method::kGet, "/api/v1/data/orders");
  EXPECT_FALSE(m.route);
  ASSERT_EQ(m.same_path_other_methods.size(), 1u);
  auto none = r.Find(core::Method::kGet, "/api/v1/nothing");
  EXPECT_FALSE(none.route);
  EXPECT_TRUE(none.same_path_other_methods.empty());
}

TEST(Router, EmptySegmentsNeverMatchPlaceholders) {
  static auto a = Ep(core::Method::kGet, "/x/{id}");
  Router r;
  r.Add("c", a, [](MockRequest&) { return core::HttpResponse{}; });
  EXPECT_FALSE(r.Find(core::Method::kGet, "/x/").route);
  EXPECT_TRUE(r.Find(core::Method::kGet, "/x/1/").route);  // trailing slash tolerated
}

}  // namespace
}  // namespace restbox::mock
