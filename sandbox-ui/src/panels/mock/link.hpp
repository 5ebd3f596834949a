#pragma once
// The Mock tab's link to the mock it shows, shared by its sections (sections.hpp): which
// environment it is (the tab follows the request's target), the admin calls (/__restbox/, through
// Model::Admin: the in-process mock and restbox-mock over HTTP share one code path), the views the
// sections read (refreshed together every kRefreshSeconds while the tab is visible) and the
// masking of the mock's own credentials.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model.hpp"
#include "restbox/core/json_codec.hpp"
#include "test_hook.hpp"

namespace restbox::console::mock_tab {

// "429: too many requests..." from an admin answer; status 0: the mock did not answer.
std::string ErrorText(int status, const core::Json& answer);
// The outcome of an action beside its button, and for tests under `key`.
void ShowOutcome(TestHook& hook, const char* key, const std::string& message);
// "2026-01-01T00:00:05Z" -> "00:00:05" (the date is shown once, with the clock).
std::string TimeOfDay(const std::string& iso);

class MockLink final {
 public:
  // How often the views refresh while the tab is visible (seconds of ImGui time).
  static constexpr double kRefreshSeconds = 0.5;

  MockLink(Model& model, TestHook& hook) : model_(model), hook_(hook) {}
  MockLink(const MockLink&) = delete;
  MockLink& operator=(const MockLink&) = delete;

  Model& model() { return model_; }
  TestHook& hook() { return hook_; }

  // The environment whose mock the tab shows: the request's target whenever that changes to a
  // mock (the tab's combo can point elsewhere until the next change); the first in-process one
  // otherwise. nullptr when no environment has a mock behind it.
  const Environment* Target();
  std::size_t environment() const { return environment_; }
  void Choose(std::size_t environment);

  // One admin call to the chosen mock; `done` runs on the UI thread unless the tab is gone.
  void Call(core::Method method, const std::string& path, std::optional<core::Json> body,
            std::function<void(int, const core::Json&)> done);
  // Refreshes the views when kRefreshSeconds have passed since the last refresh (or at once after
  // RefreshSoon()); one refresh at a time, so a slow HTTP mock does not pile requests up.
  void MaybeRefresh();
  void RefreshSoon() { last_refresh_ = -1e9; }
  // The mock changed under the tab (another target, a reset, a restore): sections drop what they
  // loaded or typed for the old one (they compare generation()).
  void Invalidate();
  long generation() const { return generation_; }

  // Model::Mask plus the credentials of the mock's own fixtures (keys the environments do not hold
  // still appear in settings, state and journal), and the reverse for text the user edited.
  std::string Masked(std::string text) const;
  std::string Unmasked(std::string text) const;

  // The last admin failure (shown on top of the tab).
  std::string problem;
  // The views: admin answers as they came.
  core::Json rules = core::Json::array();      // GET /__restbox/faults
  core::Json limits = core::Json::object();    // GET /__restbox/limits
  core::Json config = core::Json::object();    // GET /__restbox/config
  core::Json journal = core::Json::array();    // GET /__restbox/journal?limit=50
  core::Json state = core::Json::object();     // GET /__restbox/state
  core::Json snapshots = core::Json::array();  // GET /__restbox/snapshots
  std::string now;                             // GET /__restbox/clock
  // Runs after each new state answer (the state browser rebuilds its tree).
  std::function<void()> on_state;

 private:
  void Refresh();
  void LoadFixtureSecrets();

  Model& model_;
  TestHook& hook_;
  // Lives as long as the tab; callbacks hold a weak reference and do nothing once it is gone.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  std::size_t environment_ = 0;  // index into model_.environments (in-process or HTTP mock only)
  std::size_t followed_environment_ = static_cast<std::size_t>(-1);  // the draft's, last seen
  double last_refresh_ = -1e9;
  int in_flight_ = 0;  // refresh calls not answered yet
  long generation_ = 0;
  std::vector<std::string> fixture_secrets_;  // from /__restbox/fixtures, once per target
  bool fixtures_loaded_ = false;
};

}  // namespace restbox::console::mock_tab
