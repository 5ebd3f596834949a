#include "restbox/core/rate_limiter.hpp"

#include <algorithm>
#include <limits>

namespace restbox::core {

TimePoint MonthStartUtc(TimePoint t);
TimePoint NextMonthStartUtc(TimePoint t);

namespace {
template <typename Unit>
TimePoint Floor(TimePoint t) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::floor<Unit>(t.time_since_epoch())));
}
}  // namespace

TimePoint WindowStart(WindowUnit unit, TimePoint t) {
  switch (unit) {
    case WindowUnit::kSecond:
      return Floor<std::chrono::seconds>(t);
    case WindowUnit::kMinute:
      return Floor<std::chrono::minutes>(t);
    case WindowUnit::kHour:
      return Floor<std::chrono::hours>(t);
    case WindowUnit::kDay:
      return Floor<std::chrono::duration<std::int64_t, std::ratio<86400>>>(t);
    case WindowUnit::kMonth:
      return MonthStartUtc(t);
  }
  return t;
}

TimePoint WindowEnd(WindowUnit unit, TimePoint t) {
  TimePoint start = WindowStart(unit, t);
  switch (unit) {
    case WindowUnit::kSecond:
      return start + std::chrono::seconds(1);
    case WindowUnit::kMinute:
      return start + std::chrono::minutes(1);
    case WindowUnit::kHour:
      return start + std::chrono::hours(1);
    case WindowUnit::kDay:
      return start + std::chrono::hours(24);
    case WindowUnit::kMonth:
      return NextMonthStartUtc(t);
  }
  return t;
}

RateLimiter::RateLimiter(std::vector<RateWindow> default_windows)
    : default_windows_(std::move(default_windows)) {}

const std::vector<RateWindow>& RateLimiter::WindowsFor(const KeyState* state) const {
  if (state && state->windows) return *state->windows;
  return default_windows_;
}

RateDecision RateLimiter::Evaluate(const KeyState* state, TimePoint now, std::int64_t cost) const {
  RateDecision decision;
  decision.remaining = std::numeric_limits<std::int64_t>::max();
  for (const RateWindow& w : WindowsFor(state)) {
    TimePoint start = WindowStart(w.unit, now);
    std::int64_t used = 0;
    if (state) {
      auto it = state->counters.find(w.name);
      if (it != state->counters.end() && it->second.window_start == start) used = it->second.used;
    }
    std::int64_t remaining = w.limit - used - cost;
    if (remaining < 0) {
      decision.allowed = false;
      decision.window = w.name;
      decision.limit = w.limit;
      decision.remaining = std::max<std::int64_t>(0, w.limit - used);
      decision.resets_at = WindowEnd(w.unit, now);
      decision.retry_after = std::chrono::ceil<Duration>(decision.resets_at - now);
      return decision;
    }
    if (remaining < decision.remaining) {
      decision.remaining = remaining;
      decision.window = w.name;
      decision.limit = w.limit;
      decision.resets_at = WindowEnd(w.unit, now);
    }
  }
  if (decision.remaining == std::numeric_limits<std::int64_t>::max()) decision.remaining = 0;
  return decision;
}

RateDecision RateLimiter::Acquire(const std::string& key, TimePoint now, std::int64_t cost) {
  std::lock_guard lock(mutex_);
  KeyState& state = keys_[key];
  RateDecision decision = Evaluate(&state, now, cost);
  if (!decision.allowed) return decision;
  for (const RateWindow& w : WindowsFor(&state)) {
    TimePoint start = WindowStart(w.unit, now);
    Counter& c = state.counters[w.name];
    if (c.window_start != start) {
      c.window_start = start;
      c.used = 0;
    }
    c.used += cost;
  }
  return decision;
}

RateDecision RateLimiter::Peek(const std::string& key, TimePoint now) const {
  std::lock_guard lock(mutex_);
  auto it = keys_.find(key);
  return Evaluate(it == keys_.end() ? nullptr : &it->second, now, 1);
}

void RateLimiter::SetWindows(const std::string& key, std::vector<RateWindow> windows) {
  std::lock_guard lock(mutex_);
  keys_[key].windows = std::move(windows);
}

void RateLimiter::SetUsed(const std::string& key, const std::string& window, std::int64_t used,
                          TimePoint now) {
  std::lock_guard lock(mutex_);
  KeyState& state = keys_[key];
  for (const RateWindow& w : WindowsFor(&state)) {
    if (w.name == window) state.counters[w.name] = Counter{WindowStart(w.unit, now), used};
  }
}

std::vector<WindowState> RateLimiter::Snapshot(const std::string& key, TimePoint now) const {
  std::lock_guard lock(mutex_);
  auto it = keys_.find(key);
  const KeyState* state = it == keys_.end() ? nullptr : &it->second;
  std::vector<WindowState> out;
  for (const RateWindow& w : WindowsFor(state)) {
    WindowState s;
    s.name = w.name;
    s.limit = w.limit;
    s.window_start = WindowStart(w.unit, now);
    s.resets_at = WindowEnd(w.unit, now);
    if (state) {
      auto c = state->counters.find(w.name);
      if (c != state->counters.end() && c->second.window_start == s.window_start)
        s.used = c->second.used;
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> RateLimiter::Keys() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [k, v] : keys_) out.push_back(k);
  return out;
}

void RateLimiter::Reset() {
  std::lock_guard lock(mutex_);
  keys_.clear();
}

void RateLimiter::Reset(const std::string& key) {
  std::lock_guard lock(mutex_);
  keys_.erase(key);
}

}  // namespace restbox::core
