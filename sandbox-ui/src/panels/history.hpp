#pragma once
// History (masked), re-send, and export of a request as cURL, C++ SDK code and JavaScript SDK code; export of the history as HAR.

#include "panel.hpp"

namespace restbox::console {

class HistoryPanel final : public Panel {
 public:
  using Panel::Panel;
  std::string_view Title() const override { return "History"; }
  void Draw() override;
};

}  // namespace restbox::console
