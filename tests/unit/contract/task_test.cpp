// contract::Task (mock-server/contract/task.hpp): inline completion without suspending, resumption
// through a Loop (from another thread natively), exceptions through co_await, Delay on the manual
// clock, RunToCompletion. Natively and under node (the wasm suite).
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "restbox/core/clock.hpp"
#include "restbox/core/future.hpp"
#include "task.hpp"

namespace restbox::contract {
namespace {

core::Future<int> Ready(int v) {
  core::Promise<int> p;
  p.Set(v);
  return p.GetFuture();
}

Task<int> Twice(core::Future<int> f) {
  auto r = co_await std::move(f);
  co_return r.value() * 2;
}

// Sums `n` inline tasks: each co_await completes without suspending.
Task<long> SumInline(int n) {
  long sum = 0;
  for (int i = 0; i < n; ++i) sum += co_await Twice(Ready(i));
  co_return sum;
}

TEST(Task, IsLazyUntilStarted) {
  bool ran = false;
  auto body = [&]() -> Task<int> {
    ran = true;
    co_return 1;
  };
  Task<int> t = body();
  EXPECT_FALSE(ran);
  EXPECT_EQ(RunToCompletion(std::move(t)), 1);
  EXPECT_TRUE(ran);
}

TEST(Task, InlineCompletionNeverSuspends) {
  Loop loop;
  bool finished = false;
  long got = 0;
  // 100000 inline awaits: a suspension per await would post to the loop; a resumption chained
  // on the stack would overflow it.
  Start<long>(SumInline(100000), &loop, [&](std::optional<long>* v, const std::exception_ptr& e) {
    ASSERT_FALSE(e);
    got = **v;
    finished = true;
  });
  EXPECT_TRUE(finished);  // before Start returned
  EXPECT_EQ(loop.RunReady(), 0u);
  EXPECT_EQ(got, 2L * (99999L * 100000L / 2));
}

TEST(Task, ALaterCompletionResumesThroughTheLoop) {
  Loop loop;
  core::Promise<int> promise;
  bool finished = false;
  int got = 0;
  Start<int>(Twice(promise.GetFuture()), &loop,
             [&](std::optional<int>* v, const std::exception_ptr&) {
               got = **v;
               finished = true;
             });
  EXPECT_FALSE(finished);
  promise.Set(21);  // the completion only posts the resumption
  EXPECT_FALSE(finished);
  EXPECT_EQ(loop.RunReady(), 1u);
  EXPECT_TRUE(finished);
  EXPECT_EQ(got, 42);
}

TEST(Task, WithoutALoopTheCompletingCallResumes) {
  core::Promise<int> promise;
  bool finished = false;
  Start<int>(Twice(promise.GetFuture()), nullptr,
             [&](std::optional<int>* v, const std::exception_ptr&) { finished = v && **v == 4; });
  EXPECT_FALSE(finished);
  promise.Set(2);
  EXPECT_TRUE(finished);
}

#ifndef __EMSCRIPTEN__
TEST(Task, ResumedFromAnotherThreadRunsOnTheLoopsThread) {
  core::Promise<int> promise;
  const auto self = std::this_thread::get_id();
  std::thread::id resumed_on;
  auto body = [&]() -> Task<int> {
    auto r = co_await promise.GetFuture();
    resumed_on = std::this_thread::get_id();
    co_return r.value();
  };
  std::thread completer([promise] { promise.Set(7); });
  EXPECT_EQ(RunToCompletion(body()), 7);
  completer.join();
  EXPECT_EQ(resumed_on, self);
}
#endif

Task<int> Throws() {
  throw std::invalid_argument("bad rule");
  co_return 0;
}

Task<std::string> CatchesIt() {
  try {
    co_await Throws();
  } catch (const std::invalid_argument& e) {
    co_return std::string("caught: ") + e.what();
  }
  co_return "not thrown";
}

TEST(Task, ExceptionsPropagateThroughCoAwait) {
  EXPECT_EQ(RunToCompletion(CatchesIt()), "caught: bad rule");
  EXPECT_THROW(RunToCompletion(Throws()), std::invalid_argument);
  std::exception_ptr error;
  bool value_given = true;
  Start<int>(Throws(), nullptr, [&](std::optional<int>* v, std::exception_ptr e) {
    value_given = v != nullptr;
    error = std::move(e);
  });
  EXPECT_FALSE(value_given);
  EXPECT_THROW(std::rethrow_exception(error), std::invalid_argument);
}

TEST(Task, AnErrorResultIsAValueNotAnException) {
  core::Promise<int> promise;
  promise.Set(core::MakeError(core::ErrorKind::kTimeout, "slow"));
  auto body = [&]() -> Task<bool> {
    auto r = co_await promise.GetFuture();
    co_return !r.ok() && r.error().kind == core::ErrorKind::kTimeout;
  };
  EXPECT_TRUE(RunToCompletion(body()));
}

TEST(Task, DelayWaitsForTheManualClock) {
  auto clock = std::make_shared<core::ManualClock>();
  Loop loop;
  bool finished = false;
  auto body = [&]() -> Task<int> {
    co_await Delay{clock, core::Duration(0)};  // no wait at all
    co_await Delay{clock, core::Duration(500)};
    co_return 1;
  };
  Start<int>(body(), &loop,
             [&](std::optional<int>* v, const std::exception_ptr&) { finished = v != nullptr; });
  EXPECT_FALSE(finished);
  EXPECT_EQ(clock->PendingTasks(), 1u);
  clock->Advance(core::Duration(499));
  EXPECT_EQ(loop.RunReady(), 0u);
  EXPECT_FALSE(finished);
  clock->Advance(core::Duration(1));
  EXPECT_FALSE(finished);  // posted, not run
  EXPECT_EQ(loop.RunReady(), 1u);
  EXPECT_TRUE(finished);
}

TEST(Task, RunToCompletionOfAVoidTask) {
  int calls = 0;
  auto body = [&]() -> Task<void> {
    ++calls;
    co_await Twice(Ready(1));
  };
  RunToCompletion(body());
  EXPECT_EQ(calls, 1);
}

#ifdef __EMSCRIPTEN__
TEST(Task, RunToCompletionRefusesWorkThatCannotFinishInlineInWasm) {
  core::Promise<int> never;
  EXPECT_THROW(RunToCompletion(Twice(never.GetFuture())), std::runtime_error);
}
#else
TEST(Task, RunToCompletionWaitsForAnotherThread) {
  core::Promise<int> promise;
  std::thread completer([promise] { promise.Set(5); });
  EXPECT_EQ(RunToCompletion(Twice(promise.GetFuture())), 10);
  completer.join();
}
#endif

}  // namespace
}  // namespace restbox::contract
