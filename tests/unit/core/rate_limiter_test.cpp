// Fixed windows aligned to UTC boundaries, driven by a ManualClock.
#include <gtest/gtest.h>

#include <algorithm>

#include "restbox/core/rate_limiter.hpp"

namespace restbox::core {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TimePoint At(const char* iso) {
  auto t = ParseIso8601(iso);
  EXPECT_TRUE(t) << iso;
  return t.value_or(TimePoint{});
}

RateWindow PerMinute(std::int64_t limit) {
  return {"minute", WindowUnit::kMinute, limit};
}
RateWindow PerDay(std::int64_t limit) {
  return {"day", WindowUnit::kDay, limit};
}
RateWindow PerMonth(std::int64_t limit) {
  return {"month", WindowUnit::kMonth, limit};
}

TEST(RateWindows, AlignToUtcBoundaries) {
  TimePoint t = At("2026-03-15T13:45:30.250Z");
  EXPECT_EQ(WindowStart(WindowUnit::kSecond, t), At("2026-03-15T13:45:30Z"));
  EXPECT_EQ(WindowEnd(WindowUnit::kSecond, t), At("2026-03-15T13:45:31Z"));
  EXPECT_EQ(WindowStart(WindowUnit::kMinute, t), At("2026-03-15T13:45:00Z"));
  EXPECT_EQ(WindowEnd(WindowUnit::kMinute, t), At("2026-03-15T13:46:00Z"));
  EXPECT_EQ(WindowStart(WindowUnit::kHour, t), At("2026-03-15T13:00:00Z"));
  EXPECT_EQ(WindowEnd(WindowUnit::kHour, t), At("2026-03-15T14:00:00Z"));
  EXPECT_EQ(WindowStart(WindowUnit::kDay, t), At("2026-03-15"));
  EXPECT_EQ(WindowEnd(WindowUnit::kDay, t), At("2026-03-16"));
  EXPECT_EQ(WindowStart(WindowUnit::kMonth, t), At("2026-03-01"));
  EXPECT_EQ(WindowEnd(WindowUnit::kMonth, t), At("2026-04-01"));
}

TEST(RateWindows, MonthEndsFollowTheCalendar) {
  EXPECT_EQ(WindowEnd(WindowUnit::kMonth, At("2026-01-31T23:59:59.999Z")), At("2026-02-01"));
  EXPECT_EQ(WindowEnd(WindowUnit::kMonth, At("2026-02-01")), At("2026-03-01"));
  EXPECT_EQ(WindowEnd(WindowUnit::kMonth, At("2028-02-29T12:00:00Z")), At("2028-03-01"));
  EXPECT_EQ(WindowStart(WindowUnit::kMonth, At("2026-12-31T23:59:59Z")), At("2026-12-01"));
  EXPECT_EQ(WindowEnd(WindowUnit::kMonth, At("2026-12-31T23:59:59Z")), At("2027-01-01"));
  EXPECT_EQ(WindowEnd(WindowUnit::kDay, At("2026-12-31T23:59:59Z")), At("2027-01-01"));
}

TEST(RateLimiter, SixtyFirstRequestInAMinuteIsRefusedUntilTheMinuteEnds) {
  ManualClock clock;
  RateLimiter limiter({PerMinute(60)});
  clock.Advance(Duration(10'500));  // 00:00:10.500
  for (int i = 0; i < 60; ++i) {
    auto d = limiter.Acquire("k", clock.Now());
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 59 - i);
    EXPECT_EQ(d.window, "minute");
    EXPECT_EQ(d.limit, 60);
  }
  auto refused = limiter.Acquire("k", clock.Now());
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.window, "minute");
  EXPECT_EQ(refused.limit, 60);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.resets_at, At("2026-01-01T00:01:00Z"));
  EXPECT_EQ(refused.retry_after, Duration(49'500));

  // Still refused a millisecond before :00, and refusals are not counted.
  clock.AdvanceTo(At("2026-01-01T00:00:59.999Z"));
  auto last = limiter.Acquire("k", clock.Now());
  EXPECT_FALSE(last.allowed);
  EXPECT_EQ(last.retry_after, Duration(1));
  clock.AdvanceTo(At("2026-01-01T00:01:00Z"));
  auto fresh = limiter.Acquire("k", clock.Now());
  EXPECT_TRUE(fresh.allowed);
  EXPECT_EQ(fresh.remaining, 59);
}

TEST(RateLimiter, PeekDoesNotCount) {
  ManualClock clock;
  RateLimiter limiter({PerMinute(1)});
  EXPECT_TRUE(limiter.Peek("k", clock.Now()).allowed);
  EXPECT_TRUE(limiter.Peek("k", clock.Now()).allowed);
  EXPECT_TRUE(limiter.Acquire("k", clock.Now()).allowed);
  auto peek = limiter.Peek("k", clock.Now());
  EXPECT_FALSE(peek.allowed);
  EXPECT_EQ(peek.retry_after, Duration(60'000));
}

TEST(RateLimiter, DayWindowResetsAtMidnightUtc) {
  ManualClock clock(At("2026-05-10T23:00:00Z"));
  RateLimiter limiter({PerDay(3)});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Acquire("k", clock.Now()).allowed);
  auto d = limiter.Acquire("k", clock.Now());
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.window, "day");
  EXPECT_EQ(d.resets_at, At("2026-05-11"));
  EXPECT_EQ(d.retry_after, hours(1));
  clock.Advance(minutes(59));
  EXPECT_FALSE(limiter.Acquire("k", clock.Now()).allowed);
  clock.Advance(minutes(1));
  EXPECT_TRUE(limiter.Acquire("k", clock.Now()).allowed);
}

TEST(RateLimiter, MonthWindowRollsOverFromJanuaryToFebruary) {
  ManualClock clock(At("2026-01-31T23:59:58Z"));
  RateLimiter limiter({PerMonth(2)});
  EXPECT_TRUE(limiter.Acquire("k", clock.Now()).allowed);
  EXPECT_TRUE(limiter.Acquire("k", clock.Now()).allowed);
  auto d = limiter.Acquire("k", clock.Now());
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.window, "month");
  EXPECT_EQ(d.resets_at, At("2026-02-01"));
  EXPECT_EQ(d.retry_after, seconds(2));
  clock.AdvanceTo(At("2026-02-01T00:00:00Z"));
  auto feb = limiter.Acquire("k", clock.Now());
  EXPECT_TRUE(feb.allowed);
  EXPECT_EQ(feb.resets_at, At("2026-03-01"));
}

TEST(RateLimiter, MonthWindowRollsOverFromDecemberToJanuary) {
  ManualClock clock(At("2026-12-15T08:00:00Z"));
  RateLimiter limiter({PerMonth(1)});
  EXPECT_TRUE(limiter.Acquire("k", clock.Now()).allowed);
  auto d = limiter.Acquire("k", clock.Now());
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.resets_at, At("2027-01-01"));
  EXPECT_EQ(d.retry_after, At("2027-01-01") - At("2026-12-15T08:00:00Z"));
  clock.AdvanceTo(At("2026-12-31T23:59:59.999Z"));
  EXPECT_FALSE(limiter.Acquire("k", clock.Now()).allowed);
  clock.AdvanceTo(At("2027-01-01"));
  EXPECT_TRUE(limiter.Acquire("k", clock.Now()).allowed);
}

