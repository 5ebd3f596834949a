#pragma once
// Time is injected everywhere (DESIGN rule 1): nothing in sdk/core reads the system clock or sleeps
// directly. Production code uses SystemClock plus a real Scheduler (ThreadScheduler natively, the
// browser's timers in wasm); tests use ManualClock, which is both, and advances only when told.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace restbox::core {

using TimePoint = std::chrono::system_clock::time_point;
using Duration = std::chrono::milliseconds;

// The range of times restbox computes with: 1700-01-01T00:00:00Z to 2200-01-01T00:00:00Z.
// TimePoint counts nanoseconds in 64 bits natively (it ends in April 2262), so clocks, parsed
// timestamps and AddSaturated() are clamped to this range: a clock advanced a few hundred times by
// a year, or a state file with a huge offset, stops at LatestTime() instead of overflowing, and
// `now + window` arithmetic on a clamped time keeps decades of headroom.
TimePoint EarliestTime();
TimePoint LatestTime();
// `t` limited to [EarliestTime(), LatestTime()].
TimePoint ClampTime(TimePoint t);
// t + d, saturated to [EarliestTime(), LatestTime()], for any `d` (Duration::max() included).
TimePoint AddSaturated(TimePoint t, Duration d);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  static std::shared_ptr<SystemClock> Instance();
};

using TimerId = std::uint64_t;

// Runs callbacks later. Callbacks run on the scheduler's own thread (ThreadScheduler), in the
// browser event loop (wasm), or inside ManualClock::Advance (tests).
class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual TimerId Schedule(Duration delay, std::function<void()> task) = 0;
  // Cancels a task that has not started. Returns false when it already ran or is unknown.
  virtual bool Cancel(TimerId id) = 0;
};

// A clock that stands still until Advance(), and a scheduler whose tasks run during Advance() in
// due order, each seeing Now() equal to its due time. Starts at 2026-01-01T00:00:00Z unless told.
// Advancing costs what is scheduled, not what elapses: time jumps from one due task to the next
// (a year with nothing scheduled is one step). Times saturate at LatestTime() (see AddSaturated).
class ManualClock final : public Clock, public Scheduler {
 public:
  explicit ManualClock(TimePoint start = DefaultStart());
  static TimePoint DefaultStart();

  TimePoint Now() const override;
  TimerId Schedule(Duration delay, std::function<void()> task) override;
  bool Cancel(TimerId id) override;

  // Moves time forward by `by`, running every task due on the way (tasks may schedule more).
  void Advance(Duration by);
  void AdvanceTo(TimePoint when);
  // Runs tasks that are due now without moving time (e.g. zero-delay tasks).
  void RunDue();
  std::size_t PendingTasks() const;
  // Time left until the next scheduled task, if any.
  std::optional<Duration> NextDueIn() const;

 private:
  mutable std::recursive_mutex mutex_;
  TimePoint now_;
  TimerId next_id_ = 1;
  std::multimap<std::pair<TimePoint, TimerId>, std::function<void()>> tasks_;
};

// RFC 3339 UTC timestamp with milliseconds: "2026-01-01T00:00:00.000Z".
std::string FormatIso8601(TimePoint t);
// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.fff](Z|+hh:mm)". Returns nullopt when invalid.
std::optional<TimePoint> ParseIso8601(std::string_view text);
// IMF-fixdate as used by HTTP (Retry-After, Date): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string FormatHttpDate(TimePoint t);
std::optional<TimePoint> ParseHttpDate(std::string_view text);

}  // namespace restbox::core
