// DecideRetry / BackoffDelay / ParseRetryAfter: every branch of the pure retry rules, with the
// clock and the jitter injected (no waiting anywhere).
#include <cstdint>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "restbox/core/retry.hpp"

namespace restbox::core {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;

const TimePoint kNow = ManualClock::DefaultStart();

Result<HttpResponse> Answer(int status, Headers headers = {}) {
  HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  return r;
}

Result<HttpResponse> Failure(ErrorKind kind) {
  return MakeError(kind, "transport said no");
}

// Jitter off, so delays are exact: 250, 500, 1000... capped at 10 s.
RetryOptions NoJitter() {
  RetryOptions o;
  o.jitter = 0.0;
  return o;
}

RetryDecision Decide(const RetryOptions& o, const Result<HttpResponse>& outcome, int attempt = 1,
                     bool idempotent = true, std::optional<TimePoint> deadline = std::nullopt,
                     double random01 = 0.5) {
  return DecideRetry(o, attempt, idempotent, outcome, kNow, deadline, random01);
}

TEST(DecideRetry, RetriesEachDefaultRetryableStatus) {
  for (int status : {408, 429, 500, 502, 503, 504}) {
    auto d = Decide(NoJitter(), Answer(status));
    EXPECT_TRUE(d.retry) << status << ": " << d.reason;
    EXPECT_EQ(d.delay, Duration(250)) << status;
    EXPECT_THAT(d.reason, HasSubstr("status " + std::to_string(status)));
    EXPECT_THAT(d.reason, HasSubstr("(backoff)"));
  }
}

TEST(DecideRetry, NeverRetriesFinalStatuses) {
  for (int status : {200, 202, 400, 401, 403, 404, 405, 409, 413, 415, 422, 501}) {
    auto d = Decide(NoJitter(), Answer(status));
    EXPECT_FALSE(d.retry) << status;
    EXPECT_EQ(d.delay, Duration(0)) << status;
    EXPECT_THAT(d.reason, HasSubstr("is final")) << status;
  }
}

TEST(DecideRetry, RetryableStatusesAreConfigurable) {
  RetryOptions o = NoJitter();
  o.retryable_statuses = {409};
  EXPECT_TRUE(Decide(o, Answer(409)).retry);
  EXPECT_FALSE(Decide(o, Answer(503)).retry);
}

TEST(DecideRetry, RetriesConnectionFailuresAndTimeoutsButNotCancellation) {
  EXPECT_TRUE(Decide(NoJitter(), Failure(ErrorKind::kConnection)).retry);
  EXPECT_TRUE(Decide(NoJitter(), Failure(ErrorKind::kTimeout)).retry);
  EXPECT_TRUE(Decide(NoJitter(), Failure(ErrorKind::kProtocol)).retry);
  auto cancelled = Decide(NoJitter(), Failure(ErrorKind::kCancelled));
  EXPECT_FALSE(cancelled.retry);
  EXPECT_EQ(cancelled.reason, "cancelled");
}

TEST(DecideRetry, TransportRetriesCanBeSwitchedOff) {
  RetryOptions o = NoJitter();
  o.retry_transport_errors = false;
  auto d = Decide(o, Failure(ErrorKind::kConnection));
  EXPECT_FALSE(d.retry);
  EXPECT_THAT(d.reason, HasSubstr("connection is final"));
}

TEST(DecideRetry, SdkSideErrorsAreFinal) {
  for (ErrorKind k : {ErrorKind::kDecode, ErrorKind::kClientValidation,
                      ErrorKind::kClientRateLimited, ErrorKind::kInvalidArgument}) {
    auto d = Decide(NoJitter(), Failure(k));
    EXPECT_FALSE(d.retry) << ToString(k);
    EXPECT_THAT(d.reason, HasSubstr("is final"));
  }
}

TEST(DecideRetry, NonIdempotentCallsAreNotRetried) {
  for (const auto& outcome : {Answer(503), Answer(429, {{"Retry-After", "1"}}),
                              Failure(ErrorKind::kTimeout), Failure(ErrorKind::kConnection)}) {
    auto d = Decide(NoJitter(), outcome, 1, /*idempotent=*/false);
    EXPECT_FALSE(d.retry);
    EXPECT_THAT(d.reason, HasSubstr("not idempotent"));
  }
}

TEST(DecideRetry, RetryIfBusyRetriesEvenNonIdempotentCalls) {
  RetryOptions o = NoJitter();
  o.retry_if = [](const HttpResponse& r) {
    return r.body.find("\"code\":1003") != std::string::npos;
  };
  auto busy = Answer(200);
  busy.value().body = R"({"code":1003,"msg":"busy"})";
  auto d = Decide(o, busy, 1, /*idempotent=*/false);
  EXPECT_TRUE(d.retry) << d.reason;
  EXPECT_EQ(d.delay, Duration(250));
  EXPECT_THAT(d.reason, HasSubstr("service says busy"));

  auto fine = Answer(200);
  fine.value().body = R"({"code":0})";
  EXPECT_FALSE(Decide(o, fine, 1, false).retry);
  // retry_if does not make a retryable status retryable for a non-idempotent call.
  EXPECT_FALSE(Decide(o, Answer(503), 1, false).retry);
  // Busy answers still respect max_attempts.
  EXPECT_FALSE(Decide(o, busy, o.max_attempts, false).retry);
}

TEST(DecideRetry, StopsAtMaxAttempts) {
  RetryOptions o = NoJitter();
  o.max_attempts = 3;
  EXPECT_TRUE(Decide(o, Answer(503), 1).retry);
  EXPECT_TRUE(Decide(o, Answer(503), 2).retry);
  auto d = Decide(o, Answer(503), 3);
  EXPECT_FALSE(d.retry);
  EXPECT_THAT(d.reason, HasSubstr("3 attempts used"));
  o.max_attempts = 1;
  EXPECT_FALSE(Decide(o, Answer(503), 1).retry);
}

TEST(DecideRetry, BackoffGrowsExponentially) {
  RetryOptions o = NoJitter();
  o.max_attempts = 100;
  EXPECT_EQ(Decide(o, Answer(503), 1).delay, Duration(250));
  EXPECT_EQ(Decide(o, Answer(503), 2).delay, Duration(500));
  EXPECT_EQ(Decide(o, Answer(503), 3).delay, Duration(1000));
  EXPECT_EQ(Decide(o, Answer(503), 4).delay, Duration(2000));
  o.multiplier = 3.0;
  o.initial_backoff = Duration(100);
  EXPECT_EQ(Decide(o, Answer(503), 3).delay, Duration(900));
}

TEST(DecideRetry, StopsWhenTheDeadlineWouldPass) {
  RetryOptions o = NoJitter();
  // Backoff 250 ms: a deadline 250 ms away is too close, 251 ms is enough.
  auto too_close = Decide(o, Answer(503), 1, true, kNow + Duration(250));
  EXPECT_FALSE(too_close.retry);
  EXPECT_THAT(too_close.reason, HasSubstr("deadline"));
  EXPECT_TRUE(Decide(o, Answer(503), 1, true, kNow + Duration(251)).retry);
  // Retry-After counts too.
  auto late = Decide(o, Answer(429, {{"Retry-After", "5"}}), 1, true, kNow + seconds(4));
  EXPECT_FALSE(late.retry);
  EXPECT_THAT(late.reason, HasSubstr("deadline"));
}

TEST(DecideRetry, HonoursRetryAfterSeconds) {
  auto d = Decide(NoJitter(), Answer(429, {{"Retry-After", "7"}}));
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, Duration(7000));
  EXPECT_THAT(d.reason, HasSubstr("retry in 7000 ms (Retry-After)"));
  // Jitter is not applied to the server's own delay.
  RetryOptions jittery;
  EXPECT_EQ(Decide(jittery, Answer(503, {{"retry-after", "3"}}), 1, true, {}, 0.0).delay,
            Duration(3000));
}

