#pragma once
// restbox-mock --state FILE: the mock's StateStore in one SQLite database (Debian libsqlite3).
//
// - WAL journal with synchronous=NORMAL: a commit is in the WAL before Commit() returns, which
//   survives any crash of the process (kill -9); only an OS crash or power loss may roll back the
//   last commits (the database stays consistent).
// - An exclusive flock() on the file for the store's lifetime: a second process on the same file
//   is refused at start instead of sharing it.
// - WAL checkpoints run on a second connection in a thread of their own (every 200 ms, PASSIVE),
//   never inside a commit, so they do not stall requests.
// - The file identifies itself (PRAGMA application_id "RBXM") and carries a schema version
//   (PRAGMA user_version). A file that is not SQLite, or SQLite of another program, or a schema
//   newer than this build reads, is refused and never written; an older schema is migrated.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "restbox/mock/state_store.hpp"

struct sqlite3;

namespace restbox::mock {

inline constexpr int kStateSchemaVersion = 2;
inline constexpr int kStateApplicationId = 0x5242584d;  // "RBXM"

class SqliteStateStore final : public StateStore {
 public:
  // Opens or creates `path`. On failure returns nullptr and sets `*error` to a sentence naming
  // the file and what to do (in use by another process, not a state database, newer schema, a
  // JSON state file of an earlier restbox-mock). `*migrated_from` gets the older schema version
  // a file was migrated from (0: none).
  static std::unique_ptr<SqliteStateStore> Open(const std::string& path, std::string* error,
                                                int* migrated_from = nullptr);
  ~SqliteStateStore() override;
  SqliteStateStore(const SqliteStateStore&) = delete;
  SqliteStateStore& operator=(const SqliteStateStore&) = delete;

  std::optional<std::string> Commit(const std::vector<RowChange>& changes) override;
  std::optional<std::string> ReplaceAll(const std::vector<StateRow>& rows) override;
  std::optional<std::string> LoadAll(std::vector<StateRow>& rows) override;
  std::optional<std::string> PutSnapshot(const SnapshotInfo& info,
                                         const std::string& world) override;
  std::optional<std::string> GetSnapshot(const std::string& name, std::string* error) override;
  std::vector<SnapshotInfo> ListSnapshots() override;
  bool DeleteSnapshot(const std::string& name) override;

  const std::string& path() const { return path_; }

  class Statement;  // a prepared statement (sqlite_store.cpp)

 private:
  SqliteStateStore(sqlite3* db, std::string path);
  std::optional<std::string> Exec(const char* sql);
  void CheckpointLoop();
  std::string Message(const char* what) const;

  sqlite3* db_;
  std::string path_;
  std::unique_ptr<Statement> begin_, commit_, put_, erase_;
  int lock_fd_ = -1;
  sqlite3* checkpointer_ = nullptr;
  std::thread checkpoints_;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wake_;
  bool stopping_ = false;
};

}  // namespace restbox::mock
