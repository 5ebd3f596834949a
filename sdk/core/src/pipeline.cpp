#include "restbox/core/pipeline.hpp"

#include <mutex>
#include <random>
#include <utility>

#include "restbox/core/masking.hpp"

namespace restbox::core {
namespace {

std::string RandomHex128(std::mt19937_64& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  std::uint64_t a = rng(), b = rng();
  for (int i = 0; i < 16; ++i) {
    out[static_cast<std::size_t>(i)] = kHex[(a >> (i * 4)) & 0xF];
    out[16 + static_cast<std::size_t>(i)] = kHex[(b >> (i * 4)) & 0xF];
  }
  return out;
}

Error TransportError(ErrorKind kind, std::string message) {
  return MakeError(kind, std::move(message));
}

// Sets X-Request-Id (kept if the caller set one) and User-Agent.
class RequestIdPolicy final : public Policy {
 public:
  RequestIdPolicy(std::function<std::string()> generator, std::string user_agent)
      : generator_(std::move(generator)), user_agent_(std::move(user_agent)) {}
  void Send(HttpRequest request, const std::shared_ptr<CallState>&, NextPolicy next,
            TransportCompletion completion) override {
    if (!request.headers.Has("X-Request-Id")) request.headers.Set("X-Request-Id", generator_());
    if (!user_agent_.empty() && !request.headers.Has("User-Agent"))
      request.headers.Set("User-Agent", user_agent_);
    next(std::move(request), std::move(completion));
  }

 private:
  std::function<std::string()> generator_;
  std::string user_agent_;
};

// Retries per DecideRetry, waiting on the scheduler (never sleeping).
// A retry's loop holds the policy (shared): a cancel from another thread may complete the call,
// and so release the client and its pipeline, while the thread that got the answer is still
// arming the wait (seen as a crash in the console's tests: ~Model cancels calls under way).
class RetryPolicy final : public Policy, public std::enable_shared_from_this<RetryPolicy> {
 public:
  RetryPolicy(RetryOptions options, std::shared_ptr<Clock> clock,
              std::shared_ptr<Scheduler> scheduler, std::function<double()> random)
      : options_(std::move(options)),
        clock_(std::move(clock)),
        scheduler_(std::move(scheduler)),
        random_(std::move(random)) {}

  void Send(HttpRequest request, const std::shared_ptr<CallState>& call, NextPolicy next,
            TransportCompletion completion) override {
    auto loop = std::make_shared<Loop>(Loop{shared_from_this(), std::move(request), call,
                                            std::move(next), std::move(completion), 0});
    Attempt(loop);
  }

 private:
  struct Loop {
    std::shared_ptr<RetryPolicy> policy;
    HttpRequest request;
    std::shared_ptr<CallState> call;
    NextPolicy next;
    TransportCompletion completion;
    int attempt;
  };

  static void Attempt(const std::shared_ptr<Loop>& loop) {
    ++loop->attempt;
    loop->next(loop->request, [loop](Result<HttpResponse> outcome) {
      std::shared_ptr<RetryPolicy> self = loop->policy;
      auto& call = *loop->call;
      RetryDecision d = DecideRetry(self->options_, loop->attempt, call.idempotent, outcome,
                                    self->clock_->Now(), call.context.deadline, self->random_());
      if (!call.attempts.empty()) {
        call.attempts.back().note = d.reason;
        call.attempts.back().delay_before_next = d.retry ? d.delay : Duration(0);
        call.attempts.back().retry_after = d.retry_after;
      }
      if (!d.retry || call.context.cancelled()) {
        loop->completion(std::move(outcome));
        return;
      }
      // Wait on the scheduler; a cancellation during the wait ends the call at once.
      auto finish = CallOnce(loop->completion);
      auto cancellation = call.context.cancellation;
      std::uint64_t cancel_id = 0;
      auto wait = std::make_shared<Wait>();
      if (cancellation) {
        cancel_id = cancellation->OnCancel([self, wait, finish] {
          if (TimerId timer = wait->Cancelled()) self->scheduler_->Cancel(timer);
          finish(TransportError(ErrorKind::kCancelled, "cancelled while waiting to retry"));
        });
      }
      loop->completion = finish;
      TimerId timer = self->scheduler_->Schedule(d.delay, [loop, cancellation, cancel_id] {
        if (cancellation) cancellation->Unregister(cancel_id);
        if (loop->call->context.cancelled()) return;
        Attempt(loop);
      });
      if (!wait->Armed(timer)) self->scheduler_->Cancel(timer);
    });
  }

