#include "restbox/mock/sqlite_store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <thread>

namespace restbox::mock {
namespace {

// Schema 1: the rows. Schema 2 added the named snapshots.
constexpr const char* kRowsTable =
    "CREATE TABLE IF NOT EXISTS rows(service TEXT NOT NULL, collection TEXT NOT NULL, "
    "key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(service, collection, key)) WITHOUT ROWID;";
constexpr const char* kSnapshotsTable =
    "CREATE TABLE IF NOT EXISTS snapshots(name TEXT PRIMARY KEY NOT NULL, created_at TEXT NOT "
    "NULL, "
    "world TEXT NOT NULL);";

}  // namespace

// RAII for one prepared statement.
class SqliteStateStore::Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return rc_ == SQLITE_OK && stmt_; }
  sqlite3_stmt* get() { return stmt_; }
  void Text(int index, const std::string& text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  std::string Column(int index) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index)))
             : std::string();
  }
  int Step() { return sqlite3_step(stmt_); }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

namespace {
using Statement = SqliteStateStore::Statement;

// First bytes of `path`: "" when it does not exist or is empty.
std::string Head(const std::string& path, std::size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string head(n, '\0');
  in.read(head.data(), static_cast<std::streamsize>(n));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

std::optional<long long> PragmaInt(sqlite3* db, const char* sql, int* rc) {
  Statement s(db, sql);
  if (!s.ok()) {
    *rc = sqlite3_errcode(db);
    return std::nullopt;
  }
  *rc = s.Step();
  if (*rc != SQLITE_ROW) return std::nullopt;
  *rc = SQLITE_OK;
  return sqlite3_column_int64(s.get(), 0);
}

}  // namespace

SqliteStateStore::SqliteStateStore(sqlite3* db, std::string path)
    : db_(db), path_(std::move(path)) {}

void SqliteStateStore::CheckpointLoop() {
  std::unique_lock lock(checkpoint_mutex_);
  while (!stopping_) {
    checkpoint_wake_.wait_for(lock, std::chrono::milliseconds(200));
    if (stopping_) break;
    lock.unlock();
    // PASSIVE: copies what no reader still needs, never waits for the writer.
    sqlite3_wal_checkpoint_v2(checkpointer_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
  }
}

SqliteStateStore::~SqliteStateStore() {
  {
    std::lock_guard lock(checkpoint_mutex_);
    stopping_ = true;
  }
  checkpoint_wake_.notify_all();
  if (checkpoints_.joinable()) checkpoints_.join();
  sqlite3_close_v2(checkpointer_);
  begin_.reset();
  commit_.reset();
  put_.reset();
  erase_.reset();
  sqlite3_close_v2(db_);  // the last connection: checkpoints the WAL and removes it
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::unique_ptr<SqliteStateStore> SqliteStateStore::Open(const std::string& path,
                                                         std::string* error, int* migrated_from) {
  if (migrated_from) *migrated_from = 0;
  auto fail = [&](std::string message) -> std::unique_ptr<SqliteStateStore> {
    if (error) *error = std::move(message);
    return nullptr;
  };
  // Look before SQLite touches the file: anything that is not an SQLite database is left as it is.
  const std::string head = Head(path, 16);
  if (!head.empty() && head != std::string("SQLite format 3\0", 16)) {
    std::size_t first = head.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && head[first] == '{') {
      return fail(
          path +
          " is a JSON state file of an earlier restbox-mock (before SQLite); refusing to start, "
          "the file is left untouched. Carry it over with --state NEW.db --import-state " +
          path);
    }
    return fail(
        path +
        " is not a restbox-mock state database (not SQLite); refusing to start, the file is "
        "left untouched. Give --state a new file name");
  }
  // One process per file: an exclusive flock() on the database for the store's lifetime (SQLite's
  // own locks are POSIX record locks, which flock does not touch on Linux). Taken before the file
  // is read, so a second restbox-mock is refused before it does anything.
  const int lock_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) return fail("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd);
    return fail(
        path +
        " is in use by another process (restbox-mock holds its state file exclusively); stop "
        "the other restbox-mock or give --state another file");
  }
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    ::close(lock_fd);
    return fail("cannot open " + path + ": " + message);
  }
  std::unique_ptr<SqliteStateStore> store(new SqliteStateStore(db, path));
  store->lock_fd_ = lock_fd;
  sqlite3_busy_timeout(db, 0);  // another process holding the file: refused at once, not waited for
  auto busy_or = [&](int code, const std::string& otherwise) {
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      return fail(
          path +
          " is in use by another process (restbox-mock holds its state file exclusively); stop "
          "the other restbox-mock or give --state another file");
    }
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
      return fail(path + " is damaged (" + sqlite3_errstr(code) +
                  "); refusing to start, the file is left "
                  "untouched. Give --state a new file name");
    }
    return fail(otherwise);
  };
  auto app = PragmaInt(db, "PRAGMA application_id;", &rc);
  if (!app) return busy_or(rc, store->Message("cannot read"));
  auto version = PragmaInt(db, "PRAGMA user_version;", &rc);
  if (!version) return busy_or(rc, store->Message("cannot read"));
  auto tables = PragmaInt(db, "SELECT count(*) FROM sqlite_master;", &rc);
  if (!tables) return busy_or(rc, store->Message("cannot read"));
  const bool fresh = *app == 0 && *version == 0 && *tables == 0;
  if (!fresh && *app != kStateApplicationId) {
    return fail(path + " is an SQLite database of another program (application_id " +
                std::to_string(*app) +
                "), not a restbox-mock state file; refusing to start, the file is left untouched");
  }
  if (*version > kStateSchemaVersion) {
    return fail(path + " has state schema version " + std::to_string(*version) +
                ", newer than this restbox-mock reads (" + std::to_string(kStateSchemaVersion) +
                "); use a newer restbox-mock, or export the state with it "
                "(--export-state) and import it here. The file is left untouched");
  }
  if (!fresh && *version < 1)
    return fail(path +
                " has no state schema version; refusing to start, the file is left untouched");
  if (!fresh) {
    Statement check(db, "PRAGMA quick_check;");
    int step = check.ok() ? check.Step() : sqlite3_errcode(db);
    if (step != SQLITE_ROW) return busy_or(step, store->Message("cannot check"));
    if (check.Column(0) != "ok") {
      return fail(path + " is damaged (" + check.Column(0) +
                  "); refusing to start, the file is left untouched");
    }
  }
  // From here on the file is ours: WAL (a commit is one append), synchronous=NORMAL (a commit
  // survives a crash of the process; see the header).
  if (auto e = store->Exec("PRAGMA journal_mode=WAL;")) return busy_or(sqlite3_errcode(db), *e);
  if (auto e = store->Exec("PRAGMA synchronous=NORMAL;")) return fail(*e);
  // Checkpoints (copying the WAL into the database, with its fsyncs) would run inside a commit,
  // under the engine's lock, and stall every request for their duration: they run on a second
  // connection in a thread of their own instead (WAL lets one checkpoint run beside the writer).
  if (auto e = store->Exec("PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;"))
    return fail(*e);
  if (auto e = store->Exec("BEGIN IMMEDIATE;")) return busy_or(sqlite3_errcode(db), *e);
  std::string setup = std::string(kRowsTable) + kSnapshotsTable +
                      "PRAGMA application_id=" + std::to_string(kStateApplicationId) + ";" +
                      "PRAGMA user_version=" + std::to_string(kStateSchemaVersion) + ";";
  if (auto e = store->Exec(setup.c_str())) {
    store->Exec("ROLLBACK;");
    return fail(*e);
  }
  if (auto e = store->Exec("COMMIT;")) return busy_or(sqlite3_errcode(db), *e);
  if (!fresh && *version < kStateSchemaVersion && migrated_from)
    *migrated_from = static_cast<int>(*version);
  if (sqlite3_open_v2(path.c_str(), &store->checkpointer_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
    return fail("cannot open " + path +
                " for checkpoints: " + sqlite3_errmsg(store->checkpointer_));
  }
  sqlite3_busy_timeout(store->checkpointer_, 50);
  store->checkpoints_ = std::thread([s = store.get()] { s->CheckpointLoop(); });
  return store;
}

