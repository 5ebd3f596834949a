// MockServer's durable state (mock_server.hpp): the server's own row (fault rules, clock
// offset) and the limiter's, the commits of a request's rows to the StateStore, loading them
// back (AttachStore), and named snapshots. The rest of the engine is in mock_server.cpp.

#include <algorithm>

#include "clock_offset.hpp"
#include "restbox/mock/mock_server.hpp"

namespace restbox::mock {
namespace {
constexpr const char* kServerRows = "__server";

bool ValidSnapshotName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}
}  // namespace

core::Json MockServer::ServerRowLocked() const {
  core::Json rules = core::Json::array();
  for (const auto& f : faults_) rules.push_back(ToJson(f));
  return {{"faults", rules}, {"next_fault_id", next_fault_id_}, {"offset_ms", offset_.count()}};
}

core::Json MockServer::LimiterJsonLocked() const {
  const core::TimePoint now = Now();
  core::Json out = core::Json::object();
  for (const auto& key : limiter_.Keys()) {
    core::Json windows = core::Json::object();
    for (const auto& w : limiter_.Snapshot(key, now)) {
      if (w.used)
        windows[w.name] = {{"used", w.used}, {"window_start", core::FormatIso8601(w.window_start)}};
    }
    if (!windows.empty()) out[key] = windows;
  }
  return out;
}

void MockServer::LoadServerRowLocked(const core::Json& row) {
  if (!row.is_object()) return;
  std::vector<FaultRule> rules;
  for (const auto& j : row.value("faults", core::Json::array())) {
    FaultRule rule;
    if (ParseFaultRule(j, rule)) continue;
    rule.id = core::JsonValueOr<std::uint64_t>(j, "id", 0);
    rules.push_back(rule);
  }
  faults_ = std::move(rules);
  next_fault_id_ =
      std::max<std::uint64_t>(1, core::JsonValueOr<std::uint64_t>(row, "next_fault_id", 1));
  offset_ = OffsetFromJson(row.value("offset_ms", core::Json()));
}

void MockServer::LoadLimiterLocked(const core::Json& limiter) {
  if (!limiter.is_object()) return;
  const core::TimePoint now = Now();
  // Every key the limiter knows is set to what the world says (0 when it says nothing), for the
  // current window only: a count from an earlier window has expired.
  std::vector<std::string> keys = limiter_.Keys();
  for (auto it = limiter.begin(); it != limiter.end(); ++it) {
    if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) keys.push_back(it.key());
  }
  for (const auto& key : keys) {
    const core::Json saved = limiter.value(key, core::Json::object());
    for (const auto& w : limiter_.Snapshot(key, now)) {
      std::int64_t used = 0;
      if (auto s = saved.find(w.name); s != saved.end() && s->is_object()) {
        auto start = core::ParseIso8601(core::JsonValueOr<std::string>(*s, "window_start", ""));
        if (start && *start == w.window_start)
          used = core::JsonValueOr<std::int64_t>(*s, "used", 0);
      }
      limiter_.SetUsed(key, w.name, used, now);
    }
  }
}

std::vector<StateRow> MockServer::AllRowsLocked() const {
  std::vector<StateRow> rows;
  for (const auto& m : modules_) {
    if (m->HasRows()) {
      auto module_rows = m->Rows();
      rows.insert(rows.end(), std::make_move_iterator(module_rows.begin()),
                  std::make_move_iterator(module_rows.end()));
    } else {
      rows.push_back({m->Spec().id, "state", "", core::DumpJson(m->SaveWorld())});
    }
  }
  rows.push_back({kServerRows, "server", "", core::DumpJson(ServerRowLocked())});
  rows.push_back({kServerRows, "limiter", "", core::DumpJson(LimiterJsonLocked())});
  return rows;
}

std::optional<std::string> MockServer::CommitLocked() {
  if (!store_ || loading_) return std::nullopt;
  auto error = store_->Wait(EnqueueLocked());
  if (error) store_error_ = *error;
  return error;
}

std::uint64_t MockServer::EnqueueLocked(bool* wrote) {
  if (wrote) *wrote = false;
  if (!store_ || loading_) return 0;
  if (pending_rows_.empty() && dirty_modules_.empty() && !server_dirty_ && !limiter_dirty_)
    return store_->Enqueue({});
  if (wrote) *wrote = true;
  std::vector<RowChange> changes = std::move(pending_rows_);
  pending_rows_.clear();
  for (const ServiceModule* m : dirty_modules_)
    changes.push_back({m->Spec().id, "state", "", core::DumpJson(m->SaveWorld())});
  dirty_modules_.clear();
  if (server_dirty_)
    changes.push_back({kServerRows, "server", "", core::DumpJson(ServerRowLocked())});
  if (limiter_dirty_)
    changes.push_back({kServerRows, "limiter", "", core::DumpJson(LimiterJsonLocked())});
  server_dirty_ = limiter_dirty_ = false;
  return store_->Enqueue(std::move(changes));
}

std::optional<std::string> MockServer::RewriteLocked() {
  if (!store_ || loading_) return std::nullopt;
  pending_rows_.clear();
  dirty_modules_.clear();
  server_dirty_ = limiter_dirty_ = false;
  auto error = store_->ReplaceAll(AllRowsLocked());
  if (error) store_error_ = *error;
  return error;
}

