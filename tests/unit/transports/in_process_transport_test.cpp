// InProcessTransport when the handler answers from another thread (a latency fault served by a
// real scheduler, a handler with its own worker) while Send is still arming the timeout and the
// cancellation, or when a cancel comes from another thread: one completion, and whatever finished
// the call removes the rest (no timeout timer left queued, no cancellation callback left holding
// the call). Run under the native-tsan preset, the first test is what shows the data race on the
// timer and cancellation ids (tests/README.md, "Sanitizers").
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "hooked_scheduler.hpp"
#include "restbox/core/clock.hpp"
#include "restbox/core/context.hpp"
#include "restbox/transports/in_process_transport.hpp"

namespace restbox::transports {
namespace {

using core::Duration;
using restbox::testing::HookedScheduler;

// Keeps each request's completion; answers only when told.
class HeldHandler final : public core::RequestHandler {
 public:
  void Handle(core::HttpRequest, core::TransportCompletion completion) override {
    std::lock_guard lock(mutex_);
    held_.push_back(std::move(completion));
  }
  core::TransportCompletion Take() {
    std::lock_guard lock(mutex_);
    if (held_.empty()) return nullptr;
    auto c = std::move(held_.front());
    held_.erase(held_.begin());
    return c;
  }

 private:
  std::mutex mutex_;
  std::vector<core::TransportCompletion> held_;
};

core::HttpResponse Ok() {
  core::HttpResponse r;
  r.status = 200;
  return r;
}

struct Outcomes {
  std::mutex mutex;
  std::vector<core::Result<core::HttpResponse>> results;
  core::TransportCompletion Sink() {
    return [this](core::Result<core::HttpResponse> r) {
      std::lock_guard lock(mutex);
      results.push_back(std::move(r));
    };
  }
};

// Many rounds, so that without TSan the unlucky interleaving (the answer read the timer id before
// Send stored it) also happens; TSan reports the race on the first round either way.
constexpr int kRounds = 200;

TEST(InProcessTransport, AnAnswerFromAnotherThreadWhileTheTimeoutIsArmedCancelsTheTimer) {
  for (int round = 0; round < kRounds; ++round) {
    auto handler = std::make_shared<HeldHandler>();
    auto scheduler = std::make_shared<HookedScheduler>();
    InProcessTransport transport(handler, {.scheduler = scheduler});
    std::thread answerer;
    scheduler->on_schedule = [&] {
      answerer = std::thread([completion = handler->Take()] { completion(Ok()); });
    };
    core::Context context;
    context.cancellation = std::make_shared<core::CancellationSource>();
    Outcomes out;
    transport.Send({}, context, out.Sink());
    answerer.join();

    ASSERT_EQ(out.results.size(), 1u) << "round " << round;
    ASSERT_TRUE(out.results[0].ok()) << "round " << round;
    EXPECT_EQ(out.results[0]->status, 200);
    // The answer won: its timeout is gone from the scheduler, and a cancel now changes nothing.
    ASSERT_EQ(scheduler->clock().PendingTasks(), 0u) << "round " << round;
    context.cancellation->Cancel();
    EXPECT_EQ(out.results.size(), 1u);
  }
}

TEST(InProcessTransport, ACancelFromAnotherThreadWhileTheTimeoutIsArmedCancelsTheTimer) {
  for (int round = 0; round < kRounds; ++round) {
    auto handler = std::make_shared<HeldHandler>();
    auto scheduler = std::make_shared<HookedScheduler>();
    InProcessTransport transport(handler, {.scheduler = scheduler});
    core::Context context;
    context.cancellation = std::make_shared<core::CancellationSource>();
    std::thread canceller;
    scheduler->on_schedule = [&] {
      canceller = std::thread([cancellation = context.cancellation] { cancellation->Cancel(); });
    };
    Outcomes out;
    transport.Send({}, context, out.Sink());
    canceller.join();

    ASSERT_EQ(out.results.size(), 1u) << "round " << round;
    ASSERT_FALSE(out.results[0].ok());
    EXPECT_EQ(out.results[0].error().kind, core::ErrorKind::kCancelled);
    ASSERT_EQ(scheduler->clock().PendingTasks(), 0u) << "round " << round;
    // The handler's late answer is dropped.
    handler->Take()(Ok());
    EXPECT_EQ(out.results.size(), 1u);
  }
}

TEST(InProcessTransport, ATimedOutCallLeavesNothingRegisteredOnTheCancellation) {
  auto handler = std::make_shared<HeldHandler>();
  auto clock = std::make_shared<core::ManualClock>();
  InProcessTransport transport(handler, {.scheduler = clock});
  core::Context context;
  context.timeout = Duration(500);
  context.cancellation = std::make_shared<core::CancellationSource>();
  // The completion owns `token`: once nothing holds the completion any more, it expires.
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  std::vector<core::Result<core::HttpResponse>> results;
  transport.Send({}, context,
                 [token = std::move(token), &results](core::Result<core::HttpResponse> r) {
                   results.push_back(std::move(r));
                 });
  handler->Take() = nullptr;  // a handler that will never answer (a dropped connection)
  clock->Advance(Duration(500));
  ASSERT_EQ(results.size(), 1u);
  ASSERT_FALSE(results[0].ok());
  EXPECT_EQ(results[0].error().kind, core::ErrorKind::kTimeout);
  // The cancellation source lives on (it belongs to the caller) but no longer holds the call.
  EXPECT_TRUE(watch.expired());
  context.cancellation->Cancel();
  EXPECT_EQ(results.size(), 1u);
}

TEST(InProcessTransport, AnAnswerInlineArmsNothing) {
  struct Inline final : core::RequestHandler {
    void Handle(core::HttpRequest, core::TransportCompletion completion) override {
      completion(Ok());
    }
  };
  auto clock = std::make_shared<core::ManualClock>();
  InProcessTransport transport(std::make_shared<Inline>(), {.scheduler = clock});
  core::Context context;
  context.cancellation = std::make_shared<core::CancellationSource>();
  Outcomes out;
  transport.Send({}, context, out.Sink());
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_EQ(clock->PendingTasks(), 0u);
}

}  // namespace
}  // namespace restbox::transports
