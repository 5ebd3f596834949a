#pragma once
// Fixed-window rate limiter keyed by credential, with several windows per key (per minute, per day,
// per calendar month...). The SDK uses it to avoid sending requests that would get a 429; the mock
// uses the same class to produce the 429 (DESIGN rule 5: one source of truth for the arithmetic).
// Windows are aligned to UTC boundaries: a minute window restarts at :00, a day window at
// midnight UTC, a month window on the 1st. Thread-safe.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "restbox/core/clock.hpp"

namespace restbox::core {

enum class WindowUnit { kSecond, kMinute, kHour, kDay, kMonth };

struct RateWindow {
  std::string name;  // "minute", "day", "month": shown in errors and in the console
  WindowUnit unit = WindowUnit::kMinute;
  std::int64_t limit = 60;  // requests allowed per window
};

struct WindowState {
  std::string name;
  std::int64_t limit = 0;
  std::int64_t used = 0;
  TimePoint window_start;
  TimePoint resets_at;
};

struct RateDecision {
  bool allowed = true;
  // When refused: the first window that refused, and how long until it resets.
  std::string window;
  std::int64_t limit = 0;
  std::int64_t remaining = 0;  // of the tightest window, after this request
  TimePoint resets_at;
  Duration retry_after{0};
};

// Start of the window containing `t`, and of the next one.
TimePoint WindowStart(WindowUnit unit, TimePoint t);
TimePoint WindowEnd(WindowUnit unit, TimePoint t);

class RateLimiter final {
 public:
  explicit RateLimiter(std::vector<RateWindow> default_windows = {});

  // Counts one request (or `cost`) for `key` if every window has room; otherwise counts nothing
  // and says which window refused.
  RateDecision Acquire(const std::string& key, TimePoint now, std::int64_t cost = 1);
  // What Acquire would answer, without counting.
  RateDecision Peek(const std::string& key, TimePoint now) const;

  // Per-key windows replacing the defaults for that key (e.g. an account's own monthly quota).
  void SetWindows(const std::string& key, std::vector<RateWindow> windows);
  // Marks a key's window as already used up to `used` (fixtures: "quota exhausted").
  void SetUsed(const std::string& key, const std::string& window, std::int64_t used, TimePoint now);
  std::vector<WindowState> Snapshot(const std::string& key, TimePoint now) const;
  std::vector<std::string> Keys() const;
  void Reset();
  void Reset(const std::string& key);

 private:
  struct Counter {
    TimePoint window_start;
    std::int64_t used = 0;
  };
  struct KeyState {
    std::optional<std::vector<RateWindow>> windows;
    std::map<std::string, Counter> counters;  // by window name
  };
  const std::vector<RateWindow>& WindowsFor(const KeyState* state) const;
  RateDecision Evaluate(const KeyState* state, TimePoint now, std::int64_t cost) const;

  mutable std::mutex mutex_;
  std::vector<RateWindow> default_windows_;
  std::map<std::string, KeyState> keys_;
};

}  // namespace restbox::core
