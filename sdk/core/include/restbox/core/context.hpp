#pragma once
// Per-call context: cancellation, timeout, and a sink for the attempt timeline.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "restbox/core/clock.hpp"

namespace restbox::core {

// Shared between the caller (who cancels) and the call (which observes). Cancel() runs the
// registered callbacks once, on the cancelling thread.
class CancellationSource final {
 public:
  CancellationSource();
  void Cancel();
  bool cancelled() const;
  // Runs `callback` when cancelled (at once if already). Returns an id for Unregister.
  std::uint64_t OnCancel(std::function<void()> callback);
  void Unregister(std::uint64_t id);

 private:
  struct State;
  std::shared_ptr<State> state_;
};

struct Context {
  // Cancels the whole call (all attempts). Default: not cancellable.
  std::shared_ptr<CancellationSource> cancellation;
  // Per-attempt timeout, enforced by the transport. nullopt (the default) = the client's
  // PipelineOptions::timeout (30 s unless set).
  std::optional<Duration> timeout;
  // Whole-call deadline across retries; nullopt = only the retry policy's limits apply.
  std::optional<TimePoint> deadline;
  // Overrides the client's idempotency decision for this call (e.g. a POST the caller knows is
  // safe to repeat). nullopt = decided by method and endpoint table.
  std::optional<bool> idempotent;

  Duration TimeoutOr(Duration fallback) const { return timeout.value_or(fallback); }
  bool cancelled() const { return cancellation && cancellation->cancelled(); }
};

}  // namespace restbox::core
