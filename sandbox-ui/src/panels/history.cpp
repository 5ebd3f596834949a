#include "panels/history.hpp"

#include "imgui.h"

namespace restbox::console {

void HistoryPanel::Draw() {
  ImGui::TextUnformatted("History: not built yet");
}

}  // namespace restbox::console
