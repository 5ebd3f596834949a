#pragma once
// Real-time upkeep of a MockServer served over HTTP (native only): runs its time-driven work
// (queued writes, share expiry, webhook retries) about every second, and keeps its state file so
// that a restart loses nothing.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "restbox/core/clock.hpp"
#include "restbox/mock/mock_server.hpp"

namespace restbox::mock {

// Loads a state file written by SaveStateFile into `server`. A missing file is not an error
// (`*loaded` is set to false); an unreadable or invalid one is (the message says why).
std::optional<std::string> LoadStateFile(MockServer& server, const std::string& path,
                                         bool* loaded = nullptr);
// Writes MockServer::State() to `path` atomically (a temporary file renamed over it), so a crash
// mid-write never leaves half a file.
std::optional<std::string> SaveStateFile(MockServer& server, const std::string& path);

struct HousekeeperOptions {
  // How often MockServer::Tick() runs. Default 1 s.
  core::Duration tick_interval{1000};
  // Where the state is saved after writes and at Stop(). "" (default): not saved.
  std::string state_file;
  // Writes closer together than this are saved together (and at least ten times the last save's
  // duration, so a big state is not rewritten back to back). Default 200 ms.
  core::Duration min_save_interval{200};
  // Receives save errors. Null (default): ignored.
  std::function<void(const std::string& message)> log;
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
  // A request may have changed the state: apply due work and save soon (thread-safe, cheap).
  void MarkDirty();
  // Stops the thread, runs due work a last time and saves the state file. Idempotent.
  void Stop();
  // Number of saves so far (tests and logs).
  std::size_t saves() const;

 private:
  void Run();
  void Save();

  std::shared_ptr<MockServer> server_;
  HousekeeperOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool stopped_ = false;
  bool dirty_ = false;
  std::size_t saves_ = 0;
  std::thread thread_;
};

}  // namespace restbox::mock
