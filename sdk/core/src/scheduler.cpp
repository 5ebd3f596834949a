#include "restbox/core/pipeline.hpp"
#include "restbox/core/thread_scheduler.hpp"

namespace restbox::core {

// In the browser, DefaultScheduler() is wasm/src/browser_scheduler.cpp (setTimeout).
#ifndef __EMSCRIPTEN__

ThreadScheduler::ThreadScheduler() : thread_([this] { Loop(); }) {}

ThreadScheduler::~ThreadScheduler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    tasks_.clear();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

TimerId ThreadScheduler::Schedule(Duration delay, std::function<void()> task) {
  TimerId id;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
    tasks_.emplace(std::make_pair(std::chrono::steady_clock::now() + delay, id), std::move(task));
  }
  cv_.notify_one();
  return id;
}

bool ThreadScheduler::Cancel(TimerId id) {
  std::lock_guard lock(mutex_);
  for (auto it = tasks_.begin(); it != tasks_.end(); ++it) {
    if (it->first.second == id) {
      tasks_.erase(it);
      return true;
    }
  }
  return false;
}

void ThreadScheduler::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (tasks_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto due = tasks_.begin()->first.first;
    if (std::chrono::steady_clock::now() < due) {
      cv_.wait_until(lock, due);
      continue;
    }
    auto node = tasks_.extract(tasks_.begin());
    lock.unlock();
    node.mapped()();
    lock.lock();
  }
}

std::shared_ptr<Scheduler> DefaultScheduler() {
  static auto scheduler = std::make_shared<ThreadScheduler>();
  return scheduler;
}

#endif

}  // namespace restbox::core
