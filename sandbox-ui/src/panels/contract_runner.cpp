#include "panels/contract_runner.hpp"

#include "imgui.h"

namespace restbox::console {

void ContractRunnerPanel::Draw() {
  ImGui::TextUnformatted("Contract: not built yet");
}

}  // namespace restbox::console
