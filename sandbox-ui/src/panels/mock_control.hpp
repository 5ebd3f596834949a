#pragma once
// Mock control: force a status (next request or a rule), latency, clock, rate-limit windows and quotas, reset, the mock's state browser and the webhook inspector.

#include "panel.hpp"

namespace restbox::console {

class MockControlPanel final : public Panel {
 public:
  using Panel::Panel;
  std::string_view Title() const override { return "Mock"; }
  void Draw() override;
};

}  // namespace restbox::console
