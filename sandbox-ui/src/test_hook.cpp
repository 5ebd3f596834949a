#include "test_hook.hpp"

#include <algorithm>
#include <cstdio>

#include "imgui.h"

namespace restbox::console {

void TestHook::BeginFrame() {
  ++frame_;
  widgets_.clear();
  places_.clear();
}

void TestHook::TextInput(std::string_view id, bool shows_hint, const char* label) {
  Item(id);
  if (shows_hint) return;
  auto it = places_.find(id);
  if (it == places_.end()) return;
  it->second.text_input = true;
  const float label_width = label ? ImGui::CalcTextSize(label, nullptr, true).x : 0.0f;
  if (label_width > 0) {
    it->second.input_frame.w =
        std::max(0.0f, it->second.rect.w - label_width - ImGui::GetStyle().ItemInnerSpacing.x);
  }
}

std::vector<Rect> TestHook::TextInputRects() const {
  std::vector<Rect> out;
  for (const auto& [id, p] : places_) {
    if (p.text_input) out.push_back(p.input_frame);
  }
  return out;
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
                  ImGui::GetScrollMaxX() > 0.0f, false, rect});
}

std::vector<std::string> TestHook::Clipped() const {
  std::vector<std::string> out;
  // Rounding of borders, plus the half item spacing by which ImGui widens selectables on each side
  // to fill the gaps between rows (the highlight runs into the padding; no content is cut). The
  // text probe checks the text itself.
  const float kSlack =
      1.0f + (ImGui::GetCurrentContext() ? ImGui::GetStyle().ItemSpacing.x * 0.5f : 4.0f);
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
          {"clipped", Clipped()},
          {"cut_text", cut_text_}};
}

}  // namespace restbox::console
