#include "restbox/mock/housekeeper.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace restbox::mock {
namespace {

std::optional<std::string> ReadFile(const std::string& path, std::string& out, bool& exists) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  exists = f != nullptr || errno != ENOENT;
  if (!f)
    return exists ? std::optional<std::string>("cannot open " + path + ": " + std::strerror(errno))
                  : std::nullopt;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return "cannot read " + path;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> LoadStateFile(MockServer& server, const std::string& path,
                                         bool* loaded) {
  if (loaded) *loaded = false;
  std::string text;
  bool exists = false;
  if (auto error = ReadFile(path, text, exists)) return error;
  if (!exists) return std::nullopt;
  auto json = core::ParseJson(text);
  if (!json.ok()) return path + " is not a restbox state file: " + json.error().message;
  if (auto error = server.LoadState(json.value())) return path + ": " + *error;
  if (loaded) *loaded = true;
  return std::nullopt;
}

std::optional<std::string> SaveStateFile(MockServer& server, const std::string& path) {
  // One save at a time in the process: the housekeeper's and restbox-mock's last save on a
  // second Ctrl-C share the temporary file.
  static std::mutex save_mutex;
  std::lock_guard lock(save_mutex);
  std::string text = core::DumpJson(server.State(), 1);
  text += '\n';
  std::string temp = path + ".tmp";
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  if (!f) return "cannot write " + temp + ": " + std::strerror(errno);
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return "cannot write " + path + ": " + std::strerror(errno);
  }
  return std::nullopt;
}

Housekeeper::Housekeeper(std::shared_ptr<MockServer> server, HousekeeperOptions options)
    : server_(std::move(server)), options_(std::move(options)) {}

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
  Save();
}

std::size_t Housekeeper::saves() const {
  std::lock_guard lock(mutex_);
  return saves_;
}

void Housekeeper::Run() {
  using Clock = std::chrono::steady_clock;
  auto next_tick = Clock::now() + options_.tick_interval;
  auto next_save = Clock::now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // Woken by MarkDirty (to recompute the deadline) or by the deadline itself.
    wake_.wait_until(lock, dirty_ ? std::min(next_tick, next_save) : next_tick);
    if (stopping_) break;
    auto now = Clock::now();
    bool save = dirty_ && now >= next_save;
    bool tick = now >= next_tick;
    if (!save && !tick) continue;
    if (save) dirty_ = false;
    lock.unlock();
    // A write is saved with its effect: queued writes that are due are applied first.
    server_->Tick();
    if (save) {
      auto started = Clock::now();
      Save();
      // A big state takes long to write (and holds the mock's lock while it is collected): keep
      // saving under a steady stream of writes to at most ~10% of the time.
      auto took = Clock::now() - started;
      next_save = Clock::now() + std::max<Clock::duration>(options_.min_save_interval, took * 10);
    }
    if (tick) next_tick = now + options_.tick_interval;
    lock.lock();
  }
}

void Housekeeper::Save() {
  if (options_.state_file.empty()) return;
  auto error = SaveStateFile(*server_, options_.state_file);
  if (error && options_.log) options_.log("restbox-mock: " + *error);
  std::lock_guard lock(mutex_);
  if (!error) ++saves_;
}

}  // namespace restbox::mock