TEST(RateLimiter, KeysAreCountedSeparately) {
  ManualClock clock;
  RateLimiter limiter({PerMinute(2)});
  EXPECT_TRUE(limiter.Acquire("a", clock.Now()).allowed);
  EXPECT_TRUE(limiter.Acquire("a", clock.Now()).allowed);
  EXPECT_FALSE(limiter.Acquire("a", clock.Now()).allowed);
  EXPECT_TRUE(limiter.Acquire("b", clock.Now()).allowed);
  auto keys = limiter.Keys();
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b"}));
}

TEST(RateLimiter, PerKeyWindowsReplaceTheDefaults) {
  ManualClock clock;
  RateLimiter limiter({PerMinute(100)});
  limiter.SetWindows("small", {PerMinute(1), PerDay(10)});
  EXPECT_TRUE(limiter.Acquire("small", clock.Now()).allowed);
  EXPECT_FALSE(limiter.Acquire("small", clock.Now()).allowed);
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(limiter.Acquire("big", clock.Now()).allowed);
  auto snap = limiter.Snapshot("small", clock.Now());
  ASSERT_EQ(snap.size(), 2u);
  EXPECT_EQ(snap[0].name, "minute");
  EXPECT_EQ(snap[1].name, "day");
  EXPECT_EQ(snap[1].used, 1);
  auto big = limiter.Snapshot("big", clock.Now());
  ASSERT_EQ(big.size(), 1u);
  EXPECT_EQ(big[0].limit, 100);
  EXPECT_EQ(big[0].used, 50);
}

TEST(RateLimiter, NoWindowsMeansUnlimited) {
  ManualClock clock;
  RateLimiter limiter;
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.Acquire("k", clock.Now()).allowed);
  EXPECT_TRUE(limiter.Snapshot("k", clock.Now()).empty());
}

