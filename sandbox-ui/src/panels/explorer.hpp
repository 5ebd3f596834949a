#pragma once
// The five services and all their endpoints (from the endpoint tables), with each endpoint's documented statuses; selecting one loads it into the request editor.

#include "panel.hpp"

namespace restbox::console {

class ExplorerPanel final : public Panel {
 public:
  using Panel::Panel;
  std::string_view Title() const override { return "Explorer"; }
  void Draw() override;
};

}  // namespace restbox::console
