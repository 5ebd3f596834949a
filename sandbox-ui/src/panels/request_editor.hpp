#pragma once
// The request editor: a form generated from the endpoint's fields (types, required marks, limits, enums, defaults, seed example fill), a raw JSON view kept in sync, live client-side validation next to each field, the per-request target and Send.

#include "panel.hpp"

namespace restbox::console {

class RequestEditorPanel final : public Panel {
 public:
  using Panel::Panel;
  std::string_view Title() const override { return "Request"; }
  void Draw() override;
};

}  // namespace restbox::console
