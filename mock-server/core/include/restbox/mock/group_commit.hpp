#pragma once
// Group commit in front of a StateStore (issue 11: p99 under 5 ms at 16 connections with
// --state). A request's changes are queued in the engine's order under the engine lock
// (Enqueue: a move, no I/O), and the request waits for them outside that lock (Wait): the first
// waiter commits everything queued so far in one transaction while the others keep working in
// memory, so the engine lock is never held across a commit and N concurrent writes cost one
// transaction instead of N. An answer still leaves only after every change it made, or read, is
// committed (Wait's ticket covers every change queued before it), so `kill -9` at any moment
// loses no acknowledged write.
//
// Every other call (Commit, ReplaceAll, LoadAll, snapshots) first commits what is queued and runs
// alone on the store: a batch never interleaves with a rewrite on the one SQLite connection.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "restbox/mock/state_store.hpp"

namespace restbox::mock {

class GroupCommitStore final : public StateStore {
 public:
  explicit GroupCommitStore(std::shared_ptr<StateStore> inner) : inner_(std::move(inner)) {}

  // Queues `changes` (applied after everything queued before them) and returns the ticket to
  // Wait for. Nothing to queue: the ticket of the last change queued, so a request that read
  // what an earlier one wrote still waits for that write to be committed.
  std::uint64_t Enqueue(std::vector<RowChange> changes);
  // Returns once every change up to `ticket` is committed, or with the error of the transaction
  // that held it. The first waiter commits the queue; the others wait for it.
  std::optional<std::string> Wait(std::uint64_t ticket);

  // Enqueue + Wait.
  std::optional<std::string> Commit(const std::vector<RowChange>& changes) override;
  std::optional<std::string> ReplaceAll(const std::vector<StateRow>& rows) override;
  std::optional<std::string> LoadAll(std::vector<StateRow>& rows) override;
  std::optional<std::string> PutSnapshot(const SnapshotInfo& info,
                                         const std::string& world) override;
  std::optional<std::string> GetSnapshot(const std::string& name, std::string* error) override;
  std::vector<SnapshotInfo> ListSnapshots() override;
  bool DeleteSnapshot(const std::string& name) override;

  // Transactions committed and changes they held (the benchmark reports the batch size).
  std::uint64_t transactions() const;
  std::uint64_t committed_changes() const;

 private:
  // With mutex_ held and no batch running: commits the queue (if any) as one transaction.
  void CommitQueuedLocked(std::unique_lock<std::mutex>& lock);
  // Runs `fn` on the store alone, after committing what is queued.
  void Exclusive(const std::function<void()>& fn);
  std::optional<std::string> ErrorOf(std::uint64_t ticket) const;

  std::shared_ptr<StateStore> inner_;
  mutable std::mutex mutex_;
  std::condition_variable done_;
  std::vector<RowChange> queued_;
  std::uint64_t enqueued_ = 0;   // the ticket of the last change queued
  std::uint64_t committed_ = 0;  // every ticket up to this one is through (committed or failed)
  bool busy_ = false;            // a batch or an exclusive call is running on the store
  struct Failure {
    std::uint64_t first, last;
    std::string error;
  };
  std::deque<Failure> failures_;  // the latest failed batches (a waiter finds its own)
  std::uint64_t transactions_ = 0, committed_changes_ = 0;
};

}  // namespace restbox::mock
