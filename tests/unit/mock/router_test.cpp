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

TEST(Router, HeadIsAnsweredByTheGetRouteUnlessOneIsDeclared) {
  static auto get = Ep(core::Method::kGet, "/items/{id}");
  static auto post = Ep(core::Method::kPost, "/items/{id}");
  static auto head = Ep(core::Method::kHead, "/items/special");
  static auto get_special = Ep(core::Method::kGet, "/items/special");
  Router r;
  for (auto* e : {&get, &post, &get_special, &head})
    r.Add("c", *e, [](MockRequest&) { return core::HttpResponse{}; });
  auto m = r.Find(core::Method::kHead, "/items/7");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->endpoint, &get);
  EXPECT_EQ(m.params["id"], "7");
  auto declared = r.Find(core::Method::kHead, "/items/special");
  ASSERT_TRUE(declared.route);
  EXPECT_EQ(declared.route->endpoint, &head);
}

TEST(Router, AllowedMethodsAddHeadAfterGet) {
  static auto get = Ep(core::Method::kGet, "/x/{id}");
  static auto put = Ep(core::Method::kPut, "/x/{id}");
  static auto del = Ep(core::Method::kDelete, "/x/{id}");
  static auto post = Ep(core::Method::kPost, "/y");
  Router r;
  for (auto* e : {&get, &put, &del, &post})
    r.Add("c", *e, [](MockRequest&) { return core::HttpResponse{}; });
  auto patch = r.Find(core::Method::kPatch, "/x/1");
  EXPECT_FALSE(patch.route);
  EXPECT_EQ(AllowedMethods(patch), "GET, HEAD, PUT, DELETE");
  auto head = r.Find(core::Method::kHead, "/y");
  EXPECT_FALSE(head.route);
  EXPECT_EQ(AllowedMethods(head), "POST");
}

}  // namespace
}  // namespace restbox::mock

namespace restbox::mock {
namespace {

// The admin API's own table: any entry with a method and split segments, no EndpointSpec.
struct TableEntry {
  core::Method method;
  std::vector<std::string> segments;
  int value;
};

TEST(FindPath, MatchesATableOfItsOwnEntriesByTheRouterRules) {
  const std::vector<TableEntry> table = {
      {core::Method::kGet, SplitPath("/__restbox/snapshots"), 1},
      {core::Method::kPost, SplitPath("/__restbox/snapshots/{name}/restore"), 2},
      {core::Method::kDelete, SplitPath("/__restbox/snapshots/{name}"), 3},
      {core::Method::kGet, SplitPath("/__restbox/snapshots/latest"), 4}};
  auto head = FindPath(table, core::Method::kHead, "/__restbox/snapshots");
  ASSERT_TRUE(head.route);
  EXPECT_EQ(head.route->value, 1);  // HEAD by GET
  auto restore = FindPath(table, core::Method::kPost, "/__restbox/snapshots/a%20b/restore");
  ASSERT_TRUE(restore.route);
  EXPECT_EQ(restore.route->value, 2);
  EXPECT_EQ(restore.params.at("name"), "a b");
  auto other = FindPath(table, core::Method::kPut, "/__restbox/snapshots/x");
  EXPECT_FALSE(other.route);
  EXPECT_EQ(AllowedMethods(other), "DELETE");
  auto literal = FindPath(table, core::Method::kGet, "/__restbox/snapshots/latest");
  ASSERT_TRUE(literal.route);
  EXPECT_EQ(literal.route->value, 4);  // the literal segment beats {name}
  EXPECT_TRUE(literal.params.empty());
}

}  // namespace
}  // namespace restbox::mock
