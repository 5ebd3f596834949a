#pragma once
// The policy pipeline, on the Azure SDK model: each policy receives the request and the rest of
// the chain. Per-call policies run once per call (request id, retry); per-attempt policies run on
// every try (rate limit, logging, timeout + transport). Asynchronous throughout: nothing sleeps;
// waits go through the injected Scheduler.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/core/context.hpp"
#include "restbox/core/log.hpp"
#include "restbox/core/rate_limiter.hpp"
#include "restbox/core/retry.hpp"
#include "restbox/core/transport.hpp"

namespace restbox::core {

// What the policies know about the call beyond the HTTP request.
struct CallState {
  std::string service;      // "chikage"
  std::string endpoint;     // "create"
  bool idempotent = false;  // resolved from the endpoint table and Context::idempotent
  std::string rate_key;     // the credential the limiter counts against ("" = not limited)
  Context context;
  std::vector<Attempt> attempts;     // filled by the retry and transport policies
  std::vector<std::string> secrets;  // values to redact from log lines and error messages
};

using NextPolicy = std::function<void(HttpRequest, TransportCompletion)>;

class Policy {
 public:
  virtual ~Policy() = default;
  // Continue with next(request, completion) zero or more times, or answer with completion(...).
  virtual void Send(HttpRequest request, const std::shared_ptr<CallState>& call, NextPolicy next,
                    TransportCompletion completion) = 0;
};

enum class RateLimitMode {
  kWait,  // hold the request until the window has room (up to max_wait), then send
  kFail,  // return kClientRateLimited at once
};

struct RateLimitOptions {
  // Client-side windows per credential. Empty (the default) disables client-side limiting.
  std::vector<RateWindow> windows;
  RateLimitMode mode = RateLimitMode::kWait;
  // Longest hold in kWait mode; a longer wait fails with kClientRateLimited. Default 60 s.
  Duration max_wait{60'000};
  // Share a limiter between clients (or with an in-process mock). Default: one per client.
  std::shared_ptr<RateLimiter> limiter;
};

struct PipelineOptions {
  // Default: InstalledDefaultTransport() (natively the shared CurlTransport when
  // restbox::transport_curl is linked); without one, calls fail with kInvalidArgument.
  std::shared_ptr<Transport> transport;
  std::shared_ptr<Clock> clock;          // default: SystemClock
  std::shared_ptr<Scheduler> scheduler;  // default: DefaultScheduler()
  RetryOptions retry;
  RateLimitOptions rate_limit;
  // Per-attempt timeout for calls whose Context sets none. Default 30 s.
  Duration timeout{30'000};
  LogSink logger;           // default: no logging
  bool log_bodies = false;  // include (masked) bodies in debug lines
  std::string user_agent = "restbox-cpp/0.1";
  // Generates X-Request-Id values; default: random 128-bit hex. Injected by tests.
  std::function<std::string()> request_id_generator;
  // Source of jitter in [0,1); default: a per-pipeline PRNG. Injected by tests.
  std::function<double()> random;
  // Policies added by the caller: per call (before retry) and per attempt (before the transport).
  std::vector<std::shared_ptr<Policy>> per_call_policies;
  std::vector<std::shared_ptr<Policy>> per_attempt_policies;
};

// The platform's default scheduler: a shared background thread natively, browser timers in wasm.
std::shared_ptr<Scheduler> DefaultScheduler();

class Pipeline final {
 public:
  explicit Pipeline(PipelineOptions options);

  // Sends `request` through every policy. The completion runs once with the final outcome; the
  // attempt timeline is in call->attempts (and copied into the Result's meta).
  void Send(HttpRequest request, const std::shared_ptr<CallState>& call,
            TransportCompletion completion);

  const PipelineOptions& options() const { return options_; }
  const std::shared_ptr<Clock>& clock() const { return options_.clock; }
  const std::shared_ptr<Scheduler>& scheduler() const { return options_.scheduler; }
  const std::shared_ptr<RateLimiter>& limiter() const { return options_.rate_limit.limiter; }

 private:
  void Run(std::size_t index, HttpRequest request, const std::shared_ptr<CallState>& call,
           TransportCompletion completion);
  PipelineOptions options_;
  std::vector<std::shared_ptr<Policy>> policies_;
};

}  // namespace restbox::core
