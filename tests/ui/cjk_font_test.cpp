// The console's font with CJK glyphs merged in (cjk_font.hpp). The atlas is built on the CPU, so no
// window or GPU is needed. Tests that need Debian's fonts-droid-fallback skip without it.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cjk_font.hpp"
#include "imgui.h"

namespace restbox::console {
namespace {

// The file restbox-console reads by default (sandbox-ui/fonts/cjk_font.cmake, RESTBOX_CJK_FONT).
constexpr const char* kDroidFallback = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";
constexpr float kPixels = 13.0f;
constexpr ImWchar kBang = 0x5E6B;             // 幫 (Traditional, in "找幫手 jobs")
constexpr ImWchar kBangSimple = 0x5E2E;       // 帮 (its Simplified form)
constexpr ImWchar kZhao = 0x627E;             // 找
constexpr ImWchar kIdeographicStop = 0x3002;  // 。

bool HaveDroidFallback() {
  std::FILE* file = std::fopen(kDroidFallback, "rb");
  if (!file) return false;
  std::fclose(file);
  return true;
}

std::vector<unsigned char> ReadAll(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool HasGlyph(const ImFontAtlas& atlas, ImWchar c) {
  return atlas.Fonts[0]->FindGlyphNoFallback(c) != nullptr;
}

float AdvanceOf(const ImFontAtlas& atlas, ImWchar c) {
  const ImFontGlyph* glyph = atlas.Fonts[0]->FindGlyphNoFallback(c);
  return glyph ? glyph->AdvanceX : -1.0f;
}

TEST(CjkFont, SystemFontAddsSimplifiedAndTraditionalAndKeepsProggyCleanForLatin) {
  if (!HaveDroidFallback())
    GTEST_SKIP() << kDroidFallback << " is absent (Debian: fonts-droid-fallback)";
  ImFontAtlas plain;
  const FontAtlasReport plain_report = BuildConsoleFonts(plain, ImFontConfig(), kPixels, {});
  ImFontAtlas atlas;
  const FontAtlasReport report =
      BuildConsoleFonts(atlas, ImFontConfig(), kPixels, {.file = kDroidFallback});

  EXPECT_EQ(report.cjk_source, std::string("file:") + kDroidFallback);
  EXPECT_EQ(report.cjk_error, "");
  for (ImWchar c : {kBang, kBangSimple, kZhao, kIdeographicStop})
    EXPECT_TRUE(HasGlyph(atlas, c)) << c;
  // ImGui's ChineseFull ranges: every CJK Unified Ideograph of the BMP (20,976) and more.
  EXPECT_GT(report.cjk_glyphs, 20'000);
  EXPECT_EQ(report.cjk_glyphs, CountCjkGlyphs(*atlas.Fonts[0]));
  // Latin stays the 7-pixel ProggyClean, with the same line height: the layout does not move.
  EXPECT_EQ(AdvanceOf(atlas, 'A'), AdvanceOf(plain, 'A'));
  EXPECT_EQ(atlas.Fonts[0]->FontSize, plain.Fonts[0]->FontSize);
  EXPECT_EQ(plain_report.cjk_glyphs, 0);
  EXPECT_GT(report.width * report.height, plain_report.width * plain_report.height);
}

TEST(CjkFont, EmbeddedFontRasterisesExactlyItsRanges) {
  if (!HaveDroidFallback())
    GTEST_SKIP() << kDroidFallback << " is absent (Debian: fonts-droid-fallback)";
  const std::vector<unsigned char> bytes = ReadAll(kDroidFallback);
  static const ImWchar kRanges[] = {kBang, kBang, kZhao, kZhao, 0x624B, 0x624B, 0};  // 幫 找 手
  ImFontAtlas atlas;
  const FontAtlasReport report = BuildConsoleFonts(
      atlas, ImFontConfig(), kPixels,
      {.embedded = {
           .data = bytes.data(), .size = bytes.size(), .ranges = kRanges, .characters = 3}});

  EXPECT_EQ(report.cjk_source, "embedded");
  EXPECT_EQ(report.cjk_glyphs, 3);
  EXPECT_TRUE(HasGlyph(atlas, kZhao));
  EXPECT_FALSE(HasGlyph(atlas, kBangSimple));  // not in the ranges: drawn as '?'
}

TEST(CjkFont, MissingFileLeavesProggyCleanAndSaysWhy) {
  const std::string path = testing::TempDir() + "no-such-font.ttf";
  ImFontAtlas atlas;
  const FontAtlasReport report = BuildConsoleFonts(atlas, ImFontConfig(), kPixels, {.file = path});

  EXPECT_EQ(report.cjk_source, "none");
  EXPECT_NE(report.cjk_error.find(path), std::string::npos) << report.cjk_error;
  EXPECT_EQ(report.cjk_glyphs, 0);
  ASSERT_TRUE(atlas.IsBuilt());
  EXPECT_TRUE(HasGlyph(atlas, 'A'));
  EXPECT_FALSE(HasGlyph(atlas, kBang));
}

TEST(CjkFont, FileThatIsNotAFontIsRefusedBeforeRasterising) {
  const std::string path = testing::TempDir() + "not-a-font.ttf";
  {
    std::ofstream out(path, std::ios::binary);
    out << "{\"this\": \"is JSON, not TrueType\"}";
  }
  ImFontAtlas atlas;
  const FontAtlasReport report = BuildConsoleFonts(atlas, ImFontConfig(), kPixels, {.file = path});
  std::remove(path.c_str());

  EXPECT_EQ(report.cjk_source, "none");
  EXPECT_NE(report.cjk_error.find("not a TrueType"), std::string::npos) << report.cjk_error;
  ASSERT_TRUE(atlas.IsBuilt());
  EXPECT_TRUE(HasGlyph(atlas, 'A'));
}

TEST(CjkFont, NoSourceBuildsProggyCleanAloneWithoutAnError) {
  ImFontAtlas atlas;
  const FontAtlasReport report = BuildConsoleFonts(atlas, ImFontConfig(), 26.0f, {});
  EXPECT_EQ(report.cjk_source, "none");
  EXPECT_EQ(report.cjk_error, "");
  EXPECT_EQ(report.cjk_glyphs, 0);
  EXPECT_EQ(atlas.Fonts[0]->FontSize, 26.0f);  // the size asked for, whatever the config said
  EXPECT_GT(report.width, 0);
}

}  // namespace
}  // namespace restbox::console
