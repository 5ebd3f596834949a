#pragma once
// Finds every piece of text that is cut horizontally in a frame, whichever widget drew it: a label
// past the edge of its panel, a button or combo too narrow for its text, a table column cutting its
// cells. The layout tests (null host and Playwright) fail on what it reports.
//
// How: ImGui draws each glyph as a textured quad. Glyphs have gaps between them (and spaces have no
// quad), so a cut falling between two glyphs would leave no trace. While a TextProbe lives, every
// glyph of every font in the atlas is replaced by a probe glyph that covers its whole advance (no
// gaps, spaces included) and whose texture coordinates encode it: u in [2, 3] (no other primitive
// uses coordinates above 1) and v in [code point + 0.25, code point + 0.75]. Advances, line heights
// and everything else layout reads are untouched, so the frame is laid out exactly as a normal
// one. After the frame, a probe quad is cut when:
// - its u range is narrower than [2, 3]: ImGui cut it on the CPU (RenderTextClipped: buttons,
//   selectables, combo previews, tree nodes, table headers, ellipsis), or
// - it crosses its draw command's clip rectangle: the GPU scissor cuts it (Text in a narrow panel
//   or table column).
// Limits: text cut away entirely leaves no glyph to find (the test hook's widget rectangles cover
// that case for the widgets it knows), and ImGui's own ellipsis ("Lab...", tab bars and table
// headers) places its dots from glyph extents, so in a probed frame the dots move a little.
// Vertical cuts are ignored (a list scrolled half a line is normal), and so is everything in a
// window with a horizontal scrollbar (what is cut there can be scrolled into view).
//
// The frame drawn with the probe must not be shown (its texture coordinates point outside the
// atlas): hosts draw it, scan it and skip rendering it.

#include <string>
#include <vector>

#include "test_hook.hpp"

struct ImFont;
struct ImFontGlyph;

namespace restbox::console {

// A run of text cut in the probed frame.
struct CutText {
  std::string window;  // the ImGui window that drew it ("restbox console/##explorer_1A2B3C4D")
  std::string text;    // the whole run of glyphs that was drawn (UTF-8), up to where it is cut
  float x = 0, y = 0;  // where the run starts
  float cut_at = 0;    // the x where it is cut
  // "##explorer: 'POST /api/v1/data/{slug}' cut at x=290 (run from x=12)"
  std::string ToString() const;
};

class TextProbe final {
 public:
  // Swaps probe glyphs into every font of the current ImGui context's atlas (the atlas must be
  // built). The real glyphs come back when the probe is destroyed.
  TextProbe();
  ~TextProbe();
  TextProbe(const TextProbe&) = delete;
  TextProbe& operator=(const TextProbe&) = delete;

  // Scans the draw data of the frame rendered (ImGui::Render) while this probe lived. Glyphs whose
  // centre lies in one of `allowed` are not reported: text inputs scroll their own text, so a long
  // value is cut by design (TestHook::TextInput records their rectangles).
  std::vector<CutText> Scan(const std::vector<Rect>& allowed) const;

 private:
  struct Saved {
    ImFont* font;
    std::vector<ImFontGlyph> glyphs;
  };
  std::vector<Saved> saved_;
};

}  // namespace restbox::console
