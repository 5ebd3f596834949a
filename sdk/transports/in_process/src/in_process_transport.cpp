#include "restbox/transports/in_process_transport.hpp"

#include <mutex>
#include <utility>

#include "restbox/core/pipeline.hpp"  // DefaultScheduler

namespace restbox::transports {
namespace {

// One call's race between the handler's answer, the timeout and a cancellation, which may each run
// on a different thread (a latency fault answers from the scheduler's thread, a caller cancels
// from its own). The first to finish the call completes it and removes the other two; the ids of
// the timer and of the cancellation callback are stored under the same lock, so that whichever
// finishes first finds them, or the thread arming them learns that it came too late.
class Race final {
 public:
  Race(core::TransportCompletion completion, std::weak_ptr<core::Scheduler> scheduler,
       std::weak_ptr<core::CancellationSource> cancellation)
      : completion_(std::move(completion)),
        scheduler_(std::move(scheduler)),
        cancellation_(std::move(cancellation)) {}

  void Finish(core::Result<core::HttpResponse> result) {
    core::TransportCompletion completion;
    core::TimerId timer = 0;
    std::uint64_t cancel_id = 0;
    {
      std::lock_guard lock(mutex_);
      if (finished_) return;
      finished_ = true;
      completion = std::move(completion_);
      timer = std::exchange(timer_, 0);
      cancel_id = std::exchange(cancel_id_, 0);
    }
    Disarm(timer, cancel_id);
    completion(std::move(result));
  }

  // Records the ids of the timeout and the cancellation callback armed after the handler returned
  // without an answer; when the call finished meanwhile (on another thread), disarms them instead.
  void Armed(core::TimerId timer, std::uint64_t cancel_id) {
    {
      std::lock_guard lock(mutex_);
      if (!finished_) {
        timer_ = timer;
        cancel_id_ = cancel_id;
        return;
      }
    }
    Disarm(timer, cancel_id);
  }

  bool finished() {
    std::lock_guard lock(mutex_);
    return finished_;
  }

 private:
  // Weak: the timer task and the cancellation callback hold the race, so the race must not hold
  // their owners (a call that never finishes would otherwise keep them all alive).
  void Disarm(core::TimerId timer, std::uint64_t cancel_id) {
    if (timer) {
      if (auto scheduler = scheduler_.lock()) scheduler->Cancel(timer);
    }
    if (cancel_id) {
      if (auto cancellation = cancellation_.lock()) cancellation->Unregister(cancel_id);
    }
  }

  std::mutex mutex_;
  bool finished_ = false;
  core::TimerId timer_ = 0;
  std::uint64_t cancel_id_ = 0;
  core::TransportCompletion completion_;
  std::weak_ptr<core::Scheduler> scheduler_;
  std::weak_ptr<core::CancellationSource> cancellation_;
};

}  // namespace

InProcessTransport::InProcessTransport(std::shared_ptr<core::RequestHandler> handler,
                                       InProcessOptions options)
    : handler_(std::move(handler)), scheduler_(std::move(options.scheduler)) {
  if (!scheduler_) scheduler_ = core::DefaultScheduler();
}

void InProcessTransport::Send(core::HttpRequest request, const core::Context& context,
                              core::TransportCompletion completion) {
  if (context.cancelled()) {
    completion(core::MakeError(core::ErrorKind::kCancelled, "cancelled before sending"));
    return;
  }
  auto race = std::make_shared<Race>(std::move(completion), scheduler_, context.cancellation);
  handler_->Handle(std::move(request),
                   [race](core::Result<core::HttpResponse> r) { race->Finish(std::move(r)); });
  // Fast path: the mock usually answers inline, before any timer is needed.
  if (race->finished()) return;
  // The handler answers later (latency or a dropped connection): arm the timeout and the
  // cancellation; the answer may arrive on another thread while they are being armed.
  auto timeout = context.TimeoutOr(core::Duration(30'000));
  core::TimerId timer = scheduler_->Schedule(timeout, [race, timeout] {
    race->Finish(core::MakeError(core::ErrorKind::kTimeout,
                                 "no answer within " + std::to_string(timeout.count()) + " ms"));
  });
  std::uint64_t cancel_id = 0;
  if (context.cancellation) {
    // Runs the callback at once when already cancelled (and returns 0: nothing to unregister).
    cancel_id = context.cancellation->OnCancel(
        [race] { race->Finish(core::MakeError(core::ErrorKind::kCancelled, "cancelled")); });
  }
  race->Armed(timer, cancel_id);
}

}  // namespace restbox::transports
