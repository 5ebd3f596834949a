#pragma once
// Task<T>: a lazily started C++20 coroutine, the async core of the contract cases, restbox-check's
// runner and the console's contract runner. A case is written as straight-line code that awaits
// the SDK's futures, and runs both where blocking is allowed (native tests, the command line) and
// where it is not (the browser: no ASYNCIFY, which Emscripten 3.1.6 cannot combine with
// -fwasm-exceptions):
//
//   Task<Outcome> Run(Env& env) {
//     auto r = co_await client.Get(id);                 // core::Future<T> -> core::Result<T>
//     co_await Delay{scheduler, core::Duration(500)};   // a core::Scheduler wait
//     co_return ToOutcome(std::move(r));
//   }
//
// Inside a Task, co_await works on another Task<U> (gives U, or rethrows what it threw), on a
// core::Future<U> (gives the Result<U>) and on Delay. A Task starts when awaited, or when handed
// to Start() (a callback gets the value or the exception) or RunToCompletion() (blocks natively;
// in wasm it requires the work to complete inline, as the in-process mock does).
//
// Where the coroutine resumes: a Loop given to Start() receives every resumption caused by a
// future or a delay (the transport's or the scheduler's thread posts it; whoever runs the loop
// resumes it: RunToCompletion's thread natively, the console's frame loop). Without a loop the
// coroutine resumes on the thread that completed the future (in the browser: the event loop).
// Work that completes inline never suspends (no stack growth over long synchronous runs).
//
// Lifetimes: a coroutine's reference parameters must outlive it (the drivers keep Env, targets
// and cases alive until the task finished); a lambda coroutine's captures live in the lambda, so
// the lambda object must outlive the task too (cases keep theirs in Case::run).

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#if __has_include(<coroutine>)
#include <coroutine>
namespace restbox::contract::coro {
using std::coroutine_handle;
using std::noop_coroutine;
using std::suspend_always;
using std::suspend_never;
}  // namespace restbox::contract::coro
#else
// Emscripten 3.1.6's libc++ has only the Coroutines TS header (clang 14 accepts both spellings).
#include <experimental/coroutine>
namespace restbox::contract::coro {
using std::experimental::coroutine_handle;
using std::experimental::noop_coroutine;
using std::experimental::suspend_always;
using std::experimental::suspend_never;
}  // namespace restbox::contract::coro
#endif

#include "restbox/core/clock.hpp"
#include "restbox/core/future.hpp"

namespace restbox::contract {

// Resumptions posted from any thread, run by one thread.
class Loop final {
 public:
  void Post(std::function<void()> work) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(work));
    }
    cv_.notify_all();
  }
  // Runs what is posted, including what that posts, until the queue is empty. Returns how many.
  std::size_t RunReady() {
    std::size_t ran = 0;
    for (;;) {
      std::function<void()> work;
      {
        std::lock_guard lock(mutex_);
        if (queue_.empty()) return ran;
        work = std::move(queue_.front());
        queue_.pop_front();
      }
      work();
      ++ran;
    }
  }
#ifndef __EMSCRIPTEN__
  // Runs posted work, waiting for more, until `done()` holds (checked after each piece of work).
  void RunUntil(const std::function<bool()>& done) {
    while (!done()) {
      std::function<void()> work;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return !queue_.empty(); });
        work = std::move(queue_.front());
        queue_.pop_front();
      }
      work();
    }
  }
#endif

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
};

template <typename T>
class Task;

namespace detail {

// Who resumes a coroutine that waited: the loop, or (none) the completing thread.
inline void Resume(Loop* loop, coro::coroutine_handle<> h) {
  if (loop)
    loop->Post([h]() mutable { h.resume(); });
  else
    h.resume();
}

// The handshake between a waiter and a completion that may come inline or from another thread:
// whichever comes second continues the coroutine (inline completions never suspend it).
struct Handshake {
  std::atomic<bool> flag{false};
  bool SecondToArrive() { return flag.exchange(true); }
};

template <typename U>
struct FutureAwaiter {
  core::Future<U> future;
  Loop* loop = nullptr;
  std::optional<core::Result<U>> result;
  Handshake handshake;

  bool await_ready() const noexcept { return false; }
  bool await_suspend(coro::coroutine_handle<> h) {
    future.Then([this, h](core::Result<U> r) {
      result.emplace(std::move(r));
      if (handshake.SecondToArrive()) Resume(loop, h);
    });
    return !handshake.SecondToArrive();
  }
  core::Result<U> await_resume() { return std::move(*result); }
};

struct PromiseBase {
  coro::coroutine_handle<> continuation;
  Loop* loop = nullptr;
  std::exception_ptr error;
  Handshake handshake;  // with the awaiting coroutine (see Task::await_suspend)

  coro::suspend_always initial_suspend() noexcept { return {}; }
  struct Final {
    bool await_ready() noexcept { return false; }
    template <typename P>
    void await_suspend(coro::coroutine_handle<P> h) noexcept {
      PromiseBase& p = h.promise();
      // Finished after its awaiter suspended: continue it here (an asynchronous completion, so
      // the stack is the completing callback's, not a growing chain).
      if (p.handshake.SecondToArrive() && p.continuation) p.continuation.resume();
    }
    void await_resume() noexcept {}
  };
  Final final_suspend() noexcept { return {}; }
  void unhandled_exception() { error = std::current_exception(); }

