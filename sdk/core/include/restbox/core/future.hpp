#pragma once
// Future<T>: the result of an asynchronous SDK call.
//
//   client.Get("orders", id)                                    // Future<Record>
//       .Then([](Result<Record> r) { return r->data; })         // Future<Json>
//       .Then([&](Result<Json> data) { return client.Create("copies", data.value()); })
//                                                               // Future<QueuedWrite> (flattened)
//       .Then([](Result<QueuedWrite> q) { if (!q) std::cerr << q.error() << '\n'; })
//       .Wait();                                                // native: block until it ran
//
// Then(continuation) attaches the one continuation of this future and returns a new future for
// what the continuation gives. It works everywhere, the browser too. The continuation receives
// the Result (value or Error: it runs on errors as well, including kCancelled) and may return:
//   void          -> Future<Empty>, completed once the continuation has run
//   U             -> Future<U>, holding U and this call's ResponseMeta
//   Result<U>     -> Future<U>, holding that Result (a Result without meta gets this call's meta)
//   Future<U>     -> Future<U>, completed by that future (a call started in the continuation)
// A continuation that throws completes the chained future with an Error instead of escaping into
// the thread that delivered the result: a BadResultAccess (value() of a failed Result) gives the
// Error it carries, so errors pass down a chain unchanged; any other exception gives kind
// kContinuation with its what(). Continuations run at once (on the calling thread) when the
// result is already there, otherwise on the thread that completes the call: a transport's worker
// (curl), the scheduler's thread, or inline in the browser's event loop. Keep them short.
//
// Cancel() cancels the call: its result becomes an Error of kind kCancelled unless it had already
// completed. On a chained future it cancels the original call and any call a continuation
// returned, so cancelling the end of a chain stops whatever part of it is still under way.
//
// Each future has one consumer: Then() once, or Get()/TryGet(). A second Then(), or Get()/Wait()
// after Then() (the result goes to the continuation, never to this future), throws
// std::logic_error instead of losing the continuation or blocking forever: wait on the future
// that Then() returned.
//
// Lifetime: a call owns what it needs until it completes (its request, the client's pipeline and
// through it the transport, the continuation), so a Future and its continuation may outlive the
// client that started the call, and dropping the Future does not cancel the call. See
// restbox/core/client.hpp ("Lifetime of calls") for the exact rule.
//
// With an asynchronous transport (curl natively, fetch in the browser) a continuation runs
// later, on another thread: a short native main() that attaches Then() and returns at once ends
// before anything is printed. Wait for the chain, e.g. `client.Call(...).Then(print).Wait();`,
// or use Get(). (The in-process transport usually answers inline, which hides the problem.)

#include <chrono>
#include <concepts>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "restbox/core/context.hpp"
#include "restbox/core/result.hpp"

namespace restbox::core {

template <typename T>
class Promise;
template <typename T>
class Future;

namespace detail {

// What Future<T>::Then(F) returns, from what F returns.
template <typename R>
struct ThenValue {
  using Type = R;
};
template <>
struct ThenValue<void> {
  using Type = Empty;
};
template <typename U>
struct ThenValue<Result<U>> {
  using Type = U;
};
template <typename U>
struct ThenValue<Future<U>> {
  using Type = U;
};

template <typename R>
struct IsResult : std::false_type {};
template <typename U>
struct IsResult<Result<U>> : std::true_type {};
template <typename R>
struct IsFuture : std::false_type {};
template <typename U>
struct IsFuture<Future<U>> : std::true_type {};

// The Error a throwing continuation leaves behind (call inside a catch block).
inline Error ContinuationError() {
  try {
    throw;
  } catch (const BadResultAccess& e) {
    return e.error();
  } catch (const std::exception& e) {
    return MakeError(ErrorKind::kContinuation, std::string("a continuation threw: ") + e.what());
  } catch (...) {
    return MakeError(ErrorKind::kContinuation, "a continuation threw a non-standard exception");
  }
}

}  // namespace detail

// The result type of Future<T>::Then(F).
template <typename T, typename F>
using ThenResult =
    typename detail::ThenValue<std::remove_cvref_t<std::invoke_result_t<F&, Result<T>>>>::Type;

template <typename T>
class Future final {
 public:
  // A future that no promise completes (Get() would wait forever); SDK calls never return one.
  Future() = default;

