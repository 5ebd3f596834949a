#include "test_hook.hpp"

#include <cstdio>

#include "imgui.h"

namespace restbox::console {

void TestHook::BeginFrame() {
  ++frame_;
  widgets_.clear();
  places_.clear();
}

void TestHook::Item(std::string_view id) {
  if (!ImGui::IsItemVisible()) return;
  ImVec2 min = ImGui::GetItemRectMin();
  ImVec2 max = ImGui::GetItemRectMax();
  const Rect rect{min.x, min.y, max.x - min.x, max.y - min.y};
  SetRect(id, rect);
  const ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 clip_min = draw->GetClipRectMin();
  const ImVec2 clip_max = draw->GetClipRectMax();
  places_.insert_or_assign(
      std::string(id),
      WidgetPlace{rect,
                  Rect{clip_min.x, clip_min.y, clip_max.x - clip_min.x, clip_max.y - clip_min.y},
                  ImGui::GetScrollMaxX() > 0.0f});
}

std::vector<std::string> TestHook::Clipped() const {
  std::vector<std::string> out;
  constexpr float kSlack = 1.0f;  // rounding of borders
  for (const auto& [id, p] : places_) {
    if (p.scrolls_x) continue;
    const float left = p.rect.x, right = p.rect.x + p.rect.w;
    const float clip_left = p.clip.x, clip_right = p.clip.x + p.clip.w;
    if (left < clip_left - kSlack || right > clip_right + kSlack) {
      char line[256];
      std::snprintf(line, sizeof line, ": x %.0f..%.0f outside %.0f..%.0f", left, right, clip_left,
                    clip_right);
      out.push_back(id + line);
    }
  }
  return out;
}

void TestHook::SetRect(std::string_view id, Rect rect) {
  widgets_.insert_or_assign(std::string(id), rect);
}

void TestHook::Set(std::string_view key, core::Json value) {
  state_[std::string(key)] = std::move(value);
}

core::Json TestHook::ToJson() const {
  core::Json widgets = core::Json::object();
  for (const auto& [id, r] : widgets_) widgets[id] = {r.x, r.y, r.w, r.h};
  return {{"frame", frame_},
          {"widgets", std::move(widgets)},
          {"state", state_},
          {"clipped", Clipped()}};
}

}  // namespace restbox::console