  template <typename U>
  FutureAwaiter<U> await_transform(core::Future<U> future) {
    return FutureAwaiter<U>{std::move(future), loop, std::nullopt, {}};
  }
  template <typename A>
  A&& await_transform(A&& awaitable) {
    return std::forward<A>(awaitable);
  }
};

template <typename T>
struct Promise : PromiseBase {
  std::optional<T> value;
  Task<T> get_return_object();
  template <typename V>
  void return_value(V&& v) {
    value.emplace(std::forward<V>(v));
  }
  T Take() {
    if (error) std::rethrow_exception(error);
    return std::move(*value);
  }
};

template <>
struct Promise<void> : PromiseBase {
  Task<void> get_return_object();
  void return_void() {}
  void Take() {
    if (error) std::rethrow_exception(error);
  }
};

}  // namespace detail

template <typename T>
class [[nodiscard]] Task final {
 public:
  using promise_type = detail::Promise<T>;
  using Handle = coro::coroutine_handle<promise_type>;

  Task() = default;
  explicit Task(Handle h) : handle_(h) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() {
    if (handle_) handle_.destroy();
  }

  bool valid() const { return static_cast<bool>(handle_); }
  bool done() const { return handle_ && handle_.done(); }

  // Awaited by another coroutine: runs this one (inline until it first waits), on the same loop.
  bool await_ready() const noexcept { return false; }
  template <typename P>
  bool await_suspend(coro::coroutine_handle<P> parent) {
    promise_type& p = handle_.promise();
    p.continuation = parent;
    if (!p.loop) p.loop = parent.promise().loop;
    handle_.resume();
    // Finished inline: go on without suspending the parent.
    return !p.handshake.SecondToArrive();
  }
  T await_resume() { return handle_.promise().Take(); }

 private:
  template <typename U>
  friend void Start(Task<U> task, Loop* loop,
                    std::function<void(std::optional<U>*, std::exception_ptr)> done);
  friend void Start(Task<void> task, Loop* loop, std::function<void(std::exception_ptr)> done);
  Handle handle_;
};

template <typename T>
Task<T> detail::Promise<T>::get_return_object() {
  return Task<T>(Task<T>::Handle::from_promise(*this));
}
inline Task<void> detail::Promise<void>::get_return_object() {
  return Task<void>(Task<void>::Handle::from_promise(*this));
}

// Waits `duration` on `scheduler` (a ManualClock in tests: the wait ends when it is advanced).
struct Delay {
  std::shared_ptr<core::Scheduler> scheduler;
  core::Duration duration{0};

  struct Awaiter {
    std::shared_ptr<core::Scheduler> scheduler;
    core::Duration duration;
    Loop* loop;
    detail::Handshake handshake;
    bool await_ready() const noexcept { return duration <= core::Duration(0); }
    template <typename P>
    bool await_suspend(coro::coroutine_handle<P> h) {
      loop = h.promise().loop;
      scheduler->Schedule(duration, [this, h]() {
        if (handshake.SecondToArrive()) detail::Resume(loop, h);
      });
      return !handshake.SecondToArrive();
    }
    void await_resume() noexcept {}
  };
  Awaiter operator co_await() const { return Awaiter{scheduler, duration, nullptr, {}}; }
};

namespace detail {
struct Detached {
  struct promise_type {
    Detached get_return_object() noexcept { return {}; }
    coro::suspend_never initial_suspend() noexcept { return {}; }
    coro::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
    Loop* loop = nullptr;
  };
};

template <typename T>
Detached Drive(Task<T> task, std::function<void(std::optional<T>*, std::exception_ptr)> done) {
  std::optional<T> value;
  std::exception_ptr error;
  try {
    value.emplace(co_await std::move(task));
  } catch (...) {
    error = std::current_exception();
  }
  done(error ? nullptr : &value, error);
}

inline Detached DriveVoid(Task<void> task, std::function<void(std::exception_ptr)> done) {
  std::exception_ptr error;
  try {
    co_await std::move(task);
  } catch (...) {
    error = std::current_exception();
  }
  done(error);
}
}  // namespace detail

// Starts `task`; `done` gets a pointer to the value (nullptr when it threw) and the exception.
// Resumptions go through `loop` (nullptr: inline on the completing thread). `done` must not throw.
template <typename T>
void Start(Task<T> task, Loop* loop,
           std::function<void(std::optional<T>*, std::exception_ptr)> done) {
  task.handle_.promise().loop = loop;
  detail::Drive<T>(std::move(task), std::move(done));
}
inline void Start(Task<void> task, Loop* loop, std::function<void(std::exception_ptr)> done) {
  task.handle_.promise().loop = loop;
  detail::DriveVoid(std::move(task), std::move(done));
}

// Runs `task` to its end and returns its value (rethrows what it threw). Natively it blocks,
// running the task's resumptions on this thread; in wasm (no blocking) the task must complete
// inline, else std::runtime_error.
template <typename T>
T RunToCompletion(Task<T> task) {
  struct State {
    Loop loop;
    std::atomic<bool> finished{false};
    std::optional<T> value;
    std::exception_ptr error;
  };
  auto state = std::make_shared<State>();
  Start<T>(std::move(task), &state->loop,
           [state](std::optional<T>* v, const std::exception_ptr& e) {
             if (v) state->value.emplace(std::move(**v));
             state->error = e;
             state->finished.store(true);
           });
#ifdef __EMSCRIPTEN__
  state->loop.RunReady();
  if (!state->finished.load())
    throw std::runtime_error("the task did not complete inline (in wasm nothing may block)");
#else
  state->loop.RunUntil([&] { return state->finished.load(); });
#endif
  if (state->error) std::rethrow_exception(state->error);
  return std::move(*state->value);
}
inline void RunToCompletion(Task<void> task) {
  auto wrap = [](Task<void> t) -> Task<bool> {
    co_await std::move(t);
    co_return true;
  };
  (void)RunToCompletion(wrap(std::move(task)));
}

}  // namespace restbox::contract
