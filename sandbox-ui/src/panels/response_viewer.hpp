#pragma once
// The response viewer: status, headers, timing, the attempt timeline, the typed SDK error, a collapsible JSON tree and a virtualised raw view that stays responsive with 10 MB bodies.

#include "panel.hpp"

namespace restbox::console {

class ResponseViewerPanel final : public Panel {
 public:
  using Panel::Panel;
  std::string_view Title() const override { return "Response"; }
  void Draw() override;
};

}  // namespace restbox::console
