#include <gtest/gtest.h>

#include "restbox/core/url.hpp"

namespace restbox::core {
namespace {

TEST(Url, EncodesPathSegmentsSoTheyCannotChangeThePath) {
  EXPECT_EQ(EncodePathSegment("a b/c?d#e"), "a%20b%2Fc%3Fd%23e");
  EXPECT_EQ(EncodePathSegment(".."), "%2E%2E");
  EXPECT_EQ(EncodePathSegment("rec_abc-1.2~x"), "rec_abc-1.2~x");
  EXPECT_EQ(EncodePathSegment("台北"), "%E5%8F%B0%E5%8C%97");
  EXPECT_EQ(EncodePathSegment("a:b@c"), "a:b@c");
}

TEST(Url, EncodesQueryComponentsStrictly) {
  EXPECT_EQ(EncodeQueryComponent("台北市"), "%E5%8F%B0%E5%8C%97%E5%B8%82");
  EXPECT_EQ(EncodeQueryComponent("a&b=c+d e"), "a%26b%3Dc%2Bd%20e");
}

TEST(Url, DecodeKeepsMalformedEscapes) {
  EXPECT_EQ(PercentDecode("%41%zz%4"), "A%zz%4");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
}

TEST(Url, BuilderFillsTemplatesAndQuery) {
  auto url = UrlBuilder("https://api.example.com/")
                 .Path("/api/v1/data/{slug}/{id}", {{"slug", "my slug"}, {"id", "a/b"}})
                 .Query("city", "台北市")
                 .QueryIf("status", std::nullopt)
                 .Query("page", "2")
                 .Build();
  EXPECT_EQ(url,
            "https://api.example.com/api/v1/data/my%20slug/"
            "a%2Fb?city=%E5%8F%B0%E5%8C%97%E5%B8%82&page=2");
}

TEST(Url, BuilderLeavesMissingPlaceholders) {
  EXPECT_EQ(UrlBuilder("http://h").Path("/x/{missing}").Build(), "http://h/x/{missing}");
}

TEST(Url, ParsesAbsoluteAndRelative) {
  auto p = ParseUrl("http://127.0.0.1:8080/apiV1/items?page=1#frag");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->scheme, "http");
  EXPECT_EQ(p->host, "127.0.0.1");
  EXPECT_EQ(p->port, 8080);
  EXPECT_EQ(p->path, "/apiV1/items");
  EXPECT_EQ(p->query, "page=1");
  auto r = ParseUrl("/a/b");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->path, "/a/b");
  auto v6 = ParseUrl("http://[::1]:9/x");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 9);
  EXPECT_EQ(ParseUrl("https://example.com")->path, "/");
}

TEST(Url, RejectsGarbage) {
  EXPECT_FALSE(ParseUrl(""));
  EXPECT_FALSE(ParseUrl("no-slash"));
  EXPECT_FALSE(ParseUrl("http://:80/"));
  EXPECT_FALSE(ParseUrl("http://h:99999/"));
  EXPECT_FALSE(ParseUrl("http://h:8x/"));
  EXPECT_FALSE(ParseUrl("ht tp://h/"));
}

// Found by tests/fuzz/url_fuzz (corpus/url_fuzz/regression-*): "://h" parsed as an absolute URL
// with an empty scheme, and an origin-relative URL with "://" in its query was refused.
TEST(Url, EmptySchemeIsRefused) {
  EXPECT_FALSE(ParseUrl("://h/p"));
  EXPECT_FALSE(ParseUrl("://HTo/h:/h:T:P35"));
  EXPECT_FALSE(ParseUrl("1http://h/"));
  auto digits = ParseUrl("web+s3.x-1://h/");
  ASSERT_TRUE(digits);
  EXPECT_EQ(digits->scheme, "web+s3.x-1");
}

TEST(Url, SchemeSeparatorInsideARelativeUrlIsData) {
  auto r = ParseUrl("/r?to=http://x/y#http://z");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->scheme, "");
  EXPECT_EQ(r->host, "");
  EXPECT_EQ(r->path, "/r");
  EXPECT_EQ(r->query, "to=http://x/y");
  auto p = ParseUrl("/a/http://b");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->path, "/a/http://b");
}

TEST(Url, ParsesQueryInOrder) {
  auto q = ParseQuery("a=1&b=x%20y&c&&d=%E5%8F%B0+z");
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[0], (std::pair<std::string, std::string>{"a", "1"}));
  EXPECT_EQ(q[1].second, "x y");
  EXPECT_EQ(q[2], (std::pair<std::string, std::string>{"c", ""}));
  EXPECT_EQ(q[3].second, "台 z");
}

}  // namespace
}  // namespace restbox::core
