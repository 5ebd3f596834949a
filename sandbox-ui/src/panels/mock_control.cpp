#include "panels/mock_control.hpp"

#include "imgui.h"

namespace restbox::console {

void MockControlPanel::Draw() {
  ImGui::TextUnformatted("Mock: not built yet");
}

}  // namespace restbox::console
