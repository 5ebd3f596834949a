#pragma once
// The store seam of the mock engine (DESIGN: durable state lives in SQLite behind one seam).
// Without a store the engine keeps everything in memory (tests, wasm, restbox-mock without
// --state). With one (restbox-mock --state FILE: SqliteStateStore), MockServer commits every
// change of its state as rows before the answer of the request that made it leaves, so a crash at
// any moment loses no acknowledged write.
//
// A row is (service, collection, key) -> value (JSON text). Services that report their changes
// record by record (ServiceModule::HasRows: chikage, wncms, findhelper, inventory) own many small
// rows; the others are one row (collection "state", key "") holding ServiceModule::SaveState().
// The engine's own state (fault rules, clock offset, limiter counters) is service "__server".

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace restbox::mock {

struct StateRow {
  std::string service;
  std::string collection;
  std::string key;
  std::string value;  // JSON text
};

// `n` as a fixed-width (20 digit) decimal: row keys made of it sort in numeric order, so rows
// loaded in key order come back in the order they were numbered.
inline std::string OrderedRowKey(std::uint64_t n) {
  std::string digits = std::to_string(n);
  return std::string(digits.size() < 20 ? 20 - digits.size() : 0, '0') + digits;
}

// One change: `value` set = insert or replace the row, nullopt = delete it.
struct RowChange {
  std::string service;
  std::string collection;
  std::string key;
  std::optional<std::string> value;
};

struct SnapshotInfo {
  std::string name;
  std::string created_at;  // ISO 8601, the mock's time when it was taken
  std::size_t bytes = 0;   // size of its JSON
};

// Every call is made under the engine's lock, one at a time. Errors are messages (a full disk, a
// file removed underneath); a failed call changes nothing.
class StateStore {
 public:
  virtual ~StateStore() = default;
  // Applies `changes` in one transaction, committed when this returns.
  virtual std::optional<std::string> Commit(const std::vector<RowChange>& changes) = 0;
  // Replaces every row with `rows` in one transaction (reset, restore, import). Snapshots stay.
  virtual std::optional<std::string> ReplaceAll(const std::vector<StateRow>& rows) = 0;
  // Every row, ordered by (service, collection, key).
  virtual std::optional<std::string> LoadAll(std::vector<StateRow>& rows) = 0;

  // Named snapshots of the whole world (MockServer::World() as JSON text).
  virtual std::optional<std::string> PutSnapshot(const SnapshotInfo& info,
                                                 const std::string& world) = 0;
  // Nullopt when there is no snapshot `name` (an error sets `error`).
  virtual std::optional<std::string> GetSnapshot(const std::string& name, std::string* error) = 0;
  virtual std::vector<SnapshotInfo> ListSnapshots() = 0;
  virtual bool DeleteSnapshot(const std::string& name) = 0;
};

}  // namespace restbox::mock
