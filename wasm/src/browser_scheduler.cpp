// core::DefaultScheduler() in the browser (and under node): timers are setTimeout through
// Emscripten's event loop API. It lives here, beside the fetch transport, so that sdk/core stays
// standard C++ and nlohmann/json only; every wasm build links it with restbox::core
// (wasm/CMakeLists.txt).
#include <emscripten/eventloop.h>

#include <map>

#include "restbox/core/pipeline.hpp"

namespace restbox::core {

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

}  // namespace restbox::core
