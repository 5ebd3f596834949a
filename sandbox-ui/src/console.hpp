#pragma once
// The console: the Model, the panels and the layout of one frame. Hosts (GLFW+OpenGL natively and
// in the browser, the null host in tests) own the ImGui context and call Frame() between
// ImGui::NewFrame() and ImGui::Render().

#include <memory>
#include <vector>

#include "model.hpp"
#include "panel.hpp"
#include "test_hook.hpp"

namespace restbox::console {

class ExplorerPanel;
class RequestEditorPanel;
class EnvironmentsPanel;
class ResponseViewerPanel;
class HistoryPanel;
class MockControlPanel;
class ContractRunnerPanel;

class Console final {
 public:
  explicit Console(Model::Options options = {});
  ~Console();

  // Drains the model's queue of async results, then draws every visible panel into the main
  // viewport. Call once per frame inside an ImGui frame.
  void Frame();

  // The right-hand tabs; tests and the test hook can switch them.
  enum class Tab { kHistory, kEnvironments, kMock, kContract };
  void ShowTab(Tab tab) { requested_tab_ = tab; }

  Model& model() { return *model_; }
  const std::shared_ptr<Model>& shared_model() const { return model_; }
  TestHook& hook() { return hook_; }
  // Every panel, in layout order (the null-host test draws each of them).
  const std::vector<Panel*>& panels() const { return panels_; }
  // The test hook's JSON plus a summary of the model: selection, last exchange (status, ok,
  // attempts), pending calls, history size.
  core::Json TestState() const;

 private:
  std::shared_ptr<Model> model_;
  TestHook hook_;
  std::unique_ptr<ExplorerPanel> explorer_;
  std::unique_ptr<RequestEditorPanel> editor_;
  std::unique_ptr<EnvironmentsPanel> environments_;
  std::unique_ptr<ResponseViewerPanel> response_;
  std::unique_ptr<HistoryPanel> history_;
  std::unique_ptr<MockControlPanel> mock_;
  std::unique_ptr<ContractRunnerPanel> contract_;
  std::vector<Panel*> panels_;
  std::optional<Tab> requested_tab_;
  // The layout (see Frame): column widths as fractions of the window's usable width, the editor's
  // share of the middle column's height; the splitters change them.
  static constexpr float kMinColumn = 220.0f;
  static constexpr float kMinRow = 120.0f;
  float left_fraction_ = 0.21f;
  float right_fraction_ = 0.36f;
  float editor_fraction_ = 0.45f;
};

}  // namespace restbox::console
