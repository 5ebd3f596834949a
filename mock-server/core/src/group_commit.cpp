#include "restbox/mock/group_commit.hpp"

#include <utility>

namespace restbox::mock {

namespace {
// Failed batches remembered for their waiters. A waiter looks as soon as its batch is through,
// so only a burst of failures longer than this could push one out (it then reads the newest).
constexpr std::size_t kFailuresKept = 256;
}  // namespace

std::uint64_t GroupCommitStore::Enqueue(std::vector<RowChange> changes) {
  std::lock_guard lock(mutex_);
  if (changes.empty()) return enqueued_;
  if (queued_.empty()) {
    queued_ = std::move(changes);
  } else {
    queued_.insert(queued_.end(), std::make_move_iterator(changes.begin()),
                   std::make_move_iterator(changes.end()));
  }
  return ++enqueued_;
}

void GroupCommitStore::CommitQueuedLocked(std::unique_lock<std::mutex>& lock) {
  if (queued_.empty()) return;
  std::vector<RowChange> batch = std::move(queued_);
  queued_.clear();
  const std::uint64_t first = committed_ + 1, last = enqueued_;
  busy_ = true;
  lock.unlock();
  std::optional<std::string> error = inner_->Commit(batch);
  lock.lock();
  busy_ = false;
  committed_ = last;
  ++transactions_;
  committed_changes_ += batch.size();
  if (error) {
    failures_.push_back({first, last, std::move(*error)});
    while (failures_.size() > kFailuresKept) failures_.pop_front();
  }
  done_.notify_all();
}

std::optional<std::string> GroupCommitStore::ErrorOf(std::uint64_t ticket) const {
  for (auto it = failures_.rbegin(); it != failures_.rend(); ++it) {
    if (ticket >= it->first && ticket <= it->last) return it->error;
    if (it->last < ticket) break;
  }
  if (!failures_.empty() && ticket < failures_.front().first && ticket > 0 &&
      failures_.size() == kFailuresKept)
    return failures_.front().error;  // forgotten: say the oldest failure we still know
  return std::nullopt;
}

std::optional<std::string> GroupCommitStore::Wait(std::uint64_t ticket) {
  std::unique_lock lock(mutex_);
  while (committed_ < ticket) {
    if (busy_) {
      done_.wait(lock);
    } else {
      CommitQueuedLocked(lock);  // this waiter leads: everything queued so far, one transaction
    }
  }
  return ErrorOf(ticket);
}

std::optional<std::string> GroupCommitStore::Commit(const std::vector<RowChange>& changes) {
  return Wait(Enqueue(changes));
}

void GroupCommitStore::Exclusive(const std::function<void()>& fn) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (busy_) {
      done_.wait(lock);
    } else if (!queued_.empty()) {
      CommitQueuedLocked(lock);
    } else {
      break;
    }
  }
  busy_ = true;
  lock.unlock();
  fn();
  lock.lock();
  busy_ = false;
  done_.notify_all();
}

std::optional<std::string> GroupCommitStore::ReplaceAll(const std::vector<StateRow>& rows) {
  std::optional<std::string> error;
  Exclusive([&] { error = inner_->ReplaceAll(rows); });
  return error;
}

std::optional<std::string> GroupCommitStore::LoadAll(std::vector<StateRow>& rows) {
  std::optional<std::string> error;
  Exclusive([&] { error = inner_->LoadAll(rows); });
  return error;
}

std::optional<std::string> GroupCommitStore::PutSnapshot(const SnapshotInfo& info,
                                                         const std::string& world) {
  std::optional<std::string> error;
  Exclusive([&] { error = inner_->PutSnapshot(info, world); });
  return error;
}

std::optional<std::string> GroupCommitStore::GetSnapshot(const std::string& name,
                                                         std::string* error) {
  std::optional<std::string> world;
  Exclusive([&] { world = inner_->GetSnapshot(name, error); });
  return world;
}

std::vector<SnapshotInfo> GroupCommitStore::ListSnapshots() {
  std::vector<SnapshotInfo> list;
  Exclusive([&] { list = inner_->ListSnapshots(); });
  return list;
}

bool GroupCommitStore::DeleteSnapshot(const std::string& name) {
  bool deleted = false;
  Exclusive([&] { deleted = inner_->DeleteSnapshot(name); });
  return deleted;
}

std::uint64_t GroupCommitStore::transactions() const {
  std::lock_guard lock(mutex_);
  return transactions_;
}

std::uint64_t GroupCommitStore::committed_changes() const {
  std::lock_guard lock(mutex_);
  return committed_changes_;
}

}  // namespace restbox::mock
