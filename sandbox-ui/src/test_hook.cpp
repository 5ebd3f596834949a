#include "test_hook.hpp"

#include "imgui.h"

namespace restbox::console {

void TestHook::BeginFrame() {
  ++frame_;
  widgets_.clear();
}

void TestHook::Item(std::string_view id) {
  if (!ImGui::IsItemVisible()) return;
  ImVec2 min = ImGui::GetItemRectMin();
  ImVec2 max = ImGui::GetItemRectMax();
  SetRect(id, Rect{min.x, min.y, max.x - min.x, max.y - min.y});
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
  return {{"frame", frame_}, {"widgets", std::move(widgets)}, {"state", state_}};
}

}  // namespace restbox::console
