#include "restbox/core/pipeline.hpp"
#include "restbox/core/thread_scheduler.hpp"

#ifdef __EMSCRIPTEN__
#include <emscripten/eventloop.h>

#include <map>
#endif

namespace restbox::core {

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

#else

namespace {
// Browser (and node) timers: setTimeout through Emscripten's event loop API.
class BrowserScheduler final : public Scheduler {
 public:
  TimerId Schedule(Duration delay, std::function<void()> task) override {
    TimerId id = next_id_++;
    auto* ctx = new Pending{this, id};
    tasks_.emplace(id, Entry{std::move(task), 0, ctx});
    tasks_[id].handle =
        emscripten_set_timeout(&BrowserScheduler::Fire, static_cast<double>(delay.count()), ctx);
    return id;
  }
  bool Cancel(TimerId id) override {
    auto it = tasks_.find(id);
    if (it == tasks_.end()) return false;
    emscripten_clear_timeout(it->second.handle);
    delete it->second.pending;  // Fire() will not run for it
    tasks_.erase(it);
    return true;
  }

 private:
  struct Pending {
    BrowserScheduler* self;
    TimerId id;
  };
  struct Entry {
    std::function<void()> task;
    int handle;
    Pending* pending;
  };
  static void Fire(void* user) {
    auto* p = static_cast<Pending*>(user);
    auto it = p->self->tasks_.find(p->id);
    if (it != p->self->tasks_.end()) {
      auto task = std::move(it->second.task);
      p->self->tasks_.erase(it);
      delete p;
      task();
      return;
    }
    delete p;
  }
  TimerId next_id_ = 1;
  std::map<TimerId, Entry> tasks_;
};
}  // namespace

std::shared_ptr<Scheduler> DefaultScheduler() {
  static auto scheduler = std::make_shared<BrowserScheduler>();
  return scheduler;
}

#endif

}  // namespace restbox::core
