#pragma once
// The Mock tab: which mock it shows (it follows the request's target; in-process or restbox-mock
// over HTTP, both through the /__restbox/ admin API), reset, and one collapsing section per
// concern (panels/mock/sections.hpp): force a status or a fault, the clock, latency and limits,
// rate-limit windows, webhooks, the journal, the state browser, settings and snapshots. The
// sections share a MockLink (panels/mock/link.hpp) that refreshes the views they read every
// kRefreshSeconds while the tab is visible.

#include <memory>
#include <string_view>

#include "json_view.hpp"
#include "panel.hpp"
#include "panels/mock/link.hpp"
#include "panels/mock/sections.hpp"

namespace restbox::console {

class MockControlPanel final : public Panel {
 public:
  MockControlPanel(Model& model, TestHook& hook);
  std::string_view Title() const override { return "Mock"; }
  void Draw() override;

  static constexpr double kRefreshSeconds = mock_tab::MockLink::kRefreshSeconds;

  // The state browser's tree (tests read its rows).
  const JsonTreeView& state_tree() const { return state_.tree(); }

 private:
  void DrawTarget();

  mock_tab::MockLink link_;
  mock_tab::ForceSection force_;
  mock_tab::ClockSection clock_;
  mock_tab::ConfigSection config_;
  mock_tab::LimitsSection limits_;
  mock_tab::WebhooksSection webhooks_;
  mock_tab::JournalSection journal_;
  mock_tab::StateSection state_;
  mock_tab::SettingsSection settings_;
  mock_tab::SnapshotsSection snapshots_;
};

}  // namespace restbox::console