std::optional<std::string> SqliteStateStore::Exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) == SQLITE_OK) return std::nullopt;
  std::string text = path_ + ": " + (message ? message : sqlite3_errmsg(db_));
  sqlite3_free(message);
  return text;
}

std::string SqliteStateStore::Message(const char* what) const {
  return std::string(what) + " " + path_ + ": " + sqlite3_errmsg(db_);
}

std::optional<std::string> SqliteStateStore::Commit(const std::vector<RowChange>& changes) {
  if (changes.empty()) return std::nullopt;
  // The statements of every commit, prepared once (a commit is then four steps and the rows).
  if (!begin_) {
    begin_ = std::make_unique<Statement>(db_, "BEGIN IMMEDIATE;");
    commit_ = std::make_unique<Statement>(db_, "COMMIT;");
    put_ = std::make_unique<Statement>(
        db_,
        "INSERT OR REPLACE INTO rows(service, collection, key, value) VALUES(?1, ?2, ?3, ?4);");
    erase_ = std::make_unique<Statement>(
        db_, "DELETE FROM rows WHERE service=?1 AND collection=?2 AND key=?3;");
  }
  if (!begin_->ok() || !commit_->ok() || !put_->ok() || !erase_->ok())
    return Message("cannot prepare");
  const int began = begin_->Step();
  begin_->Reset();
  if (began != SQLITE_DONE) return Message("cannot write");
  bool ok = true;
  for (const auto& c : changes) {
    Statement& s = c.value ? *put_ : *erase_;
    s.Text(1, c.service);
    s.Text(2, c.collection);
    s.Text(3, c.key);
    if (c.value) s.Text(4, *c.value);
    ok = s.Step() == SQLITE_DONE;
    s.Reset();
    if (!ok) break;
  }
  if (ok) {
    ok = commit_->Step() == SQLITE_DONE;
    commit_->Reset();
  }
  if (!ok) {
    std::string message = Message("cannot write");
    Exec("ROLLBACK;");
    return message;
  }
  return std::nullopt;
}

