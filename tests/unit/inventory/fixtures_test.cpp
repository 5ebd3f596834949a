// The seeded demo data is documented (README fragment, tests/fixtures/inventory/fixtures.json):
// the mock must serve exactly those values after every reset, whatever happened before.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "inventory/harness.hpp"
#include "restbox/mock/inventory/inventory_module.hpp"

namespace restbox::inventory {
namespace {

// The golden file; the wasm build has no file system, so there the test is skipped.
std::optional<std::string> ReadGolden() {
  std::FILE* f = std::fopen(RESTBOX_FIXTURES_DIR "/inventory/fixtures.json", "rb");
  if (!f) return std::nullopt;
  std::string text;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) text.append(buffer, n);
  std::fclose(f);
  return text;
}

TEST(InventoryFixtures, MatchTheDocumentedValues) {
  auto golden = ReadGolden();
  if (!golden) GTEST_SKIP() << "no file system (wasm)";
  auto expected = core::ParseJson(*golden);
  ASSERT_TRUE(expected.ok()) << expected.error().message;
  testing::Harness h;
  EXPECT_EQ(h.server->Fixtures()["inventory"], *expected);
}

TEST(InventoryFixtures, RolesAreWellFormedAndResetRestoresThem) {
  testing::Harness h;
  const core::Json before = h.fix;
  for (const char* role : {"api_key", "second_user_key", "expired_key", "api_disabled_key",
                           "read_only_key", "recipient_key", "quota_exhausted_key"}) {
    EXPECT_TRUE(IsWellFormedApiKey(h.Fix(role))) << role;
  }
  EXPECT_TRUE(IsEmail(h.Fix("recipient_email")));
  EXPECT_TRUE(IsWellFormedToken(h.Fix("template_token"), TokenKind::kTemplate));
  EXPECT_TRUE(IsWellFormedToken(h.Fix("share_token"), TokenKind::kShare));
  EXPECT_TRUE(IsWellFormedToken(h.Fix("item_token"), TokenKind::kItem));
  ASSERT_TRUE(mock::inventory::RegenerateKey(*h.server, "api_key"));
  EXPECT_NE(h.server->Fixtures()["inventory"], before);
  h.server->Reset();
  EXPECT_EQ(h.server->Fixtures()["inventory"], before);
  EXPECT_EQ(testing::Ready(h.Main().GetUserStats()).ok(), true);
}

}  // namespace
}  // namespace restbox::inventory
