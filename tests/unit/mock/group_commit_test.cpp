// GroupCommitStore (mock-server/core): changes queued in order, committed by the first waiter
// as one transaction, an answer's changes committed before Wait returns, failures reported to
// the waiters of the failed batch only, and the store never used by two calls at once.
#include "restbox/mock/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#ifndef __EMSCRIPTEN__
#include <thread>
#endif
#include <vector>

#include "recording_state_store.hpp"

namespace restbox::mock {
namespace {

RowChange Put(const std::string& key, const std::string& value = "1") {
  return {"svc", "rows", key, value};
}

// The recording store behind a mutex, with a gate that holds the next Commit until opened, a
// failure to return from the next Commit, and a log of the calls in the order they ran.
class GatedStore : public testing::RecordingStore {
 public:
  std::optional<std::string> Commit(const std::vector<RowChange>& changes) override {
    Enter("commit " + std::to_string(changes.size()));
    {
      std::unique_lock lock(mutex_);
      ++waiting_at_gate_;
      changed_.notify_all();
      changed_.wait(lock, [&] { return !closed_; });
      --waiting_at_gate_;
    }
    std::optional<std::string> error;
    {
      std::lock_guard lock(mutex_);
      error = std::exchange(fail_next_, std::nullopt);
      if (!error) RecordingStore::Commit(changes);
    }
    Leave();
    return error;
  }
  std::optional<std::string> ReplaceAll(const std::vector<StateRow>& all) override {
    Enter("replace " + std::to_string(all.size()));
    std::lock_guard lock(mutex_);
    RecordingStore::ReplaceAll(all);
    Leave();
    return std::nullopt;
  }

  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  void Open() {
    std::lock_guard lock(mutex_);
    closed_ = false;
    changed_.notify_all();
  }
  void WaitUntilAtGate() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return waiting_at_gate_ > 0; });
  }
  void FailNext(std::string error) {
    std::lock_guard lock(mutex_);
    fail_next_ = std::move(error);
  }
  bool Has(const std::string& key) {
    std::lock_guard lock(mutex_);
    return rows.contains({"svc", "rows", key});
  }
  std::vector<std::string> Calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  int overlaps() const { return overlaps_; }

 private:
  void Enter(std::string call) {
    if (inside_.fetch_add(1) != 0) ++overlaps_;
    std::lock_guard lock(mutex_);
    calls_.push_back(std::move(call));
  }
  void Leave() { inside_.fetch_sub(1); }

  std::mutex mutex_;
  std::condition_variable changed_;
  bool closed_ = false;
  int waiting_at_gate_ = 0;
  std::optional<std::string> fail_next_;
  std::vector<std::string> calls_;
  std::atomic<int> inside_{0};
  std::atomic<int> overlaps_{0};
};

TEST(GroupCommitStore, QueuedChangesWaitForAWaiterThenGoAsOneTransactionInOrder) {
  auto inner = std::make_shared<GatedStore>();
  GroupCommitStore store(inner);
  store.Enqueue({Put("a", "1")});
  store.Enqueue({Put("a", "2"), Put("b")});
  const auto last = store.Enqueue({{"svc", "rows", "b", std::nullopt}});
  EXPECT_TRUE(inner->Calls().empty()) << "Enqueue does no I/O";
  EXPECT_EQ(store.Wait(last), std::nullopt);
  EXPECT_EQ(inner->Calls(), std::vector<std::string>{"commit 4"});
  EXPECT_EQ(inner->rows.at({"svc", "rows", "a"}), "2") << "later changes win: applied in order";
  EXPECT_FALSE(inner->Has("b"));
  EXPECT_EQ(store.transactions(), 1u);
  EXPECT_EQ(store.committed_changes(), 4u);
  // Nothing queued: the ticket of the last change, already through.
  EXPECT_EQ(store.Enqueue({}), last);
  EXPECT_EQ(store.Wait(last), std::nullopt);
  EXPECT_EQ(store.transactions(), 1u);
}