std::optional<std::string> SqliteStateStore::ReplaceAll(const std::vector<StateRow>& rows) {
  if (auto e = Exec("BEGIN IMMEDIATE;")) return e;
  bool ok = !Exec("DELETE FROM rows;");
  {
    Statement put(
        db_,
        "INSERT OR REPLACE INTO rows(service, collection, key, value) VALUES(?1, ?2, ?3, ?4);");
    ok = ok && put.ok();
    for (const auto& r : rows) {
      if (!ok) break;
      put.Text(1, r.service);
      put.Text(2, r.collection);
      put.Text(3, r.key);
      put.Text(4, r.value);
      ok = put.Step() == SQLITE_DONE;
      put.Reset();
    }
  }
  if (!ok) {
    std::string message = Message("cannot write");
    Exec("ROLLBACK;");
    return message;
  }
  if (auto e = Exec("COMMIT;")) {
    Exec("ROLLBACK;");
    return e;
  }
  return std::nullopt;
}

std::optional<std::string> SqliteStateStore::LoadAll(std::vector<StateRow>& rows) {
  Statement s(
      db_, "SELECT service, collection, key, value FROM rows ORDER BY service, collection, key;");
  if (!s.ok()) return Message("cannot read");
  int rc = 0;
  while ((rc = s.Step()) == SQLITE_ROW)
    rows.push_back({s.Column(0), s.Column(1), s.Column(2), s.Column(3)});
  if (rc != SQLITE_DONE) return Message("cannot read");
  return std::nullopt;
}

std::optional<std::string> SqliteStateStore::PutSnapshot(const SnapshotInfo& info,
                                                         const std::string& world) {
  Statement s(db_, "INSERT OR REPLACE INTO snapshots(name, created_at, world) VALUES(?1, ?2, ?3);");
  if (!s.ok()) return Message("cannot write");
  s.Text(1, info.name);
  s.Text(2, info.created_at);
  s.Text(3, world);
  if (s.Step() != SQLITE_DONE) return Message("cannot write");
  return std::nullopt;
}

std::optional<std::string> SqliteStateStore::GetSnapshot(const std::string& name,
                                                         std::string* error) {
  Statement s(db_, "SELECT world FROM snapshots WHERE name=?1;");
  if (!s.ok()) {
    if (error) *error = Message("cannot read");
    return std::nullopt;
  }
  s.Text(1, name);
  int rc = s.Step();
  if (rc == SQLITE_ROW) return s.Column(0);
  if (rc != SQLITE_DONE && error) *error = Message("cannot read");
  return std::nullopt;
}

std::vector<SnapshotInfo> SqliteStateStore::ListSnapshots() {
  std::vector<SnapshotInfo> out;
  Statement s(db_, "SELECT name, created_at, length(world) FROM snapshots ORDER BY name;");
  if (!s.ok()) return out;
  while (s.Step() == SQLITE_ROW)
    out.push_back(
        {s.Column(0), s.Column(1), static_cast<std::size_t>(sqlite3_column_int64(s.get(), 2))});
  return out;
}

bool SqliteStateStore::DeleteSnapshot(const std::string& name) {
  Statement s(db_, "DELETE FROM snapshots WHERE name=?1;");
  if (!s.ok()) return false;
  s.Text(1, name);
  return s.Step() == SQLITE_DONE && sqlite3_changes(db_) > 0;
}

}  // namespace restbox::mock
