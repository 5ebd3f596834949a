#include "panels/response_viewer.hpp"

#include "imgui.h"

namespace restbox::console {

void ResponseViewerPanel::Draw() {
  ImGui::TextUnformatted("Response: not built yet");
}

}  // namespace restbox::console