  // The timer of one wait before a retry. It is armed on the thread that got the answer (curl's
  // worker, natively) while a cancel may come from any other thread, so its id passes between the
  // two under a lock: the cancel finds the timer, or the arming thread learns it came too late.
  class Wait final {
   public:
    // False when the call was cancelled before the timer was armed: the caller cancels it.
    bool Armed(TimerId timer) {
      std::lock_guard lock(mutex_);
      if (cancelled_) return false;
      timer_ = timer;
      return true;
    }
    // The timer to cancel (0 = not armed yet: Armed() will refuse it).
    TimerId Cancelled() {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
      return std::exchange(timer_, 0);
    }

   private:
    std::mutex mutex_;
    bool cancelled_ = false;
    TimerId timer_ = 0;
  };

  RetryOptions options_;
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<Scheduler> scheduler_;
  std::function<double()> random_;
};

// Client-side limiter: holds or refuses a request whose credential has no room left.
class RateLimitPolicy final : public Policy {
 public:
  RateLimitPolicy(RateLimitOptions options, std::shared_ptr<Clock> clock,
                  std::shared_ptr<Scheduler> scheduler)
      : options_(std::move(options)), clock_(std::move(clock)), scheduler_(std::move(scheduler)) {}

  void Send(HttpRequest request, const std::shared_ptr<CallState>& call, NextPolicy next,
            TransportCompletion completion) override {
    if (call->rate_key.empty()) {
      next(std::move(request), std::move(completion));
      return;
    }
    RateDecision d = options_.limiter->Acquire(call->rate_key, clock_->Now());
    if (d.allowed) {
      next(std::move(request), std::move(completion));
      return;
    }
    if (options_.mode == RateLimitMode::kWait && d.retry_after <= options_.max_wait) {
      if (!call->attempts.empty()) call->attempts.back().note += "; held by client rate limit";
      scheduler_->Schedule(d.retry_after, [this, request = std::move(request), call, next,
                                           completion = std::move(completion)]() mutable {
        Send(std::move(request), call, std::move(next), std::move(completion));
      });
      return;
    }
    Error e = NotSent(MakeError(ErrorKind::kClientRateLimited,
                                "client-side rate limit: the " + d.window + " window (" +
                                    std::to_string(d.limit) + " requests) is used up"));
    e.retry_after = std::chrono::ceil<std::chrono::seconds>(d.retry_after);
    completion(std::move(e));
  }

 private:
  RateLimitOptions options_;
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<Scheduler> scheduler_;
};

// One masked line per attempt and per answer.
class LoggingPolicy final : public Policy {
 public:
  LoggingPolicy(LogSink sink, bool bodies, std::shared_ptr<Clock> clock)
      : sink_(std::move(sink)), bodies_(bodies), clock_(std::move(clock)) {}

  void Send(HttpRequest request, const std::shared_ptr<CallState>& call, NextPolicy next,
            TransportCompletion completion) override {
    // The declared secrets plus the credentials the request itself carries, so that a key echoed
    // in a body or a transport message is redacted even when the caller declared none.
    auto secrets = std::make_shared<std::vector<std::string>>(call->secrets);
    for (const auto& [n, v] : request.headers) {
      if (!IsSecretHeader(n)) continue;
      secrets->push_back(v);
      if (v.size() > 7 && EqualsIgnoreCase(std::string_view(v).substr(0, 7), "Bearer "))
        secrets->push_back(v.substr(7));
    }
    std::string line = "-> " + std::string(ToString(request.method)) + " " +
                       RedactKnownSecrets(MaskUrl(request.url), *secrets);
    for (const auto& [n, v] : request.headers) {
      line += "\n   " + n + ": " + RedactKnownSecrets(MaskHeaderValue(n, v), *secrets);
    }
    if (bodies_ && !request.body.empty())
      line += "\n   " + RedactKnownSecrets(MaskBody(request.body), *secrets);
    sink_(LogLevel::kDebug, line);
    auto start = clock_->Now();
    next(std::move(request),
         [this, secrets, start, completion = std::move(completion)](Result<HttpResponse> outcome) {
           auto ms =
               std::chrono::duration_cast<std::chrono::milliseconds>(clock_->Now() - start).count();
           std::string out;
           if (outcome.ok()) {
             out = "<- " + std::to_string(outcome->status) + " in " + std::to_string(ms) + " ms";
             if (bodies_ && !outcome->body.empty())
               out += "\n   " + RedactKnownSecrets(MaskBody(outcome->body), *secrets);
           } else {
             out = "<- " + std::string(ToString(outcome.error().kind)) + ": " +
                   RedactKnownSecrets(outcome.error().message, *secrets);
           }
           sink_(outcome.ok() && outcome->status < 400 ? LogLevel::kInfo : LogLevel::kWarning, out);
           completion(std::move(outcome));
         });
  }

