#pragma once
// What automated tests see of a UI drawn into a canvas: the rectangle of every widget a panel
// names, and a few state values. Panels call Item("<panel>/<widget>") right after drawing a widget;
// the host exposes ToJson() (wasm: the embind function `restboxConsoleState()`; native: the null
// host's API). Rectangles are in ImGui coordinates (the host converts to CSS pixels if needed).
//
// Naming: lower-case ids with "/" separators, e.g. "explorer/chikage/create",
// "editor/field/slug", "editor/send", "response/status", "mock/force/apply",
// "contract/run", "tabs/history".

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "restbox/core/json_codec.hpp"

namespace restbox::console {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
};

// Where a widget was drawn: its rectangle, and the visible part of the region it was drawn in
// (the window's clip rectangle), so a layout test can tell a cut-off label from one that fits.
struct WidgetPlace {
  Rect rect;
  Rect clip;
  // The region scrolls horizontally (a wide table): what is cut can be scrolled into view.
  bool scrolls_x = false;
  // A text input: it scrolls its own text, so a long value is cut by design (TextInput()).
  bool text_input = false;
  Rect input_frame;  // the input's frame (its rectangle without the label)
};

class TestHook final {
 public:
  // Called by the console at the start of each frame: forgets last frame's rectangles.
  void BeginFrame();
  // Records the last drawn ImGui item's rectangle (only when it is visible) under `id`.
  void Item(std::string_view id);
  // Item() for a text input (InputText and friends): the text probe does not report the text
  // inside it as cut, since an input scrolls a long value by design. Its hint is a label, though:
  // while the input is empty and `shows_hint`, a cut hint is reported like any other text.
  // `label`: the input's ImGui label when it shows one beside the frame (not "##..."): the label
  // is text like any other, so only the frame is left out.
  void TextInput(std::string_view id, bool shows_hint = false, const char* label = nullptr);
  // Records an explicit rectangle.
  void SetRect(std::string_view id, Rect rect);
  // A state value for tests ("response/status": 201...). Kept across frames until overwritten.
  void Set(std::string_view key, core::Json value);

  // What the last probed frame found (text_probe.hpp): every run of text cut horizontally, as
  // CutText::ToString(). Kept until the next probe.
  void SetCutText(std::vector<std::string> cut) { cut_text_ = std::move(cut); }
  const std::vector<std::string>& cut_text() const { return cut_text_; }
  // The rectangles of this frame's text inputs.
  std::vector<Rect> TextInputRects() const;

  // {"frame": N, "widgets": {id: [x, y, w, h]}, "state": {...}, "clipped": [Clipped()...],
  //  "cut_text": [cut_text()...]}
  core::Json ToJson() const;
  const std::map<std::string, Rect, std::less<>>& widgets() const { return widgets_; }
  const std::map<std::string, WidgetPlace, std::less<>>& places() const { return places_; }
  // Widgets whose rectangle is cut horizontally by their region (and it does not scroll), with a
  // description of each: "mock/reset: x 610..702 outside 300..690".
  std::vector<std::string> Clipped() const;
  const core::Json& state() const { return state_; }
  long frame() const { return frame_; }

 private:
  long frame_ = 0;
  std::map<std::string, Rect, std::less<>> widgets_;
  std::map<std::string, WidgetPlace, std::less<>> places_;
  core::Json state_ = core::Json::object();
  std::vector<std::string> cut_text_;
};

}  // namespace restbox::console
