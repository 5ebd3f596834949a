#include <gtest/gtest.h>

#include "restbox/core/http.hpp"

namespace restbox::core {
namespace {

TEST(Headers, LookupIgnoresCase) {
  Headers h{{"Content-Type", "application/json"}};
  EXPECT_EQ(h.Get("content-type"), "application/json");
  EXPECT_TRUE(h.Has("CONTENT-TYPE"));
  EXPECT_FALSE(h.Get("Accept"));
  EXPECT_EQ(h.GetOr("Accept", "*/*"), "*/*");
}

TEST(Headers, SetReplacesAllAddKeeps) {
  Headers h;
  h.Add("X-A", "1");
  h.Add("x-a", "2");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.Get("X-A"), "1");
  h.Set("X-a", "3");
  EXPECT_EQ(h.size(), 1u);
  EXPECT_EQ(h.fields()[0].first, "X-a");
  h.Remove("x-A");
  EXPECT_TRUE(h.empty());
}

TEST(Method, RoundTrips) {
  for (auto m : {Method::kGet, Method::kPost, Method::kPut, Method::kDelete, Method::kPatch,
                 Method::kHead, Method::kOptions}) {
    EXPECT_EQ(ParseMethod(ToString(m)), m);
  }
  EXPECT_FALSE(ParseMethod("get"));
  EXPECT_FALSE(ParseMethod("BREW"));
}

}  // namespace
}  // namespace restbox::core