TEST(DecideRetry, HonoursRetryAfterHttpDate) {
  auto d = Decide(NoJitter(), Answer(503, {{"Retry-After", FormatHttpDate(kNow + seconds(12))}}));
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, Duration(12'000));
  auto past =
      Decide(NoJitter(), Answer(503, {{"Retry-After", FormatHttpDate(kNow - seconds(30))}}));
  EXPECT_TRUE(past.retry);
  EXPECT_EQ(past.delay, Duration(0));
}

TEST(DecideRetry, RetryAfterLongerThanTheLimitIsNotWaitedFor) {
  RetryOptions o = NoJitter();
  o.max_retry_after = Duration(60'000);
  EXPECT_TRUE(Decide(o, Answer(429, {{"Retry-After", "60"}})).retry);
  auto d = Decide(o, Answer(429, {{"Retry-After", "61"}}));
  EXPECT_FALSE(d.retry);
  EXPECT_EQ(d.delay, Duration(0));
  EXPECT_THAT(d.reason, HasSubstr("Retry-After 61 s exceeds the limit"));
  auto month = Decide(o, Answer(429, {{"Retry-After", "2678400"}}));
  EXPECT_FALSE(month.retry);
}

TEST(DecideRetry, HugeRetryAfterIsNotRetriedAndNeverNegative) {
  // Values past what milliseconds can hold must not wrap around into a short (or negative) wait.
  for (const char* value :
       {"99999999999999999999999", "9223372036854775807", "9223372036854775", "4294967296"}) {
    auto d = Decide(NoJitter(), Answer(429, {{"Retry-After", value}}));
    EXPECT_FALSE(d.retry) << value << ": " << d.reason;
    EXPECT_GE(d.delay, Duration(0)) << value;
  }
}

TEST(DecideRetry, UnparsableRetryAfterFallsBackToBackoff) {
  auto d = Decide(NoJitter(), Answer(503, {{"Retry-After", "soon"}}));
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, Duration(250));
  EXPECT_THAT(d.reason, HasSubstr("(backoff)"));
}

TEST(BackoffDelay, JitterStaysWithinItsBounds) {
  RetryOptions o;  // 250 ms, jitter 0.2
  EXPECT_EQ(BackoffDelay(o, 1, 0.0), Duration(200));
  EXPECT_EQ(BackoffDelay(o, 1, 0.5), Duration(250));
  EXPECT_EQ(BackoffDelay(o, 1, 0.999999), Duration(300));
  for (double r = 0.0; r < 1.0; r += 0.01) {
    auto d = BackoffDelay(o, 2, r);
    EXPECT_GE(d, Duration(400)) << r;
    EXPECT_LE(d, Duration(600)) << r;
  }
  // Out-of-range randoms and jitter are clamped, never producing negative or runaway delays.
  EXPECT_EQ(BackoffDelay(o, 1, -3.0), Duration(200));
  EXPECT_EQ(BackoffDelay(o, 1, 7.0), Duration(300));
  o.jitter = 5.0;
  EXPECT_EQ(BackoffDelay(o, 1, 0.0), Duration(0));
  EXPECT_EQ(BackoffDelay(o, 1, 1.0), Duration(500));
}

TEST(BackoffDelay, IsCappedAtMaxBackoffEvenWithJitter) {
  RetryOptions o;                                        // cap 10 s
  EXPECT_EQ(BackoffDelay(o, 7, 0.5), Duration(10'000));  // 250 * 64 = 16 s -> 10 s
  EXPECT_EQ(BackoffDelay(o, 7, 0.999999), Duration(10'000));
  EXPECT_EQ(BackoffDelay(o, 7, 0.0), Duration(8'000));      // the cap, then jitter down
  EXPECT_EQ(BackoffDelay(o, 5000, 0.5), Duration(10'000));  // pow overflows to inf: still capped
  o.max_backoff = Duration(300);
  EXPECT_EQ(BackoffDelay(o, 3, 0.5), Duration(300));
}

TEST(ParseRetryAfter, ReadsDelaySeconds) {
  EXPECT_EQ(ParseRetryAfter("120", kNow), seconds(120));
  EXPECT_EQ(ParseRetryAfter("0", kNow), seconds(0));
  EXPECT_EQ(ParseRetryAfter("  5\t", kNow), seconds(5));
  EXPECT_EQ(ParseRetryAfter("007", kNow), seconds(7));
}

TEST(ParseRetryAfter, ReadsHttpDates) {
  EXPECT_EQ(ParseRetryAfter(FormatHttpDate(kNow + seconds(90)), kNow), seconds(90));
  EXPECT_EQ(ParseRetryAfter(" " + FormatHttpDate(kNow + seconds(1)) + " ", kNow), seconds(1));
  // A date in the past means "now".
  EXPECT_EQ(ParseRetryAfter(FormatHttpDate(kNow - seconds(3600)), kNow), seconds(0));
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kNow), seconds(0));
  // Sub-second remainders round up: waiting less than asked would be too early.
  EXPECT_EQ(ParseRetryAfter(FormatHttpDate(kNow + seconds(2)), kNow - Duration(400)), seconds(3));
}

TEST(ParseRetryAfter, RejectsGarbage) {
  for (const char* v : {"", "   ", "soon", "-5", "+5", "1.5", "12abc", "0x10", "1 2",
                        "Sun, 06 Nov 1994 08:49:37", "06 Nov 1994 08:49:37 GMT",
                        "Sunday, 06-Nov-94 08:49:37 GMT", "Sun, 31 Feb 2026 08:49:37 GMT"}) {
    EXPECT_FALSE(ParseRetryAfter(v, kNow)) << '"' << v << '"';
  }
}

TEST(ParseRetryAfter, ClampsHugeNumbers) {
  auto huge = ParseRetryAfter("99999999999999999999999999", kNow);
  ASSERT_TRUE(huge);
  EXPECT_EQ(*huge, seconds(INT32_MAX));
  // Fits in 64 bits but not once converted to milliseconds: clamped as well.
  auto big = ParseRetryAfter("9223372036854775807", kNow);
  ASSERT_TRUE(big);
  EXPECT_EQ(*big, seconds(INT32_MAX));
  EXPECT_EQ(ParseRetryAfter("2147483647", kNow), seconds(INT32_MAX));
  EXPECT_EQ(ParseRetryAfter("86400", kNow), seconds(86400));
}

}  // namespace
}  // namespace restbox::core
