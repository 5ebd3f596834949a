#include "text_probe.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "imgui.h"
#include "imgui_internal.h"

namespace restbox::console {

namespace {

constexpr float kProbeU0 = 2.0f;
constexpr float kProbeU1 = 3.0f;
// Rounding: ImGui snaps text to whole pixels; a glyph crossing its clip rectangle by less than
// this is a border pixel, not a cut letter.
constexpr float kSlack = 0.5f;

bool IsProbe(const ImDrawVert& v) {
  return v.uv.x >= kProbeU0 - 0.01f;
}

unsigned CodePoint(const ImDrawVert& v) {
  return static_cast<unsigned>(std::floor(v.uv.y));
}

void AppendUtf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

struct Glyph {
  float x1, x2, y;
  unsigned cp;
  bool cut;
  float cut_at;
};

// A glyph of one of `rects`: it overlaps the rectangle sideways (a glyph cut at the input's edge
// sticks out of it) and its middle is within its height.
bool Inside(const std::vector<Rect>& rects, float x1, float x2, float y) {
  return std::any_of(rects.begin(), rects.end(), [&](const Rect& r) {
    return x1 < r.x + r.w && x2 > r.x && y >= r.y && y <= r.y + r.h;
  });
}

// The last part of an ImGui window name ("restbox console/##explorer_1A2B" -> "##explorer_1A2B").
std::string ShortName(const char* name) {
  std::string s = name ? name : "?";
  const auto slash = s.rfind('/');
  return slash == std::string::npos ? s : s.substr(slash + 1);
}

}  // namespace

std::string CutText::ToString() const {
  char where[96];
  std::snprintf(where, sizeof where, "' cut at x=%.0f (run from x=%.0f, y=%.0f)", cut_at, x, y);
  return window + ": '" + text + where;
}

TextProbe::TextProbe() {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  for (ImFont* font : atlas->Fonts) {
    Saved saved{font, std::vector<ImFontGlyph>(font->Glyphs.begin(), font->Glyphs.end())};
    for (ImFontGlyph& g : font->Glyphs) {
      const float cp = static_cast<float>(g.Codepoint);
      g.Visible = 1;
      g.X0 = 0.0f;
      g.X1 = g.AdvanceX;
      g.Y0 = 0.0f;
      g.Y1 = font->FontSize;
      g.U0 = kProbeU0;
      g.U1 = kProbeU1;
      g.V0 = cp + 0.25f;
      g.V1 = cp + 0.75f;
    }
    saved_.push_back(std::move(saved));
  }
}

TextProbe::~TextProbe() {
  // Glyphs are restored in place: FindGlyph's lookup table and FallbackGlyph point into them.
  for (Saved& s : saved_) std::copy(s.glyphs.begin(), s.glyphs.end(), s.font->Glyphs.begin());
}

std::vector<CutText> TextProbe::Scan(const std::vector<Rect>& allowed) const {
  std::vector<CutText> out;
  const ImDrawData* data = ImGui::GetDrawData();
  if (!data) return out;
  for (int l = 0; l < data->CmdListsCount; ++l) {
    const ImDrawList* list = data->CmdLists[l];
    const ImGuiWindow* window =
        list->_OwnerName ? ImGui::FindWindowByName(list->_OwnerName) : nullptr;
    if (window && window->ScrollbarX) continue;  // what is cut can be scrolled into view
    std::vector<Glyph> glyphs;
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) continue;
      const unsigned end = cmd.IdxOffset + cmd.ElemCount;
      for (unsigned k = cmd.IdxOffset; k < end;) {
        const auto idx = [&](unsigned i) {
          return list->IdxBuffer[static_cast<int>(k + i)] + cmd.VtxOffset;
        };
        const unsigned v = idx(0);
        // A glyph quad (ImDrawList::PrimRectUV): indices v, v+1, v+2, v, v+2, v+3.
        if (k + 6 > end || !IsProbe(list->VtxBuffer[static_cast<int>(v)]) || idx(1) != v + 1 ||
            idx(2) != v + 2 || idx(5) != v + 3) {
          ++k;
          continue;
        }
        const ImDrawVert& a = list->VtxBuffer[static_cast<int>(v)];      // top left
        const ImDrawVert& c = list->VtxBuffer[static_cast<int>(v + 2)];  // bottom right
        Glyph g{a.pos.x, c.pos.x, a.pos.y, CodePoint(a), false, 0};
        // Cut on the CPU: the quad was shortened and its texture range with it.
        if (a.uv.x > kProbeU0 + 0.001f) g.cut = true, g.cut_at = a.pos.x;
        if (c.uv.x < kProbeU1 - 0.001f) g.cut = true, g.cut_at = c.pos.x;
        // Cut by the scissor.
        if (g.x1 < cmd.ClipRect.x - kSlack) g.cut = true, g.cut_at = cmd.ClipRect.x;
        if (g.x2 > cmd.ClipRect.z + kSlack) g.cut = true, g.cut_at = cmd.ClipRect.z;
        if (g.cut && Inside(allowed, g.x1, g.x2, (a.pos.y + c.pos.y) / 2)) g.cut = false;
        glyphs.push_back(g);
        k += 6;
      }
    }
    // Runs of glyphs on one line that touch each other: the text a widget drew.
    std::sort(glyphs.begin(), glyphs.end(), [](const Glyph& p, const Glyph& q) {
      return std::lround(p.y) != std::lround(q.y) ? p.y < q.y : p.x1 < q.x1;
    });
    for (std::size_t i = 0; i < glyphs.size();) {
      std::size_t j = i + 1;
      while (j < glyphs.size() && std::fabs(glyphs[j].y - glyphs[j - 1].y) < kSlack &&
             std::fabs(glyphs[j].x1 - glyphs[j - 1].x2) < kSlack) {
        ++j;
      }
      const auto cut =
          std::find_if(glyphs.begin() + static_cast<long>(i), glyphs.begin() + static_cast<long>(j),
                       [](const Glyph& g) { return g.cut; });
      if (cut != glyphs.begin() + static_cast<long>(j)) {
        CutText t;
        t.window = ShortName(list->_OwnerName);
        for (std::size_t n = i; n < j; ++n) AppendUtf8(t.text, glyphs[n].cp);
        t.x = glyphs[i].x1;
        t.y = glyphs[i].y;
        t.cut_at = cut->cut_at;
        out.push_back(std::move(t));
      }
      i = j;
    }
  }
  return out;
}

}  // namespace restbox::console
