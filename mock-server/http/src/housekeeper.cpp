#include "restbox/mock/housekeeper.hpp"

namespace restbox::mock {

Housekeeper::Housekeeper(std::shared_ptr<MockServer> server, HousekeeperOptions options)
    : server_(std::move(server)), options_(options) {}

Housekeeper::~Housekeeper() {
  Stop();
}

void Housekeeper::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopped_) return;
  thread_ = std::thread([this] { Run(); });
}

void Housekeeper::MarkDirty() {
  {
    std::lock_guard lock(mutex_);
    if (dirty_) return;
    dirty_ = true;
  }
  wake_.notify_one();
}

void Housekeeper::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  server_->Tick();
}

void Housekeeper::Run() {
  using Clock = std::chrono::steady_clock;
  auto last = Clock::now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // The next tick: a tick interval after the last one, or, after a write, the minimum gap
    // (writes under load tick a few times a second, not once each).
    const bool dirty = dirty_;
    const auto due = last + (dirty ? std::min(options_.tick_interval, options_.min_write_gap)
                                   : options_.tick_interval);
    wake_.wait_until(lock, due, [&] { return stopping_ || dirty_ != dirty; });
    if (stopping_) break;
    if (Clock::now() < due) continue;  // a write came: the deadline moves closer
    dirty_ = false;
    lock.unlock();
    server_->Tick();
    lock.lock();
    last = Clock::now();
  }
}

}  // namespace restbox::mock
