#include "restbox/transports/in_process_transport.hpp"

#include <atomic>

#include "restbox/core/pipeline.hpp"

namespace restbox::transports {

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
  auto done = core::CallOnce(std::move(completion));
  // Fast path state: the mock usually answers inline, before any timer is needed.
  struct Race {
    std::atomic<bool> answered{false};
    core::TimerId timer = 0;
    std::uint64_t cancel_id = 0;
  };
  auto race = std::make_shared<Race>();
  auto scheduler = scheduler_;
  auto cancellation = context.cancellation;
  handler_->Handle(std::move(request),
                   [race, done, scheduler, cancellation](core::Result<core::HttpResponse> r) {
                     race->answered = true;
                     if (race->timer) scheduler->Cancel(race->timer);
                     if (cancellation && race->cancel_id) cancellation->Unregister(race->cancel_id);
                     done(std::move(r));
                   });
  if (race->answered) return;
  // The handler answers later (latency or a dropped connection): arm the timeout and cancellation.
  auto timeout = context.TimeoutOr(core::Duration(30'000));
  race->timer = scheduler->Schedule(timeout, [done, timeout] {
    done(core::MakeError(core::ErrorKind::kTimeout,
                         "no answer within " + std::to_string(timeout.count()) + " ms"));
  });
  if (cancellation) {
    race->cancel_id = cancellation->OnCancel(
        [done] { done(core::MakeError(core::ErrorKind::kCancelled, "cancelled")); });
  }
}

}  // namespace restbox::transports
