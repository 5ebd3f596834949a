#include "null_host.hpp"

#include <algorithm>
#include <string>

#include "imgui.h"

namespace restbox::console {

NullHost::NullHost(float width, float height) {
  context_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(context_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(width, height);
  unsigned char* pixels = nullptr;
  int w = 0;
  int h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the atlas; nothing uploads it
  io.Fonts->SetTexID(nullptr);
}

NullHost::~NullHost() {
  ImGui::DestroyContext(context_);
}

int NullHost::Frame(Console& console, float delta_seconds) {
  ImGui::SetCurrentContext(context_);
  ImGui::GetIO().DeltaTime = delta_seconds > 0 ? delta_seconds : 1.0f / 60.0f;
  ImGui::NewFrame();
  console.Frame();
  ImGui::Render();
  return ImGui::GetDrawData()->TotalVtxCount;
}

std::vector<CutText> NullHost::ProbeText(Console& console) {
  ImGui::SetCurrentContext(context_);
  std::vector<CutText> cut;
  {
    TextProbe probe;
    Frame(console);
    cut = probe.Scan(console.hook().TextInputRects());
  }
  std::vector<std::string> lines;
  for (const CutText& c : cut) lines.push_back(c.ToString());
  console.hook().SetCutText(std::move(lines));
  return cut;
}

void NullHost::Run(Console& console, int frames) {
  for (int i = 0; i < frames; ++i) Frame(console);
}

void NullHost::MoveMouse(float x, float y) {
  ImGui::SetCurrentContext(context_);
  ImGui::GetIO().MousePos = ImVec2(x, y);
}

bool NullHost::Click(Console& console, std::string_view id) {
  const auto& widgets = console.hook().widgets();
  auto it = widgets.find(id);
  if (it == widgets.end()) return false;
  Rect r = it->second;
  // The centre of the part that can be seen: a row half scrolled out of its list is clicked where
  // it shows, as a user would.
  const auto& places = console.hook().places();
  if (auto p = places.find(id); p != places.end()) {
    const Rect& c = p->second.clip;
    const float x1 = std::max(r.x, c.x), x2 = std::min(r.x + r.w, c.x + c.w);
    const float y1 = std::max(r.y, c.y), y2 = std::min(r.y + r.h, c.y + c.h);
    if (x2 <= x1 || y2 <= y1) return false;
    r = Rect{x1, y1, x2 - x1, y2 - y1};
  }
  MoveMouse(r.x + r.w / 2, r.y + r.h / 2);
  Frame(console);  // hover
  ImGui::GetIO().MouseDown[0] = true;
  Frame(console);
  ImGui::GetIO().MouseDown[0] = false;
  Frame(console);
  return true;
}

void NullHost::Drag(Console& console, float dx, float dy, int steps) {
  ImGui::SetCurrentContext(context_);
  ImGuiIO& io = ImGui::GetIO();
  const ImVec2 start = io.MousePos;
  Frame(console);  // hover
  io.MouseDown[0] = true;
  Frame(console);
  for (int i = 1; i <= steps; ++i) {
    io.MousePos = ImVec2(start.x + dx * static_cast<float>(i) / static_cast<float>(steps),
                         start.y + dy * static_cast<float>(i) / static_cast<float>(steps));
    Frame(console);
  }
  io.MouseDown[0] = false;
  Frame(console);
}

void NullHost::Type(Console& console, std::string_view text) {
  ImGui::SetCurrentContext(context_);
  ImGui::GetIO().AddInputCharactersUTF8(std::string(text).c_str());
  Frame(console);
}

void NullHost::Wheel(Console& console, float lines) {
  ImGui::SetCurrentContext(context_);
  ImGui::GetIO().MouseWheel = lines;
  Frame(console);
}

}  // namespace restbox::console
