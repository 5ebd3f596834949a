#pragma once
// The contract runner: the sweep of every (endpoint, documented status) against the chosen target, a progress bar, the green/red matrix and a click-through to each exchange.

#include "panel.hpp"

namespace restbox::console {

class ContractRunnerPanel final : public Panel {
 public:
  using Panel::Panel;
  std::string_view Title() const override { return "Contract"; }
  void Draw() override;
};

}  // namespace restbox::console
