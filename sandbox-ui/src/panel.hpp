#pragma once
// A console panel: a struct that owns its own UI state and draws itself into the region the
// console gives it (no Begin/End of its own window). Async results reach it through the Model.

#include <string_view>

#include "model.hpp"
#include "test_hook.hpp"

namespace restbox::console {

class Panel {
 public:
  Panel(Model& model, TestHook& hook) : model_(model), hook_(hook) {}
  virtual ~Panel() = default;
  Panel(const Panel&) = delete;
  Panel& operator=(const Panel&) = delete;

  virtual std::string_view Title() const = 0;
  // Draws the panel into the current ImGui window/child at the cursor, filling the space left.
  virtual void Draw() = 0;

 protected:
  Model& model_;
  TestHook& hook_;
};

}  // namespace restbox::console
