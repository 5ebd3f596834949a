#pragma once
// Hands each request to a RequestHandler (the mock server) without a socket. Works the same
// natively and in wasm. Honours cancellation and the per-request timeout: when the handler answers
// later than Context::timeout (e.g. injected latency), the call completes with kTimeout. The
// answer, the timeout and a cancellation may each come from any thread: the first completes the
// call (once) and removes the others (the timer from the scheduler, the callback from the
// cancellation source).

#include <memory>

#include "restbox/core/clock.hpp"
#include "restbox/core/transport.hpp"

namespace restbox::transports {

struct InProcessOptions {
  // Timers for timeouts. Default: core::DefaultScheduler(). Tests pass their ManualClock.
  std::shared_ptr<core::Scheduler> scheduler;
};

class InProcessTransport final : public core::Transport {
 public:
  explicit InProcessTransport(std::shared_ptr<core::RequestHandler> handler,
                              InProcessOptions options = {});
  void Send(core::HttpRequest request, const core::Context& context,
            core::TransportCompletion completion) override;

 private:
  std::shared_ptr<core::RequestHandler> handler_;
  std::shared_ptr<core::Scheduler> scheduler_;
};

}  // namespace restbox::transports
