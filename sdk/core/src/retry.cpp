#include "restbox/core/retry.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace restbox::core {

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, TimePoint now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {
    long long secs = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), secs);
    if (ec == std::errc::result_out_of_range) return std::chrono::seconds(INT32_MAX);
    if (ec != std::errc() || ptr != value.data() + value.size()) return std::nullopt;
    // Clamped like out-of-range values: callers convert to milliseconds, where anything near the
    // 64-bit limit would overflow (into a short or negative wait).
    return std::chrono::seconds(std::min<long long>(secs, INT32_MAX));
  }
  auto when = ParseHttpDate(value);
  if (!when) return std::nullopt;
  auto delta = std::chrono::ceil<std::chrono::seconds>(*when - now);
  return std::max(delta, std::chrono::seconds(0));
}

Duration BackoffDelay(const RetryOptions& options, int attempt, double random01) {
  double base = static_cast<double>(options.initial_backoff.count()) *
                std::pow(options.multiplier, std::max(0, attempt - 1));
  base = std::min(base, static_cast<double>(options.max_backoff.count()));
  double jitter = std::clamp(options.jitter, 0.0, 1.0);
  double factor = 1.0 - jitter + 2.0 * jitter * std::clamp(random01, 0.0, 1.0);
  double delay = std::min(base * factor, static_cast<double>(options.max_backoff.count()));
  return Duration(static_cast<Duration::rep>(std::llround(std::max(0.0, delay))));
}

RetryDecision DecideRetry(const RetryOptions& options, int attempt, bool idempotent,
                          const Result<HttpResponse>& outcome, TimePoint now,
                          std::optional<TimePoint> deadline, double random01) {
  RetryDecision d;
  std::optional<Duration> server_delay;
  bool service_says_unprocessed = false;
  if (outcome.ok()) {
    const HttpResponse& r = outcome.value();
    if (auto ra = r.headers.Get("Retry-After")) d.retry_after = ParseRetryAfter(*ra, now);
    bool status_retryable =
        std::find(options.retryable_statuses.begin(), options.retryable_statuses.end(), r.status) !=
        options.retryable_statuses.end();
    bool extra = !status_retryable && options.retry_if && options.retry_if(r);
    if (!status_retryable && !extra) {
      d.reason = "status " + std::to_string(r.status) + " is final";
      return d;
    }
    if (d.retry_after) server_delay = *d.retry_after;
    service_says_unprocessed = extra;
    d.reason = "status " + std::to_string(r.status) + (extra ? " (service says busy)" : "");
  } else {
    const Error& e = outcome.error();
    if (e.kind == ErrorKind::kCancelled) {
      d.reason = "cancelled";
      return d;
    }
    if (!IsTransportError(e.kind) || !options.retry_transport_errors) {
      d.reason = std::string(ToString(e.kind)) + " is final";
      return d;
    }
    d.reason = std::string(ToString(e.kind));
  }
  if (!idempotent && !service_says_unprocessed) {
    d.reason += "; not retried: request is not idempotent";
    return d;
  }
  if (attempt >= options.max_attempts) {
    d.reason += "; not retried: " + std::to_string(options.max_attempts) + " attempts used";
    return d;
  }
  if (server_delay) {
    if (*server_delay > options.max_retry_after) {
      d.reason +=
          "; not retried: Retry-After " +
          std::to_string(std::chrono::duration_cast<std::chrono::seconds>(*server_delay).count()) +
          " s exceeds the limit";
      return d;
    }
    d.delay = *server_delay;
  } else {
    d.delay = BackoffDelay(options, attempt, random01);
  }
  if (deadline && now + d.delay >= *deadline) {
    d.reason += "; not retried: the deadline would pass";
    return d;
  }
  d.retry = true;
  d.reason += "; retry in " + std::to_string(d.delay.count()) + " ms" +
              (server_delay ? " (Retry-After)" : " (backoff)");
  return d;
}

}  // namespace restbox::core
