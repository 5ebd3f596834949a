#pragma once
// CJK text in the console. ImGui's built-in font (ProggyClean) has Latin-1 only, and the five APIs
// answer in Chinese ("找幫手 jobs", job titles, cities), so the hosts merge a CJK font into it:
// natively the system's Droid Sans Fallback (Debian: fonts-droid-fallback) with every CJK
// ideograph, in the browser a build-time subset of it compiled into the wasm
// (sandbox-ui/fonts/make_cjk_font.py). Without either the console still works, drawing '?'.
//
// The atlas is built on the CPU (no GPU needed), so the null-host tests can check it too.

#include <cstddef>
#include <string>

#include "imgui.h"

namespace restbox::console {

// TrueType bytes compiled into the program with the glyph ranges they cover.
struct EmbeddedFont {
  const unsigned char* data = nullptr;  // static storage; never freed
  std::size_t size = 0;
  const ImWchar* ranges = nullptr;  // zero-terminated [first, last] pairs: exactly the font's cmap
  int characters = 0;               // code points in `ranges`
};

// Defined by the build-time generated source (browser build with pyftsubset and the font present,
// see sandbox-ui/hosts/CMakeLists.txt); declared for every build, linked only there.
EmbeddedFont EmbeddedCjkFont();

// Where the CJK glyphs come from. At most one of `file` and `embedded.data` is used: the file when
// it is set, else the embedded bytes; neither = ProggyClean alone.
struct CjkFontSource {
  std::string file;  // a .ttf/.otf path, read at each atlas build (absent or unreadable: skipped)
  EmbeddedFont embedded;
  // The characters to rasterise from `file`; nullptr = ImGui's GetGlyphRangesChineseFull()
  // (Latin-1, punctuation, kana and all 20,976 CJK Unified Ideographs: Simplified and Traditional).
  // The embedded font always uses its own ranges.
  const ImWchar* file_ranges = nullptr;
};

// What BuildConsoleFonts made, for the hosts' test state.
struct FontAtlasReport {
  std::string cjk_source;  // "file:<path>", "embedded", or "none"
  std::string cjk_error;   // why the CJK font was skipped ("" when merged or not configured)
  int cjk_glyphs = 0;      // glyphs at or above U+2E80 in the console's font
  int width = 0;           // atlas texture size in pixels
  int height = 0;
  double build_ms = 0;  // time of ImFontAtlas::Build (rasterising every glyph)
};

// Clears `atlas` and builds the console's one font: ProggyClean at `pixels` (config.SizePixels is
// set from it), with the CJK glyphs of `cjk` merged in at the same size. Glyphs are rasterised
// without oversampling and snapped to pixels (CJK at 13 px: 3x horizontal oversampling would
// triple a texture that is already the biggest). If the CJK font cannot be built the atlas is
// rebuilt without it. On return the atlas is built (GetTexData* do not rebuild it).
FontAtlasReport BuildConsoleFonts(ImFontAtlas& atlas, ImFontConfig config, float pixels,
                                  const CjkFontSource& cjk);

// Glyphs at or above U+2E80 (CJK radicals onwards) in a built font.
int CountCjkGlyphs(const ImFont& font);

}  // namespace restbox::console
