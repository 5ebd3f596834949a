#include "panels/request_editor.hpp"

#include "imgui.h"

namespace restbox::console {

void RequestEditorPanel::Draw() {
  ImGui::TextUnformatted("Request: not built yet");
}

}  // namespace restbox::console
