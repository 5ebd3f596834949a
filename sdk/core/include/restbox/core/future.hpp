#pragma once
// Future<T>: the result of an asynchronous SDK call. Attach a continuation with Then() (works
// everywhere, including the browser), or block with Get() (native builds only). Cancel() cancels
// the call: its result becomes an Error of kind kCancelled unless it had already completed.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "restbox/core/context.hpp"
#include "restbox/core/result.hpp"

namespace restbox::core {

template <typename T>
class Promise;

template <typename T>
class Future final {
 public:
  using Continuation = std::function<void(Result<T>)>;

  Future() = default;

  // Runs `continuation` once with the result: at once (on this thread) if it is already there,
  // otherwise on the thread that completes the call. Only one continuation may be attached.
  void Then(Continuation continuation) {
    std::unique_lock lock(state_->mutex);
    if (state_->result) {
      Result<T> result = std::move(*state_->result);
      state_->result.reset();
      state_->consumed = true;
      lock.unlock();
      continuation(std::move(result));
      return;
    }
    state_->continuation = std::move(continuation);
  }

  bool ready() const {
    std::lock_guard lock(state_->mutex);
    return state_->result.has_value();
  }

  void Cancel() {
    if (state_->cancellation) state_->cancellation->Cancel();
  }

  // Takes the result if it is there, without blocking (works in the browser too).
  std::optional<Result<T>> TryGet() {
    std::lock_guard lock(state_->mutex);
    if (!state_->result) return std::nullopt;
    std::optional<Result<T>> out(std::move(*state_->result));
    state_->result.reset();
    state_->consumed = true;
    return out;
  }

#ifndef __EMSCRIPTEN__
  // Blocks until the result is there. Native only: the browser's event loop must never block.
  Result<T> Get() {
    std::unique_lock lock(state_->mutex);
    state_->cv.wait(lock, [&] { return state_->result.has_value(); });
    Result<T> result = std::move(*state_->result);
    state_->result.reset();
    state_->consumed = true;
    return result;
  }
#endif

 private:
  friend class Promise<T>;
  struct State {
    std::mutex mutex;
    std::condition_variable cv;
    std::optional<Result<T>> result;
    Continuation continuation;
    bool consumed = false;
    std::shared_ptr<CancellationSource> cancellation;
  };
  explicit Future(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

template <typename T>
class Promise final {
 public:
  explicit Promise(std::shared_ptr<CancellationSource> cancellation = nullptr)
      : state_(std::make_shared<typename Future<T>::State>()) {
    state_->cancellation = std::move(cancellation);
  }
  Future<T> GetFuture() const { return Future<T>(state_); }

  // Delivers the result. Later calls are ignored.
  void Set(Result<T> result) const {
    std::unique_lock lock(state_->mutex);
    if (state_->result || state_->consumed) return;
    if (state_->continuation) {
      auto continuation = std::move(state_->continuation);
      state_->continuation = nullptr;
      state_->consumed = true;
      lock.unlock();
      continuation(std::move(result));
      return;
    }
    state_->result.emplace(std::move(result));
    lock.unlock();
    state_->cv.notify_all();
  }

 private:
  std::shared_ptr<typename Future<T>::State> state_;
};

}  // namespace restbox::core
