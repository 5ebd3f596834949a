// Future<T>::Then chaining (values, Results, Futures, void), errors and exceptions through a
// chain, cancellation through a chain, the one-consumer rule and Wait().
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>
#ifndef __EMSCRIPTEN__
#include <thread>
#endif

#include "restbox/core/future.hpp"

namespace restbox::core {
namespace {

using ::testing::HasSubstr;

ResponseMeta Meta(int status, std::string request_id = "rid-1") {
  ResponseMeta meta;
  meta.status = status;
  meta.request_id = std::move(request_id);
  meta.attempts.push_back(Attempt{});
  return meta;
}

Error Gone() {
  Error e = MakeError(ErrorKind::kNotFound, "gone");
  e.http_status = 404;
  return e;
}

TEST(FutureThen, AValueContinuationGivesAFutureOfTheValueWithTheCallsMeta) {
  Promise<int> promise;
  Future<std::string> text =
      promise.GetFuture().Then([](Result<int> r) { return std::to_string(*r * 2); });
  EXPECT_FALSE(text.ready());
  promise.Set(Result<int>(21, Meta(201)));
  auto r = text.TryGet();
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->ok());
  EXPECT_EQ(**r, "42");
  EXPECT_EQ(r->status(), 201);
  EXPECT_EQ(r->meta().request_id, "rid-1");
}

TEST(FutureThen, AResultContinuationGivesThatResult) {
  Promise<int> promise;
  auto checked = promise.GetFuture().Then([](Result<int> r) -> Result<std::string> {
    if (!r) return r.error();
    if (*r < 0) return MakeError(ErrorKind::kDecode, "negative");
    return std::to_string(*r);
  });
  static_assert(std::is_same_v<decltype(checked), Future<std::string>>);
  promise.Set(Result<int>(-1, Meta(200)));
  auto r = checked.TryGet();
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().kind, ErrorKind::kDecode);
  EXPECT_EQ(r->status(), 200);  // a Result made up without meta keeps the call's meta

  // A Result that carries its own meta keeps it.
  Promise<int> other;
  auto own =
      other.GetFuture().Then([](const Result<int>&) { return Result<int>(1, Meta(299, "mine")); });
  other.Set(Result<int>(0, Meta(200)));
  auto o = own.TryGet();
  ASSERT_TRUE(o && o->ok());
  EXPECT_EQ(o->meta().request_id, "mine");
}

TEST(FutureThen, AFutureContinuationIsFlattened) {
  Promise<int> first;
  Promise<std::string> second;
  Future<std::string> chained =
      first.GetFuture().Then([&](const Result<int>&) { return second.GetFuture(); });
  first.Set(1);
  EXPECT_FALSE(chained.ready());  // waits for the call the continuation started
  second.Set(Result<std::string>(std::string("done"), Meta(202)));
  auto r = chained.TryGet();
  ASSERT_TRUE(r && r->ok());
  EXPECT_EQ(**r, "done");
  EXPECT_EQ(r->status(), 202);
}

TEST(FutureThen, ChainsOfEveryKindCompose) {
  Promise<int> start;
  Promise<int> lookup;
  std::vector<std::string> seen;
  auto end = start.GetFuture()
                 .Then([](Result<int> r) { return *r + 1; })                    // Future<int>
                 .Then([&](const Result<int>&) { return lookup.GetFuture(); })  // Future<int>
                 .Then([](Result<int> r) -> Result<std::string> {  // Future<std::string>
                   return "#" + std::to_string(*r);
                 })
                 .Then([&](Result<std::string> r) { seen.push_back(*r); });  // Future<Empty>
  static_assert(std::is_same_v<decltype(end), Future<Empty>>);
  start.Set(1);
  EXPECT_TRUE(seen.empty());
  lookup.Set(7);
  EXPECT_EQ(seen, std::vector<std::string>{"#7"});
  auto r = end.TryGet();
  ASSERT_TRUE(r && r->ok());
}

TEST(FutureThen, AVoidContinuationCompletesItsFutureOnceItRan) {
  Promise<int> promise;
  int runs = 0;
  auto done = promise.GetFuture().Then([&](auto r) { runs += r.ok() ? 1 : 100; });
  EXPECT_FALSE(done.ready());
  promise.Set(Result<int>(Gone(), Meta(404)));  // continuations run on errors too
  EXPECT_EQ(runs, 100);
  auto r = done.TryGet();
  ASSERT_TRUE(r && r->ok());
  EXPECT_EQ(r->status(), 404);
}

