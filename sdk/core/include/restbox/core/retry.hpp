#pragma once
// Retry decisions, split as in google-cloud-cpp: a stop rule (attempts, deadline), a backoff rule
// (exponential with jitter and a cap, or the server's Retry-After) and an idempotency flag.
// DecideRetry() is a pure function so every branch is unit-tested without waiting.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "restbox/core/clock.hpp"
#include "restbox/core/http.hpp"
#include "restbox/core/result.hpp"

namespace restbox::core {

struct RetryOptions {
  // Total tries including the first. 1 disables retries. Default 4.
  int max_attempts = 4;
  // Backoff before retry n (n >= 1) is min(max_backoff, initial_backoff * multiplier^(n-1)),
  // then scaled by a random factor in [1 - jitter, 1 + jitter]. Defaults: 250 ms, x2, 10 s, 0.2.
  Duration initial_backoff{250};
  double multiplier = 2.0;
  Duration max_backoff{10'000};
  double jitter = 0.2;
  // A Retry-After longer than this is not waited for: the error is returned at once. Default 60 s.
  Duration max_retry_after{60'000};
  // HTTP statuses worth another try. Default: 408, 429, 500, 502, 503, 504.
  std::vector<int> retryable_statuses{408, 429, 500, 502, 503, 504};
  // Retry connection failures and timeouts (never cancellations). Default true.
  bool retry_transport_errors = true;
  // Extra rule for answers whose status is not retryable, e.g. the marketplace's "busy" code 1003
  // carried in a 200. Returns true to retry. Such an answer says the request was not processed, so
  // it is retried even when the call is not idempotent. Default: none.
  std::function<bool(const HttpResponse&)> retry_if;
};

struct RetryDecision {
  bool retry = false;
  Duration delay{0};
  std::string reason;  // why (not), for the attempt timeline
  // The answer's Retry-After, read whatever the decision (the error of a final answer reports it).
  std::optional<std::chrono::seconds> retry_after;
};

// Parses a Retry-After value: delay-seconds ("120") or an HTTP-date, relative to `now`. A date in
// the past gives 0. Returns nullopt when the value is neither.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, TimePoint now);

// Decides whether attempt `attempt` (1-based) that produced `outcome` should be followed by
// another, and after how long. `random01` is a number in [0, 1) used for jitter (injected for
// tests).
RetryDecision DecideRetry(const RetryOptions& options, int attempt, bool idempotent,
                          const Result<HttpResponse>& outcome, TimePoint now,
                          std::optional<TimePoint> deadline, double random01);

// The backoff alone, for attempt `attempt` (1-based) and a given random number.
Duration BackoffDelay(const RetryOptions& options, int attempt, double random01);

}  // namespace restbox::core
