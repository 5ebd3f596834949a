// CallOnce (transport.hpp): a completion that a misbehaving transport calls twice runs once.
#include <gtest/gtest.h>

#include "restbox/core/transport.hpp"

namespace restbox::core {
namespace {

HttpResponse Response(int status) {
  HttpResponse r;
  r.status = status;
  return r;
}

TEST(CallOnce, OnlyTheFirstCallHasEffect) {
  int calls = 0;
  int status = 0;
  auto once = CallOnce([&](Result<HttpResponse> r) {
    ++calls;
    status = r.ok() ? r->status : -1;
  });
  once(Response(200));
  once(Response(500));
  once(MakeError(ErrorKind::kTimeout, "late"));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(status, 200);
}

}  // namespace
}  // namespace restbox::core