TEST(FutureThen, AnErrorPassesDownAChainOfValueContinuations) {
  Promise<int> promise;
  int later_runs = 0;
  auto end = promise.GetFuture()
                 .Then([](Result<int> r) { return *r * 2; })  // value() of an error: throws
                 .Then([&](Result<int> r) {
                   ++later_runs;
                   return r.value() + 1;
                 });
  promise.Set(Result<int>(Gone(), Meta(404)));
  EXPECT_EQ(later_runs, 1);
  auto r = end.TryGet();
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().kind, ErrorKind::kNotFound);  // the original error, unchanged
  EXPECT_EQ(r->error().message, "gone");
  EXPECT_EQ(r->status(), 404);
}

TEST(FutureThen, OtherExceptionsOfAContinuationBecomeAContinuationError) {
  Promise<int> promise;
  auto thrown =
      promise.GetFuture().Then([](const Result<int>&) -> int { throw std::runtime_error("boom"); });
  promise.Set(1);  // must not escape into the thread that completes the call
  auto r = thrown.TryGet();
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().kind, ErrorKind::kContinuation);
  EXPECT_THAT(r->error().message, HasSubstr("boom"));

  Promise<int> other;
  auto weird = other.GetFuture().Then([](const Result<int>&) { throw 42; });
  other.Set(1);
  auto w = weird.TryGet();
  ASSERT_TRUE(w && !w->ok());
  EXPECT_EQ(w->error().kind, ErrorKind::kContinuation);
}

TEST(FutureThen, RunsAtOnceWhenTheResultIsAlreadyThere) {
  Promise<int> promise;
  promise.Set(4);
  auto doubled = promise.GetFuture().Then([](Result<int> r) { return *r * 2; });
  auto r = doubled.TryGet();
  ASSERT_TRUE(r && r->ok());
  EXPECT_EQ(**r, 8);
}

TEST(FutureThen, CancelOnTheChainCancelsTheOriginalCall) {
  auto source = std::make_shared<CancellationSource>();
  Promise<int> call(source);
  // What a call does when cancelled: complete with kCancelled.
  source->OnCancel([call] { call.Set(MakeError(ErrorKind::kCancelled, "cancelled")); });
  auto chained = call.GetFuture().Then([](Result<int> r) { return *r; }).Then([](Result<int> r) {
    return std::to_string(*r);
  });
  chained.Cancel();
  EXPECT_TRUE(source->cancelled());
  auto r = chained.TryGet();
  ASSERT_TRUE(r);
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->error().kind, ErrorKind::kCancelled);
}

TEST(FutureThen, CancelOnTheChainCancelsTheCallAContinuationStarted) {
  auto first_source = std::make_shared<CancellationSource>();
  auto second_source = std::make_shared<CancellationSource>();
  Promise<int> first(first_source);
  Promise<int> second(second_source);
  auto chained = first.GetFuture().Then([&](const Result<int>&) { return second.GetFuture(); });
  first.Set(1);
  EXPECT_FALSE(second_source->cancelled());
  chained.Cancel();
  EXPECT_TRUE(second_source->cancelled());
  EXPECT_TRUE(first_source->cancelled());  // harmless: that call had completed

  // Cancelled before the continuation ran: the call it starts is cancelled as soon as it exists.
  auto early_first = std::make_shared<CancellationSource>();
  auto early_second = std::make_shared<CancellationSource>();
  Promise<int> a(early_first);
  Promise<int> b(early_second);
  auto early = a.GetFuture().Then([&](const Result<int>&) { return b.GetFuture(); });
  early.Cancel();
  EXPECT_TRUE(early_first->cancelled());
  a.Set(MakeError(ErrorKind::kCancelled, "cancelled"));
  EXPECT_TRUE(early_second->cancelled());
}

TEST(FutureThen, OneContinuationPerFuture) {
  Promise<int> promise;
  auto future = promise.GetFuture();
  (void)future.Then([](const Result<int>&) {});
  EXPECT_THROW((void)future.Then([](const Result<int>&) {}), std::logic_error);
  Promise<int> taken;
  taken.Set(1);
  auto f = taken.GetFuture();
  ASSERT_TRUE(f.TryGet());
  EXPECT_THROW((void)f.Then([](const Result<int>&) {}), std::logic_error);  // would never run
}

