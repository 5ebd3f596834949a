#include "cjk_font.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>

namespace restbox::console {
namespace {

// First code point counted as CJK: the CJK radicals block; everything below is Latin, symbols and
// punctuation that ProggyClean may provide.
constexpr unsigned kFirstCjk = 0x2E80;
// Font files bigger than this are refused rather than read (the full Droid Sans Fallback is 4 MB).
constexpr long kMaxFontBytes = 64L * 1024 * 1024;

// stb_truetype trusts its input; at least refuse what is not a TrueType/OpenType file or collection
// (a wrong path given to --cjk-font) before handing it over.
bool LooksLikeFont(const unsigned char* data, std::size_t size) {
  if (size < 12) return false;
  static constexpr unsigned char kTrueType[4] = {0, 1, 0, 0};
  return std::memcmp(data, kTrueType, 4) == 0 || std::memcmp(data, "true", 4) == 0 ||
         std::memcmp(data, "OTTO", 4) == 0 || std::memcmp(data, "ttcf", 4) == 0;
}

struct FontFile {
  void* data = nullptr;  // ImGui::MemAlloc'ed: the atlas takes it over (FontDataOwnedByAtlas)
  int size = 0;
};

// Reads the whole file, or says why not. Checked here rather than by AddFontFromFileTTF, which
// asserts on a missing file.
std::optional<FontFile> ReadFontFile(const std::string& path, std::string& error) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    error = "cannot open " + path;
    return std::nullopt;
  }
  FontFile out;
  long size = -1;
  if (std::fseek(file, 0, SEEK_END) == 0) size = std::ftell(file);
  if (size <= 0 || size > kMaxFontBytes || std::fseek(file, 0, SEEK_SET) != 0) {
    error = path + ": not a readable font file of at most 64 MB";
  } else {
    out.data = ImGui::MemAlloc(static_cast<std::size_t>(size));
    out.size = static_cast<int>(size);
    if (std::fread(out.data, 1, static_cast<std::size_t>(size), file) !=
        static_cast<std::size_t>(size)) {
      error = "cannot read " + path;
    } else if (!LooksLikeFont(static_cast<const unsigned char*>(out.data),
                              static_cast<std::size_t>(size))) {
      error = path + " is not a TrueType/OpenType font";
    }
  }
  std::fclose(file);
  if (!error.empty()) {
    ImGui::MemFree(out.data);
    return std::nullopt;
  }
  return out;
}

// Adds the CJK font in merge mode; returns its source name, or "" with `error` set.
std::string MergeCjk(ImFontAtlas& atlas, float pixels, const CjkFontSource& cjk,
                     std::string& error) {
  ImFontConfig config;
  config.MergeMode = true;
  config.OversampleH = 1;
  config.OversampleV = 1;
  config.PixelSnapH = true;
  config.RasterizerMultiply = 1.4f;
  if (!cjk.file.empty()) {
    auto file = ReadFontFile(cjk.file, error);
    if (!file) return "";
    const ImWchar* ranges = cjk.file_ranges ? cjk.file_ranges : atlas.GetGlyphRangesChineseFull();
    atlas.AddFontFromMemoryTTF(file->data, file->size, pixels, &config, ranges);  // owns file->data
    return "file:" + cjk.file;
  }
  if (cjk.embedded.data == nullptr) return "";
  if (!LooksLikeFont(cjk.embedded.data, cjk.embedded.size) || cjk.embedded.ranges == nullptr) {
    error = "the embedded CJK font is not a TrueType font";
    return "";
  }
  // Static bytes: the atlas must not free them. ImGui's signature takes a non-const pointer but
  // only reads the font.
  config.FontDataOwnedByAtlas = false;
  atlas.AddFontFromMemoryTTF(const_cast<unsigned char*>(cjk.embedded.data),
                             static_cast<int>(cjk.embedded.size), pixels, &config,
                             cjk.embedded.ranges);
  return "embedded";
}

}  // namespace

int CountCjkGlyphs(const ImFont& font) {
  int count = 0;
  for (const ImFontGlyph& glyph : font.Glyphs) {
    if (glyph.Codepoint >= kFirstCjk) ++count;
  }
  return count;
}

FontAtlasReport BuildConsoleFonts(ImFontAtlas& atlas, ImFontConfig config, float pixels,
                                  const CjkFontSource& cjk) {
  FontAtlasReport report;
  config.SizePixels = pixels;
  atlas.Clear();
  atlas.AddFontDefault(&config);
  report.cjk_source = MergeCjk(atlas, pixels, cjk, report.cjk_error);

  const auto started = std::chrono::steady_clock::now();
  bool built = atlas.Build();
  if (!built && !report.cjk_source.empty()) {
    // A font stb_truetype cannot parse: the console without CJK beats no console.
    report.cjk_error = report.cjk_source + " could not be rasterised";
    atlas.Clear();
    atlas.AddFontDefault(&config);
    built = atlas.Build();
  }
  report.build_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (!report.cjk_error.empty() || report.cjk_source.empty()) report.cjk_source = "none";
  if (built && !atlas.Fonts.empty()) report.cjk_glyphs = CountCjkGlyphs(*atlas.Fonts[0]);
  report.width = atlas.TexWidth;
  report.height = atlas.TexHeight;
  return report;
}

}  // namespace restbox::console
