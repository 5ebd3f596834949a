#pragma once
// Environments and secrets: base URL, keys and secrets per service and environment, masked unless revealed; persisted (browser local storage / native file) only on opt-in.

#include "panel.hpp"

namespace restbox::console {

class EnvironmentsPanel final : public Panel {
 public:
  using Panel::Panel;
  std::string_view Title() const override { return "Environments"; }
  void Draw() override;
};

}  // namespace restbox::console