#ifndef __EMSCRIPTEN__
TEST(FutureWait, GetOrWaitAfterThenThrowsInsteadOfBlockingForever) {
  Promise<int> promise;
  auto future = promise.GetFuture();
  auto next = future.Then([](Result<int> r) { return *r; });
  EXPECT_THROW((void)future.Get(), std::logic_error);
  EXPECT_THROW(future.Wait(), std::logic_error);
  promise.Set(3);
  EXPECT_EQ(next.Get().value(), 3);
  EXPECT_THROW((void)next.Get(), std::logic_error);  // taken already
}

TEST(FutureWait, WaitBlocksUntilTheChainRanOnAnotherThread) {
  Promise<int> promise;
  std::string printed;
  auto printing = promise.GetFuture().Then([&](Result<int> r) { printed = std::to_string(*r); });
  std::thread worker([promise] { promise.Set(5); });  // like curl's worker thread
  printing.Wait();
  worker.join();
  EXPECT_EQ(printed, "5");
  EXPECT_TRUE(printing.ready());  // Wait() leaves the result in place
  EXPECT_TRUE(printing.Get().ok());
}

TEST(FutureWait, WaitForGivesUpAfterTheTimeout) {
  Promise<int> promise;
  auto future = promise.GetFuture();
  EXPECT_FALSE(future.WaitFor(Duration(10)));
  promise.Set(1);
  EXPECT_TRUE(future.WaitFor(Duration(10)));
}
#endif

// Promise, TryGet, Cancel and the blocking Get.
TEST(Future, ThenBeforeCompletionRunsWhenTheResultArrives) {
  Promise<int> promise;
  auto future = promise.GetFuture();
  std::vector<int> seen;
  future.Then([&](Result<int> r) { seen.push_back(r.ok() ? *r : -1); });
  EXPECT_TRUE(seen.empty());
  EXPECT_FALSE(future.ready());
  promise.Set(7);
  EXPECT_EQ(seen, std::vector<int>{7});
  promise.Set(8);  // later results are ignored
  EXPECT_EQ(seen, std::vector<int>{7});
}

TEST(Future, ThenAfterCompletionRunsAtOnce) {
  Promise<std::string> promise;
  auto future = promise.GetFuture();
  promise.Set(MakeError(ErrorKind::kNotFound, "gone"));
  EXPECT_TRUE(future.ready());
  int runs = 0;
  future.Then([&](Result<std::string> r) {
    ++runs;
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kNotFound);
  });
  EXPECT_EQ(runs, 1);
  EXPECT_FALSE(future.ready());  // consumed
}

TEST(Future, TryGetTakesTheResultOnce) {
  Promise<int> promise;
  auto future = promise.GetFuture();
  EXPECT_FALSE(future.TryGet());
  ResponseMeta meta;
  meta.status = 201;
  promise.Set(Result<int>(5, meta));
  EXPECT_TRUE(future.ready());
  auto r = future.TryGet();
  ASSERT_TRUE(r);
  EXPECT_EQ(**r, 5);
  EXPECT_EQ(r->status(), 201);
  EXPECT_FALSE(future.TryGet());
  promise.Set(6);  // after consumption: ignored
  EXPECT_FALSE(future.TryGet());
}

TEST(Future, CancelReachesTheCancellationSource) {
  auto source = std::make_shared<CancellationSource>();
  int callbacks = 0;
  source->OnCancel([&] { ++callbacks; });
  Promise<int> promise(source);
  auto future = promise.GetFuture();
  future.Cancel();
  EXPECT_TRUE(source->cancelled());
  EXPECT_EQ(callbacks, 1);
  future.Cancel();
  EXPECT_EQ(callbacks, 1);
  // Registering after the fact runs at once.
  source->OnCancel([&] { ++callbacks; });
  EXPECT_EQ(callbacks, 2);
  // Without a source, Cancel is harmless.
  Promise<int> plain;
  plain.GetFuture().Cancel();
}

#ifndef __EMSCRIPTEN__
// Get() blocks, so it is native only (the browser must never block).
TEST(Future, GetWaitsForAResultFromAnotherThread) {
  Promise<int> promise;
  auto future = promise.GetFuture();
  std::thread producer([promise] { promise.Set(42); });
  auto r = future.Get();
  producer.join();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 42);
}

TEST(Future, GetReturnsAnAlreadyAvailableResult) {
  Promise<int> promise;
  promise.Set(MakeError(ErrorKind::kTimeout, "too slow"));
  auto r = promise.GetFuture().Get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTimeout);
}
#endif

}  // namespace
}  // namespace restbox::core