  // Attaches `continuation` (see the top of this file) and returns the future of what it gives.
  template <typename F>
  requires std::invocable<F&, Result<T>> Future<ThenResult<T, F>> Then(F continuation) {
    using R = std::remove_cvref_t<std::invoke_result_t<F&, Result<T>>>;
    using U = ThenResult<T, F>;
    std::shared_ptr<CancellationSource> cancellation = state_->cancellation;
    if constexpr (detail::IsFuture<R>::value) {
      // The chain's own source reaches both calls: this one now, the returned one once it exists.
      auto chain = std::make_shared<CancellationSource>();
      if (cancellation) chain->OnCancel([cancellation] { cancellation->Cancel(); });
      cancellation = chain;
    }
    Promise<U> promise(cancellation);
    Future<U> next = promise.GetFuture();
    Attach(
        [continuation = std::move(continuation), promise, cancellation](Result<T> result) mutable {
          if constexpr (std::is_void_v<R>) {
            ResponseMeta meta = result.meta();
            try {
              continuation(std::move(result));
            } catch (...) {
              promise.Set(Result<U>(detail::ContinuationError(), std::move(meta)));
              return;
            }
            promise.Set(Result<U>(Empty{}, std::move(meta)));
          } else if constexpr (detail::IsFuture<R>::value) {
            try {
              Future<U> inner = continuation(std::move(result));
              if (auto inner_cancellation = inner.state_->cancellation) {
                cancellation->OnCancel([inner_cancellation] { inner_cancellation->Cancel(); });
              }
              inner.Attach([promise](Result<U> r) { promise.Set(std::move(r)); });
            } catch (...) {
              promise.Set(detail::ContinuationError());
            }
          } else {
            ResponseMeta meta = result.meta();
            std::optional<Result<U>> out;
            try {
              if constexpr (detail::IsResult<R>::value) {
                out.emplace(continuation(std::move(result)));
                if (out->meta().empty()) out->meta() = std::move(meta);
              } else {
                out.emplace(Result<U>(continuation(std::move(result)), std::move(meta)));
              }
            } catch (...) {
              out.emplace(Result<U>(detail::ContinuationError(), std::move(meta)));
            }
            promise.Set(std::move(*out));
          }
        });
    return next;
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
  // Blocks until the result is there and takes it. Native only: the browser's event loop must
  // never block. Never call it from a continuation or a transport's completion (that thread is
  // the one that would deliver the result). Throws std::logic_error after Then() or once the
  // result was taken.
  Result<T> Get() {
    std::unique_lock lock(state_->mutex);
    CheckWaitable();
    state_->cv.wait(lock, [&] { return state_->result.has_value(); });
    Result<T> result = std::move(*state_->result);
    state_->result.reset();
    state_->consumed = true;
    return result;
  }

  // Blocks until the result is there, without taking it (Get() or TryGet() then return it).
  // Native only, same rules as Get(). Typical end of a chain in main():
  //   client.Call(...).Then([](auto r) { print(r); }).Wait();
  void Wait() {
    std::unique_lock lock(state_->mutex);
    CheckWaitable();
    state_->cv.wait(lock, [&] { return state_->result.has_value(); });
  }

  // Like Wait(), for at most `timeout`. True when the result is there.
  bool WaitFor(Duration timeout) {
    std::unique_lock lock(state_->mutex);
    CheckWaitable();
    return state_->cv.wait_for(lock, timeout, [&] { return state_->result.has_value(); });
  }
#endif

 private:
  friend class Promise<T>;
  template <typename>
  friend class Future;

  struct State {
    std::mutex mutex;
    std::condition_variable cv;
    std::optional<Result<T>> result;
    std::function<void(Result<T>)> continuation;
    bool consumed = false;  // the result was taken (or handed to the continuation)
    bool attached = false;  // Then() was called
    std::shared_ptr<CancellationSource> cancellation;
  };
  explicit Future(std::shared_ptr<State> state) : state_(std::move(state)) {}

  // Runs `continuation` once with the result: at once if it is there, else when it arrives.
  void Attach(std::function<void(Result<T>)> continuation) {
    std::unique_lock lock(state_->mutex);
    if (state_->attached) {
      throw std::logic_error("restbox: Future::Then() called twice (one continuation per future)");
    }
    if (state_->consumed) {
      throw std::logic_error("restbox: Future::Then() after the result was taken");
    }
    state_->attached = true;
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

  // Caller holds the mutex.
  void CheckWaitable() const {
    if (state_->attached) {
      throw std::logic_error(
          "restbox: Future::Get()/Wait() after Then(): wait on the future Then() returned");
    }
    if (state_->consumed) {
      throw std::logic_error("restbox: Future::Get()/Wait() after the result was taken");
    }
  }

  std::shared_ptr<State> state_ = std::make_shared<State>();
};

template <typename T>
class Promise final {
 public:
  // A sink, moved below (clang-tidy 14 reads the move in a class template as a const use).
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
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
