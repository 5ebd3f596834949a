#pragma once
// Native only: a Scheduler backed by one background thread. DefaultScheduler() returns a shared
// instance natively.
#ifndef __EMSCRIPTEN__

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "restbox/core/clock.hpp"

namespace restbox::core {

class ThreadScheduler final : public Scheduler {
 public:
  ThreadScheduler();
  ~ThreadScheduler() override;  // runs no further tasks; joins the thread
  TimerId Schedule(Duration delay, std::function<void()> task) override;
  bool Cancel(TimerId id) override;

 private:
  void Loop();
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  TimerId next_id_ = 1;
  std::map<std::pair<std::chrono::steady_clock::time_point, TimerId>, std::function<void()>> tasks_;
  std::thread thread_;
};

}  // namespace restbox::core
#endif
