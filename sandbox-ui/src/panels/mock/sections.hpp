#pragma once
// The Mock tab's sections: each a small struct that owns its UI state and draws itself with the
// tab's MockLink (link.hpp). The panel (panels/mock_control.hpp) lays them out as collapsing
// headers. Test hook ids are "mock/<section>/...".

#include <string>

#include "json_view.hpp"
#include "panels/mock/link.hpp"

namespace restbox::console::mock_tab {

// Force a status or a fault (next N requests or a standing rule, optionally only for the selected
// endpoint or a path prefix), and the active rules with their delete buttons.
class ForceSection final {
 public:
  void Draw(MockLink& link);

 private:
  void DrawRules(MockLink& link);
  int action_ = 0;  // index into the actions (status, fail_first, latency, drop)
  int status_ = 503;
  int times_ = 1;
  bool standing_ = false;  // a standing rule (times = -1)
  int latency_ms_ = 1000;
  bool match_endpoint_ = true;  // only the endpoint selected in the explorer
  char path_prefix_[128] = "";
  std::string message_;
  long generation_ = -1;
};

// The mock's clock: its time, steps forward, a custom advance.
class ClockSection final {
 public:
  void Draw(MockLink& link);

 private:
  void Advance(MockLink& link, double seconds);
  int custom_seconds_ = 60;
};

// Latency for every answer and the limits switch (/__restbox/config).
class ConfigSection final {
 public:
  void Draw(MockLink& link);

 private:
  void Apply(MockLink& link, core::Json patch);
  int latency_ms_ = 0;
  bool edited_ = false;
  long generation_ = -1;
};

// Rate-limit windows and quotas filling up, per key.
class LimitsSection final {
 public:
  void Draw(MockLink& link);
};

// chikage's webhook deliveries (from the state view).
class WebhooksSection final {
 public:
  void Draw(MockLink& link);
};

// The journal: the last requests the mock received, newest first.
class JournalSection final {
 public:
  void Draw(MockLink& link);
};

// The state browser: the mock's state as a filterable tree (masked like every view here).
class StateSection final {
 public:
  explicit StateSection(MockLink& link);
  void Draw(MockLink& link);
  const JsonTreeView& tree() const { return tree_; }

 private:
  char filter_[128] = "";
  JsonTreeView tree_;
};

// Per-service settings as JSON, loaded from and applied to the mock.
class SettingsSection final {
 public:
  void Draw(MockLink& link);

 private:
  int service_ = 0;
  std::string loaded_for_;
  long loaded_generation_ = -1;
  std::string text_;
  std::string message_;
};

// Named snapshots of the whole world (records, settings, limiter counters, queue, deliveries,
// faults, clock): save one, restore or delete it.
class SnapshotsSection final {
 public:
  void Draw(MockLink& link);

 private:
  char name_[65] = "";
  std::string message_;
};

}  // namespace restbox::console::mock_tab
