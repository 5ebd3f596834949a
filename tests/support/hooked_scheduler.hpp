#pragma once
// A ManualClock as Scheduler that calls a hook right after each Schedule(): the moment a transport
// or a policy has armed a timer but not yet stored its id, which is where an answer or a cancel
// from another thread hurts most. The race tests start that other thread from the hook
// (tests/unit/transports/in_process_transport_test.cpp, tests/unit/core/pipeline_test.cpp).
// Header-only: the wasm test build has no tests/support library.

#include <functional>
#include <memory>

#include "restbox/core/clock.hpp"

namespace restbox::testing {

class HookedScheduler final : public core::Scheduler {
 public:
  explicit HookedScheduler(
      std::shared_ptr<core::ManualClock> clock = std::make_shared<core::ManualClock>())
      : clock_(std::move(clock)) {}

  core::TimerId Schedule(core::Duration delay, std::function<void()> task) override {
    core::TimerId id = clock_->Schedule(delay, std::move(task));
    if (on_schedule) on_schedule();
    return id;
  }
  bool Cancel(core::TimerId id) override { return clock_->Cancel(id); }

  core::ManualClock& clock() { return *clock_; }
  // Runs on the scheduling thread after each Schedule(). Default: nothing.
  std::function<void()> on_schedule;

 private:
  std::shared_ptr<core::ManualClock> clock_;
};

}  // namespace restbox::testing
