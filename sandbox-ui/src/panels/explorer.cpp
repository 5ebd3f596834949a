#include "panels/explorer.hpp"

#include "imgui.h"

namespace restbox::console {

void ExplorerPanel::Draw() {
  ImGui::TextUnformatted("Explorer: not built yet");
}

}  // namespace restbox::console
