#pragma once
// Mock control: force a status (next N requests or a standing rule, optionally only for the
// selected endpoint), latency and drop faults, latency for every answer and the limits switch,
// the mock's clock, rate-limit windows and quotas filling up, reset, per-service settings, the
// mock's state browser, the webhook inspector and the journal.
//
// Everything goes through Model::Admin (the /__restbox/ admin API) to the mock behind the chosen
// environment: the in-process mock or restbox-mock over HTTP share one code path. While the tab is
// visible the panel refreshes the clock, rules, limits, config, journal and state every
// kRefreshSeconds; answers arrive through the model's UI queue.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "json_view.hpp"
#include "panel.hpp"

namespace restbox::console {

class MockControlPanel final : public Panel {
 public:
  using Panel::Panel;
  std::string_view Title() const override { return "Mock"; }
  void Draw() override;

  // How often the views refresh while visible (seconds of ImGui time).
  static constexpr double kRefreshSeconds = 0.5;

  // The state browser's tree (tests read its rows).
  const JsonTreeView& state_tree() const { return state_tree_; }

 private:
  // Sends one admin call to the chosen mock; `done` runs on the UI thread unless the panel is gone.
  void Call(core::Method method, std::string path, std::optional<core::Json> body,
            std::function<void(int, const core::Json&)> done);
  void Refresh();
  const Environment* Target();
  void ApplyConfig(core::Json patch);
  void Advance(double seconds);

  // Model::Mask plus the credentials of the mock's own fixtures (keys the environments do not hold
  // still appear in settings, state and journal).
  std::string Masked(std::string text) const;
  // The settings text as the user edited it, with masked credentials put back.
  std::string Unmasked(std::string text) const;

  void DrawTarget();
  void DrawForce();
  void DrawRules();
  void DrawConfig();
  void DrawClock();
  void DrawLimits();
  void DrawSettings();
  void DrawState();
  void DrawWebhooks();
  void DrawJournal();

  // Lives as long as the panel; callbacks hold a weak reference and do nothing once it is gone.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  std::size_t environment_ = 0;  // index into model_.environments (in-process or HTTP mock only)
  std::size_t followed_environment_ = static_cast<std::size_t>(-1);  // the draft's, when last seen
  double last_refresh_ = -1e9;
  int in_flight_ = 0;    // refresh calls not answered yet (no new refresh until 0)
  std::string problem_;  // the last admin failure, shown on top
  std::vector<std::string> fixture_secrets_;  // from /__restbox/fixtures, loaded once per target
  bool fixtures_loaded_ = false;

  // Force a status / fault.
  int action_ = 0;  // index into kActions (status, fail_first, latency, drop)
  int force_status_ = 503;
  int force_times_ = 1;
  bool standing_ = false;  // a standing rule (times = -1)
  int fault_latency_ms_ = 1000;
  bool match_endpoint_ = true;  // only the endpoint selected in the explorer
  char path_prefix_[128] = "";
  std::string force_message_;

  // Views of the mock (admin answers).
  core::Json rules_ = core::Json::array();
  std::string now_;
  core::Json limits_ = core::Json::object();
  core::Json config_ = core::Json::object();
  core::Json journal_ = core::Json::array();
  core::Json state_ = core::Json::object();

  // Config edits.
  int latency_ms_ = 0;
  bool latency_edited_ = false;

  // Clock.
  int custom_seconds_ = 60;

  // Settings editor.
  int settings_service_ = 0;
  std::string settings_loaded_for_;
  std::string settings_text_;
  std::string settings_message_;

  // State browser: refreshed with state_ (open nodes kept), masked like every other view here.
  char state_filter_[128] = "";
  JsonTreeView state_tree_{[this](std::string text) { return Masked(std::move(text)); }};
};

}  // namespace restbox::console