std::optional<std::string> MockServer::LoadRowsLocked(const std::vector<StateRow>& rows) {
  std::map<std::string, std::vector<StateRow>> by_service;
  for (const auto& row : rows) by_service[row.service].push_back(row);
  for (auto& m : modules_) {
    auto it = by_service.find(m->Spec().id);
    if (it == by_service.end()) {
      // A service this file has never seen (added since): its fixtures are written below.
      if (m->HasRows()) {
        for (auto& row : m->Rows())
          pending_rows_.push_back({row.service, row.collection, row.key, row.value});
      } else {
        dirty_modules_.push_back(m.get());
      }
      continue;
    }
    const bool whole = it->second.size() == 1 && it->second[0].collection == "state";
    if (m->HasRows() && !whole) {
      if (auto err = m->LoadRows(it->second)) return m->Spec().id + ": " + *err;
      continue;
    }
    if (!whole) return m->Spec().id + ": expected one \"state\" row";
    auto parsed = core::ParseJson(it->second[0].value);
    if (!parsed.ok())
      return m->Spec().id + ": its state row is not JSON: " + parsed.error().message;
    if (auto err = m->LoadState(parsed.value())) return m->Spec().id + ": " + *err;
    if (m->HasRows()) {
      // Written when the service was stored whole: its rows replace that one row.
      pending_rows_.push_back({m->Spec().id, "state", "", std::nullopt});
      for (auto& row : m->Rows())
        pending_rows_.push_back({row.service, row.collection, row.key, row.value});
    }
  }
  if (auto it = by_service.find(kServerRows); it != by_service.end()) {
    for (const auto& row : it->second) {
      auto parsed = core::ParseJson(row.value);
      if (!parsed.ok()) return std::string("the engine's ") + row.collection + " row is not JSON";
      if (row.collection == "server")
        LoadServerRowLocked(parsed.value());
      else if (row.collection == "limiter")
        LoadLimiterLocked(parsed.value());
    }
  }
  return std::nullopt;
}

std::optional<std::string> MockServer::AttachStore(std::shared_ptr<StateStore> store,
                                                   bool* loaded) {
  if (loaded) *loaded = false;
  if (!store) return "no store";
  std::lock_guard lock(mutex_);
  std::vector<StateRow> rows;
  if (auto error = store->LoadAll(rows)) return error;
  auto group = std::make_shared<GroupCommitStore>(std::move(store));
  if (rows.empty()) {
    store_ = std::move(group);
    if (auto error = RewriteLocked()) {
      store_.reset();
      return error;
    }
    return std::nullopt;
  }
  loading_ = true;
  auto error = LoadRowsLocked(rows);
  loading_ = false;
  if (error) {
    // What was loaded so far is replaced by the fixtures again: the server is as it was.
    pending_rows_.clear();
    dirty_modules_.clear();
    for (auto& m : modules_) m->Reset(options_.seed);
    return error;
  }
  store_ = std::move(group);
  if (loaded) *loaded = true;
  std::optional<std::string> failed = CommitLocked();  // services the file did not have yet
  if (failed) store_.reset();
  return failed;
}

bool MockServer::durable() const {
  std::lock_guard lock(mutex_);
  return store_ != nullptr;
}

std::string MockServer::store_error() const {
  std::lock_guard lock(mutex_);
  return store_error_;
}

std::optional<InputProblem> MockServer::SaveSnapshot(const std::string& name, SnapshotInfo* info) {
  if (!ValidSnapshotName(name)) {
    return InputProblem{"snapshot name must be 1 to 64 letters, digits, '.', '_' or '-'; got \"" +
                            name.substr(0, 80) + "\"",
                        "name",
                        {},
                        "1 to 64 letters, digits, '.', '_' or '-'"};
  }
  std::lock_guard lock(mutex_);
  std::string world = core::DumpJson(World());
  SnapshotInfo made{name, core::FormatIso8601(Now()), world.size()};
  if (store_) {
    if (auto error = store_->PutSnapshot(made, world))
      return InputProblem{"snapshot not saved: " + *error, "", {}, ""};
  } else {
    memory_snapshots_[name] = {made, std::move(world)};
  }
  if (info) *info = made;
  return std::nullopt;
}

std::vector<SnapshotInfo> MockServer::Snapshots() const {
  std::lock_guard lock(mutex_);
  if (store_) return store_->ListSnapshots();
  std::vector<SnapshotInfo> out;
  for (const auto& [name, entry] : memory_snapshots_) out.push_back(entry.first);
  return out;
}

std::optional<std::string> MockServer::RestoreSnapshot(const std::string& name, bool* found) {
  if (found) *found = false;
  std::lock_guard lock(mutex_);
  std::string text;
  if (store_) {
    std::string error;
    auto world = store_->GetSnapshot(name, &error);
    if (!world) return error.empty() ? "no snapshot named \"" + name + "\"" : error;
    text = std::move(*world);
  } else {
    auto it = memory_snapshots_.find(name);
    if (it == memory_snapshots_.end()) return "no snapshot named \"" + name + "\"";
    text = it->second.second;
  }
  if (found) *found = true;
  auto parsed = core::ParseJson(text);
  if (!parsed.ok()) return "snapshot \"" + name + "\" is not valid JSON: " + parsed.error().message;
  outbox_.clear();
  return LoadWorld(parsed.value());
}

bool MockServer::DeleteSnapshot(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (store_) return store_->DeleteSnapshot(name);
  return memory_snapshots_.erase(name) > 0;
}

}  // namespace restbox::mock
