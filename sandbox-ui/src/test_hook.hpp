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

#include "restbox/core/json_codec.hpp"

namespace restbox::console {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
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

  // {"frame": N, "widgets": {id: [x, y, w, h]}, "state": {...}}
  core::Json ToJson() const;
  const std::map<std::string, Rect, std::less<>>& widgets() const { return widgets_; }
  const core::Json& state() const { return state_; }
  long frame() const { return frame_; }

 private:
  long frame_ = 0;
  std::map<std::string, Rect, std::less<>> widgets_;
  core::Json state_ = core::Json::object();
};

}  // namespace restbox::console
