#pragma once
// Real-time upkeep of a MockServer served over HTTP (native only): runs its time-driven work
// (queued writes, share expiry, webhook retries) about every second, and at once after a write.
// Durable state is not its business: with --state, the SQLite store commits every change before
// its answer leaves (sqlite_store.hpp).

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "restbox/core/clock.hpp"
#include "restbox/mock/mock_server.hpp"

namespace restbox::mock {

struct HousekeeperOptions {
  // How often MockServer::Tick() runs. Default 1 s.
  core::Duration tick_interval{1000};
  // After a write, the next tick comes at most this long after the last one. Default 200 ms.
  core::Duration min_write_gap{200};
};

class Housekeeper final {
 public:
  Housekeeper(std::shared_ptr<MockServer> server, HousekeeperOptions options = {});
  // Stop().
  ~Housekeeper();
  Housekeeper(const Housekeeper&) = delete;
  Housekeeper& operator=(const Housekeeper&) = delete;

  // Starts the background thread.
  void Start();
  // A request may have changed the state: apply due work now (thread-safe, cheap).
  void MarkDirty();
  // Stops the thread and runs due work a last time. Idempotent.
  void Stop();

 private:
  void Run();

  std::shared_ptr<MockServer> server_;
  HousekeeperOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool stopped_ = false;
  bool dirty_ = false;
  std::thread thread_;
};

}  // namespace restbox::mock
