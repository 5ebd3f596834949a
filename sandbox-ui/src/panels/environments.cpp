#include "panels/environments.hpp"

#include "imgui.h"

namespace restbox::console {

void EnvironmentsPanel::Draw() {
  ImGui::TextUnformatted("Environments: not built yet");
}

}  // namespace restbox::console