TEST(GroupCommitStore, AFailedTransactionIsTheErrorOfItsOwnWaitersOnly) {
  auto inner = std::make_shared<GatedStore>();
  GroupCommitStore store(inner);
  EXPECT_EQ(store.Commit({Put("ok-before")}), std::nullopt);
  inner->FailNext("disk full");
  const auto a = store.Enqueue({Put("lost-1")});
  const auto b = store.Enqueue({Put("lost-2")});
  EXPECT_EQ(store.Wait(b), "disk full");
  EXPECT_EQ(store.Wait(a), "disk full") << "both were in the failed transaction";
  EXPECT_FALSE(inner->Has("lost-1"));
  EXPECT_EQ(store.Commit({Put("ok-after")}), std::nullopt) << "the next transaction is its own";
  EXPECT_TRUE(inner->Has("ok-after"));
}

#ifndef __EMSCRIPTEN__  // threads: the wasm build has none (and no SQLite store)
TEST(GroupCommitStore, WritesQueuedDuringACommitGoTogetherInTheNext) {
  auto inner = std::make_shared<GatedStore>();
  GroupCommitStore store(inner);
  inner->Close();
  std::thread leader([&] { EXPECT_EQ(store.Wait(store.Enqueue({Put("first")})), std::nullopt); });
  inner->WaitUntilAtGate();  // the first batch is inside the store, the queue is free
  std::vector<std::thread> followers;
  for (int i = 0; i < 5; ++i) {
    const auto ticket = store.Enqueue({Put("k" + std::to_string(i))});
    followers.emplace_back([&store, &inner, ticket, i] {
      EXPECT_EQ(store.Wait(ticket), std::nullopt);
      EXPECT_TRUE(inner->Has("k" + std::to_string(i))) << "committed before Wait returns";
    });
  }
  inner->Open();
  leader.join();
  for (auto& t : followers) t.join();
  EXPECT_EQ(inner->Calls(), (std::vector<std::string>{"commit 1", "commit 5"}));
  EXPECT_EQ(inner->overlaps(), 0);
}

TEST(GroupCommitStore, ARewriteWaitsForTheRunningBatchAndCommitsTheQueueFirst) {
  auto inner = std::make_shared<GatedStore>();
  GroupCommitStore store(inner);
  inner->Close();
  std::thread leader([&] { store.Wait(store.Enqueue({Put("running")})); });
  inner->WaitUntilAtGate();
  store.Enqueue({Put("queued-1"), Put("queued-2")});
  std::thread rewrite([&] {
    EXPECT_EQ(store.ReplaceAll({{"svc", "rows", "only", "x"}}), std::nullopt);
  });
  inner->Open();
  leader.join();
  rewrite.join();
  EXPECT_EQ(inner->Calls(), (std::vector<std::string>{"commit 1", "commit 2", "replace 1"}));
  EXPECT_EQ(inner->overlaps(), 0);
  EXPECT_TRUE(inner->Has("only"));
  EXPECT_FALSE(inner->Has("queued-1"));
}

TEST(GroupCommitStore, ManyWritersEveryAnswerFindsItsChangeCommitted) {
  auto inner = std::make_shared<GatedStore>();
  GroupCommitStore store(inner);
  std::mutex order;  // stands for the engine lock: tickets are taken in the engine's order
  std::vector<std::thread> writers;
  std::atomic<int> missing{0};
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 200; ++i) {
        const std::string key = std::to_string(w) + "-" + std::to_string(i);
        std::uint64_t ticket;
        {
          std::lock_guard lock(order);
          ticket = store.Enqueue({Put(key)});
        }
        if (store.Wait(ticket) || !inner->Has(key)) ++missing;
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(missing.load(), 0);
  EXPECT_EQ(inner->rows.size(), 1600u);
  EXPECT_EQ(store.committed_changes(), 1600u);
  EXPECT_LE(store.transactions(), 1600u);
  EXPECT_EQ(inner->overlaps(), 0);
}

#endif

}  // namespace
}  // namespace restbox::mock
