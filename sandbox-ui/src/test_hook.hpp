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
};

class TestHook final {
 public:
  // Called by the console at the start of each frame: forgets last frame's rectangles.
  void BeginFrame();
  // Records the last drawn ImGui item's rectangle (only when it is visible) under `id`.
  void Item(std::string_view id);
  // Records an explicit rectangle.
  void SetRect(std::string_view id, Rect rect);
  // A state value for tests ("response/status": 201...). Kept across frames until overwritten.
  void Set(std::string_view key, core::Json value);

  // {"frame": N, "widgets": {id: [x, y, w, h]}, "state": {...}, "clipped": [Clipped()...]}
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
};

}  // namespace restbox::console
