// CancellationSource (context.hpp): callbacks run once on Cancel, unregistered ones never.
#include <gtest/gtest.h>

#include "restbox/core/context.hpp"

namespace restbox::core {
namespace {

TEST(CancellationSource, UnregisteredCallbacksDoNotRun) {
  CancellationSource source;
  int a = 0, b = 0;
  auto id = source.OnCancel([&] { ++a; });
  source.OnCancel([&] { ++b; });
  source.Unregister(id);
  source.Cancel();
  EXPECT_EQ(a, 0);
  EXPECT_EQ(b, 1);
}

}  // namespace
}  // namespace restbox::core