 private:
  LogSink sink_;
  bool bodies_;
  std::shared_ptr<Clock> clock_;
};

// The end of the chain: records the attempt, links cancellation, hands over to the transport.
// The transport enforces the timeout (Context::timeout) itself.
class TransportPolicy final : public Policy {
 public:
  TransportPolicy(std::shared_ptr<Transport> transport, std::shared_ptr<Clock> clock)
      : transport_(std::move(transport)), clock_(std::move(clock)) {}

  void Send(HttpRequest request, const std::shared_ptr<CallState>& call, NextPolicy,
            TransportCompletion completion) override {
    core::Attempt attempt;
    attempt.number = static_cast<int>(call->attempts.size()) + 1;
    attempt.started = clock_->Now();
    call->attempts.push_back(attempt);
    std::size_t index = call->attempts.size() - 1;
    if (call->context.cancelled()) {
      call->attempts[index].transport_error = ErrorKind::kCancelled;
      completion(TransportError(ErrorKind::kCancelled, "cancelled before sending"));
      return;
    }
    auto clock = clock_;
    auto done = CallOnce(
        [call, index, clock, completion = std::move(completion)](Result<HttpResponse> outcome) {
          auto& a = call->attempts[index];
          a.elapsed = std::chrono::duration_cast<Duration>(clock->Now() - a.started);
          if (outcome.ok()) {
            a.status = outcome->status;
          } else {
            a.transport_error = outcome.error().kind;
          }
          completion(std::move(outcome));
        });
    transport_->Send(std::move(request), call->context, done);
  }

 private:
  std::shared_ptr<Transport> transport_;
  std::shared_ptr<Clock> clock_;
};

}  // namespace

Pipeline::Pipeline(PipelineOptions options) : options_(std::move(options)) {
  if (!options_.transport) options_.transport = InstalledDefaultTransport();
  if (!options_.clock) options_.clock = SystemClock::Instance();
  if (!options_.scheduler) options_.scheduler = DefaultScheduler();
  if (!options_.random) {
    auto rng = std::make_shared<std::mt19937_64>(std::random_device{}());
    auto mutex = std::make_shared<std::mutex>();
    options_.random = [rng, mutex] {
      std::lock_guard lock(*mutex);
      return std::uniform_real_distribution<double>(0.0, 1.0)(*rng);
    };
  }
  if (!options_.request_id_generator) {
    auto rng = std::make_shared<std::mt19937_64>(std::random_device{}());
    auto mutex = std::make_shared<std::mutex>();
    options_.request_id_generator = [rng, mutex] {
      std::lock_guard lock(*mutex);
      return RandomHex128(*rng);
    };
  }
  if (!options_.rate_limit.windows.empty() && !options_.rate_limit.limiter) {
    options_.rate_limit.limiter = std::make_shared<RateLimiter>(options_.rate_limit.windows);
  }

  policies_.push_back(
      std::make_shared<RequestIdPolicy>(options_.request_id_generator, options_.user_agent));
  for (auto& p : options_.per_call_policies) policies_.push_back(p);
  policies_.push_back(std::make_shared<RetryPolicy>(options_.retry, options_.clock,
                                                    options_.scheduler, options_.random));
  if (options_.rate_limit.limiter) {
    policies_.push_back(
        std::make_shared<RateLimitPolicy>(options_.rate_limit, options_.clock, options_.scheduler));
  }
  for (auto& p : options_.per_attempt_policies) policies_.push_back(p);
  if (options_.logger) {
    policies_.push_back(
        std::make_shared<LoggingPolicy>(options_.logger, options_.log_bodies, options_.clock));
  }
  policies_.push_back(std::make_shared<TransportPolicy>(options_.transport, options_.clock));
}

void Pipeline::Send(HttpRequest request, const std::shared_ptr<CallState>& call,
                    TransportCompletion completion) {
  if (!options_.transport) {
    completion(NotSent(MakeError(ErrorKind::kInvalidArgument, "no transport configured")));
    return;
  }
  if (!call->context.timeout) call->context.timeout = options_.timeout;
  Run(0, std::move(request), call, std::move(completion));
}

void Pipeline::Run(std::size_t index, HttpRequest request, const std::shared_ptr<CallState>& call,
                   TransportCompletion completion) {
  // Policies live as long as the pipeline; a call holds the pipeline's policy list alive through
  // the shared_ptrs it captures (see ServiceClient).
  auto* self = this;
  Policy& policy = *policies_[index];
  NextPolicy next = [self, index, call](HttpRequest r, TransportCompletion c) {
    self->Run(index + 1, std::move(r), call, std::move(c));
  };
  policy.Send(std::move(request), call, std::move(next), std::move(completion));
}

}  // namespace restbox::core