TEST(RateLimiter, SetUsedMarksAWindowAsSpent) {
  ManualClock clock(At("2026-01-20T10:00:00Z"));
  RateLimiter limiter({PerMinute(60), PerMonth(10'000)});
  limiter.SetUsed("quota", "month", 10'000, clock.Now());
  auto d = limiter.Acquire("quota", clock.Now());
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.window, "month");
  EXPECT_EQ(d.resets_at, At("2026-02-01"));
  // Partially used: exactly the rest is available.
  limiter.SetUsed("partial", "month", 9'998, clock.Now());
  EXPECT_TRUE(limiter.Acquire("partial", clock.Now()).allowed);
  EXPECT_TRUE(limiter.Acquire("partial", clock.Now()).allowed);
  EXPECT_FALSE(limiter.Acquire("partial", clock.Now()).allowed);
  // An unknown window name changes nothing.
  limiter.SetUsed("other", "fortnight", 1'000'000, clock.Now());
  EXPECT_TRUE(limiter.Acquire("other", clock.Now()).allowed);
  // The spent month is over once the month is.
  clock.AdvanceTo(At("2026-02-01"));
  EXPECT_TRUE(limiter.Acquire("quota", clock.Now()).allowed);
}

TEST(RateLimiter, SnapshotReportsUsageAndResetTimes) {
  ManualClock clock(At("2026-01-01T00:00:30Z"));
  RateLimiter limiter({PerMinute(60), PerDay(1000)});
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(limiter.Acquire("k", clock.Now()).allowed);
  auto snap = limiter.Snapshot("k", clock.Now());
  ASSERT_EQ(snap.size(), 2u);
  EXPECT_EQ(snap[0].name, "minute");
  EXPECT_EQ(snap[0].limit, 60);
  EXPECT_EQ(snap[0].used, 7);
  EXPECT_EQ(snap[0].window_start, At("2026-01-01T00:00:00Z"));
  EXPECT_EQ(snap[0].resets_at, At("2026-01-01T00:01:00Z"));
  EXPECT_EQ(snap[1].used, 7);
  EXPECT_EQ(snap[1].resets_at, At("2026-01-02"));
  // A new minute: the minute counter reads 0, the day keeps counting.
  clock.Advance(seconds(30));
  snap = limiter.Snapshot("k", clock.Now());
  EXPECT_EQ(snap[0].used, 0);
  EXPECT_EQ(snap[1].used, 7);
  // Unknown keys show the default windows, unused.
  auto unknown = limiter.Snapshot("nobody", clock.Now());
  ASSERT_EQ(unknown.size(), 2u);
  EXPECT_EQ(unknown[0].used, 0);
}

TEST(RateLimiter, CostCountsSeveralRequestsAtOnce) {
  ManualClock clock;
  RateLimiter limiter({PerMinute(10)});
  auto d = limiter.Acquire("k", clock.Now(), 7);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 3);
  auto refused = limiter.Acquire("k", clock.Now(), 4);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 3);
  // The refused cost was not counted: 3 still fit.
  EXPECT_TRUE(limiter.Acquire("k", clock.Now(), 3).allowed);
  EXPECT_FALSE(limiter.Acquire("k", clock.Now(), 1).allowed);
}

TEST(RateLimiter, TheTightestOfSeveralWindowsRefuses) {
  ManualClock clock(At("2026-01-01T00:00:00Z"));
  RateLimiter limiter({PerMinute(60), PerDay(100)});
  int sent = 0;
  // 60 per minute for one minute, then 40 more in the next: the day window is used up.
  for (int i = 0; i < 60; ++i) sent += limiter.Acquire("k", clock.Now()).allowed;
  auto minute_refusal = limiter.Acquire("k", clock.Now());
  EXPECT_FALSE(minute_refusal.allowed);
  EXPECT_EQ(minute_refusal.window, "minute");
  clock.Advance(minutes(1));
  for (int i = 0; i < 40; ++i) {
    auto d = limiter.Acquire("k", clock.Now());
    sent += d.allowed;
    // The day window is the tighter one from here on and is the one reported.
    EXPECT_EQ(d.window, "day") << i;
    EXPECT_EQ(d.remaining, 39 - i) << i;
  }
  EXPECT_EQ(sent, 100);
  auto day_refusal = limiter.Acquire("k", clock.Now());
  EXPECT_FALSE(day_refusal.allowed);
  EXPECT_EQ(day_refusal.window, "day");
  EXPECT_EQ(day_refusal.limit, 100);
  EXPECT_EQ(day_refusal.resets_at, At("2026-01-02"));
  // The refusal counted nowhere: the minute window shows 40 used.
  EXPECT_EQ(limiter.Snapshot("k", clock.Now())[0].used, 40);
}

TEST(RateLimiter, ResetForgetsCounters) {
  ManualClock clock;
  RateLimiter limiter({PerMinute(1)});
  limiter.SetWindows("custom", {PerMinute(5)});
  EXPECT_TRUE(limiter.Acquire("a", clock.Now()).allowed);
  EXPECT_TRUE(limiter.Acquire("b", clock.Now()).allowed);
  limiter.Reset("a");
  EXPECT_TRUE(limiter.Acquire("a", clock.Now()).allowed);
  EXPECT_FALSE(limiter.Acquire("b", clock.Now()).allowed);
  limiter.Reset();
  EXPECT_TRUE(limiter.Keys().empty());
  EXPECT_TRUE(limiter.Acquire("b", clock.Now()).allowed);
  // Per-key windows are gone too: "custom" is back to the default 1 per minute.
  EXPECT_TRUE(limiter.Acquire("custom", clock.Now()).allowed);
  EXPECT_FALSE(limiter.Acquire("custom", clock.Now()).allowed);
}

}  // namespace
}  // namespace restbox::core
