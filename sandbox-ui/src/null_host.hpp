#pragma once
// A host with no window and no GPU: it owns an ImGui context, feeds it a fixed display size, time
// and synthetic input, and builds draw lists that nothing renders. Tests and benchmarks use it to
// run the console for N frames, click at a widget of the test hook and type into it.

#include <string_view>
#include <vector>

#include "console.hpp"
#include "text_probe.hpp"

struct ImGuiContext;

namespace restbox::console {

class NullHost final {
 public:
  NullHost(float width = 1280, float height = 800);
  ~NullHost();
  NullHost(const NullHost&) = delete;
  NullHost& operator=(const NullHost&) = delete;

  // One frame of `console` (NewFrame, Console::Frame, Render). Returns the frame's vertex count.
  int Frame(Console& console, float delta_seconds = 1.0f / 60.0f);
  // One frame drawn with the text probe (text_probe.hpp): every run of text cut horizontally in
  // it, also stored in the console's test hook (cut_text).
  std::vector<CutText> ProbeText(Console& console);
  // Runs `frames` frames.
  void Run(Console& console, int frames);
  // Clicks the centre of the visible part of the test hook's widget `id` (press on one frame,
  // release on the next).
  // False when the widget was not drawn on the last frame.
  bool Click(Console& console, std::string_view id);
  // Presses the left button at the mouse position, moves it by (dx, dy) over `steps` frames and
  // releases it (a splitter or scrollbar drag).
  void Drag(Console& console, float dx, float dy, int steps = 4);
  // Types `text` into the focused widget (one frame).
  void Type(Console& console, std::string_view text);
  // Scrolls the mouse wheel at the current mouse position (one frame).
  void Wheel(Console& console, float lines);
  void MoveMouse(float x, float y);

 private:
  ::ImGuiContext* context_ = nullptr;
};

}  // namespace restbox::console
