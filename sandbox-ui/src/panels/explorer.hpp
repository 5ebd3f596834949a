#pragma once
// The five services and all their endpoints (from the endpoint tables), with each endpoint's
// documented statuses as coloured chips (2xx green, 4xx amber, 5xx red; code and trigger in a
// tooltip). Selecting an endpoint loads it into the request editor (Model::Select); clicking a chip
// selects the endpoint with that status forced ("Prefer: code=...", answered by the mock). A filter
// box keeps the endpoints whose service, method, path, id, summary or statuses contain every word.
//
// Test hook: explorer/filter, explorer/<service> (the service's tree node),
// explorer/<service>/<endpoint> (each endpoint), explorer/<service>/<endpoint>/<status> (chips;
// "<status>.<code>" when the service has its own code). State: "explorer/shown" (endpoints shown).

#include <string>

#include "panel.hpp"

namespace restbox::console {

class ExplorerPanel final : public Panel {
 public:
  using Panel::Panel;
  std::string_view Title() const override { return "Explorer"; }
  void Draw() override;

 private:
  std::string filter_;
};

}  // namespace restbox::console
