// Timestamps (ISO 8601 / RFC 3339 and HTTP dates) and the ManualClock scheduler that every
// time-dependent test relies on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "restbox/core/clock.hpp"
#ifndef __EMSCRIPTEN__
#include <condition_variable>
#include <mutex>

#include "restbox/core/thread_scheduler.hpp"
#endif

namespace restbox::core {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Seconds since the Unix epoch, written out so the expectations do not reuse the code under test.
TimePoint Epoch(std::int64_t secs, std::int64_t ms = 0) {
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(seconds(secs) + milliseconds(ms)));
}
constexpr std::int64_t k2026 = 1767225600;  // 2026-01-01T00:00:00Z

TEST(Iso8601, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatIso8601(Epoch(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(Epoch(k2026)), "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(Epoch(k2026, 1)), "2026-01-01T00:00:00.001Z");
  EXPECT_EQ(FormatIso8601(Epoch(951782400 + 86399, 999)), "2000-02-29T23:59:59.999Z");
  EXPECT_EQ(FormatIso8601(Epoch(-1)), "1969-12-31T23:59:59.000Z");
  EXPECT_EQ(FormatIso8601(Epoch(0, -1)), "1969-12-31T23:59:59.999Z");
}

TEST(Iso8601, ManualClockStartsAt2026) {
  EXPECT_EQ(ManualClock::DefaultStart(), Epoch(k2026));
  EXPECT_EQ(ManualClock().Now(), Epoch(k2026));
}

TEST(Iso8601, ParsesDatesAndTimes) {
  EXPECT_EQ(ParseIso8601("2026-01-01"), Epoch(k2026));
  EXPECT_EQ(ParseIso8601("2026-01-01T00:00:00Z"), Epoch(k2026));
  EXPECT_EQ(ParseIso8601("2026-01-01T00:00:00z"), Epoch(k2026));
  EXPECT_EQ(ParseIso8601("2026-01-01 00:00:00Z"), Epoch(k2026));
  EXPECT_EQ(ParseIso8601("2026-01-01T00:00:00"), Epoch(k2026));  // no zone: UTC
  EXPECT_EQ(ParseIso8601("2026-01-02T03:04:05Z"), Epoch(k2026 + 86400 + 3 * 3600 + 4 * 60 + 5));
}

TEST(Iso8601, ParsesFractions) {
  EXPECT_EQ(ParseIso8601("2026-01-01T00:00:00.5Z"), Epoch(k2026, 500));
  EXPECT_EQ(ParseIso8601("2026-01-01T00:00:00.05Z"), Epoch(k2026, 50));
  EXPECT_EQ(ParseIso8601("2026-01-01T00:00:00.123Z"), Epoch(k2026, 123));
  EXPECT_EQ(ParseIso8601("2026-01-01T00:00:00.123999999Z"), Epoch(k2026, 123));  // truncated
  EXPECT_FALSE(ParseIso8601("2026-01-01T00:00:00.Z"));
  EXPECT_FALSE(ParseIso8601("2026-01-01T00:00:00.Z"));
}

TEST(Iso8601, AppliesOffsets) {
  EXPECT_EQ(ParseIso8601("2026-01-01T08:00:00+08:00"), Epoch(k2026));
  EXPECT_EQ(ParseIso8601("2026-01-01T08:00:00+0800"), Epoch(k2026));
  EXPECT_EQ(ParseIso8601("2025-12-31T18:30:00-05:30"), Epoch(k2026));
  EXPECT_EQ(ParseIso8601("2026-01-01T00:00:00+00:00"), Epoch(k2026));
  EXPECT_EQ(ParseIso8601("2026-01-01T00:00:00.250-00:00"), Epoch(k2026, 250));
  EXPECT_FALSE(ParseIso8601("2026-01-01T00:00:00+8"));
  EXPECT_FALSE(ParseIso8601("2026-01-01T00:00:00+08:0"));
  EXPECT_FALSE(ParseIso8601("2026-01-01T00:00:00+24:00"));
  EXPECT_FALSE(ParseIso8601("2026-01-01T00:00:00+08:60"));
  EXPECT_FALSE(ParseIso8601("2026-01-01T00:00:00+08:00Z"));
}

TEST(Iso8601, KnowsLeapYears) {
  EXPECT_TRUE(ParseIso8601("2024-02-29"));
  EXPECT_TRUE(ParseIso8601("2000-02-29"));   // divisible by 400
  EXPECT_FALSE(ParseIso8601("1900-02-29"));  // divisible by 100 only
  EXPECT_FALSE(ParseIso8601("2026-02-29"));
  EXPECT_FALSE(ParseIso8601("2026-02-30"));
  EXPECT_FALSE(ParseIso8601("2026-04-31"));
  EXPECT_TRUE(ParseIso8601("2026-12-31"));
  EXPECT_EQ(ParseIso8601("2024-03-01"), *ParseIso8601("2024-02-29") + hours(24));
}

TEST(Iso8601, RejectsInvalidText) {
  for (const char* t :
       {"", "2026", "2026-1-01", "2026-01-1", "2026/01/01", "2026-00-10", "2026-13-01",
        "2026-01-00", "2026-01-32", "0000-01-01", "2026-01-01T", "2026-01-01T24:00:00Z",
        "2026-01-01T23:60:00Z", "2026-01-01T23:59:61Z", "2026-01-01T1:00:00Z",
        "2026-01-01X00:00:00Z", "2026-01-01T00:00:00Q", "2026-01-01T00:00:00Z ", " 2026-01-01",
        "abcd-ef-gh",
        // Signs inside numeric fields are not digits.
        "2026-01-01T-1:00:00Z", "2026-01-01T00:-5:00Z", "2026-01-01T00:00:-1Z", "2026-+1-01",
        "+026-01-01", "2026-01-01T00:00:00+-1:00", "2026-01-01T00:00:00+08:-1"}) {
    EXPECT_FALSE(ParseIso8601(t)) << '"' << t << '"';
  }
}

TEST(Iso8601, RoundTripsThroughFormat) {
  for (TimePoint t : {Epoch(0), Epoch(k2026), Epoch(k2026 + 12345, 678), Epoch(951782400, 1),
                      Epoch(4102444799, 999)}) {
    auto text = FormatIso8601(t);
    EXPECT_EQ(ParseIso8601(text), t) << text;
  }
}

TEST(HttpDate, FormatsImfFixdate) {
  EXPECT_EQ(FormatHttpDate(Epoch(784111777)), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(FormatHttpDate(Epoch(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(Epoch(k2026)), "Thu, 01 Jan 2026 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(Epoch(k2026, 999)), "Thu, 01 Jan 2026 00:00:00 GMT");  // whole seconds
  EXPECT_EQ(FormatHttpDate(Epoch(951782400)), "Tue, 29 Feb 2000 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(Epoch(-86400)), "Wed, 31 Dec 1969 00:00:00 GMT");
}

TEST(HttpDate, ParsesImfFixdate) {
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), Epoch(784111777));
  EXPECT_EQ(ParseHttpDate("Thu, 01 Jan 2026 00:00:00 GMT"), Epoch(k2026));
}

TEST(HttpDate, RoundTrips) {
  for (std::int64_t s : {std::int64_t{0}, std::int64_t{784111777}, k2026, k2026 + 31 * 86400 - 1,
                         std::int64_t{951782400}, std::int64_t{4102444799}}) {
    auto text = FormatHttpDate(Epoch(s));
    EXPECT_EQ(ParseHttpDate(text), Epoch(s)) << text;
  }
  // Every day of a leap year survives the trip.
  for (int day = 0; day < 366; ++day) {
    TimePoint t = Epoch(1704067200 + day * 86400 + 3723);  // 2024, 01:02:03 each day
    EXPECT_EQ(ParseHttpDate(FormatHttpDate(t)), t) << FormatHttpDate(t);
  }
}

TEST(HttpDate, RejectsOtherForms) {
  for (const char* t : {"", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
                        "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37 GMT ",
                        "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                        "Sun, 06 nov 1994 08:49:37 GMT", "Sun, 31 Nov 1994 08:49:37 GMT",
                        "Sun, 29 Feb 1900 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
                        "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 1994 -1:49:37 GMT",
                        "Sun, -6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov -994 08:49:37 GMT",
                        "Sun; 06 Nov 1994 08:49:37 GMT"}) {
    EXPECT_FALSE(ParseHttpDate(t)) << '"' << t << '"';
  }
}

TEST(ManualClock, RunsTasksInDueOrderAtTheirOwnTime) {
  ManualClock clock;
  const TimePoint start = clock.Now();
  std::vector<std::pair<std::string, TimePoint>> ran;
  auto record = [&](const std::string& name) {
    return [&ran, &clock, name] { ran.emplace_back(name, clock.Now()); };
  };
  clock.Schedule(Duration(300), record("c"));
  clock.Schedule(Duration(100), record("a"));
  clock.Schedule(Duration(200), record("b1"));
  clock.Schedule(Duration(200), record("b2"));  // same due time: scheduling order
  EXPECT_EQ(clock.PendingTasks(), 4u);
  clock.Advance(Duration(99));
  EXPECT_TRUE(ran.empty());
  EXPECT_EQ(clock.Now(), start + Duration(99));
  clock.Advance(Duration(151));
  ASSERT_EQ(ran.size(), 3u);
  EXPECT_EQ(ran[0], std::make_pair(std::string("a"), start + Duration(100)));
  EXPECT_EQ(ran[1], std::make_pair(std::string("b1"), start + Duration(200)));
  EXPECT_EQ(ran[2], std::make_pair(std::string("b2"), start + Duration(200)));
  EXPECT_EQ(clock.Now(), start + Duration(250));
  EXPECT_EQ(clock.PendingTasks(), 1u);
  clock.Advance(Duration(50));
  ASSERT_EQ(ran.size(), 4u);
  EXPECT_EQ(ran[3].second, start + Duration(300));
  EXPECT_EQ(clock.PendingTasks(), 0u);
}

TEST(ManualClock, CancelRemovesOnlyPendingTasks) {
  ManualClock clock;
  int a = 0, b = 0;
  TimerId ida = clock.Schedule(Duration(10), [&] { ++a; });
  TimerId idb = clock.Schedule(Duration(10), [&] { ++b; });
  EXPECT_NE(ida, idb);
  EXPECT_TRUE(clock.Cancel(ida));
  EXPECT_FALSE(clock.Cancel(ida));  // already cancelled
  clock.Advance(Duration(10));
  EXPECT_EQ(a, 0);
  EXPECT_EQ(b, 1);
  EXPECT_FALSE(clock.Cancel(idb));  // already ran
  EXPECT_FALSE(clock.Cancel(12345));
}

TEST(ManualClock, TasksMayScheduleMoreTasksDuringAdvance) {
  ManualClock clock;
  const TimePoint start = clock.Now();
  std::vector<TimePoint> ticks;
  std::function<void()> tick = [&] {
    ticks.push_back(clock.Now());
    if (ticks.size() < 10) clock.Schedule(Duration(100), tick);
  };
  clock.Schedule(Duration(100), tick);
  clock.Advance(Duration(550));
  ASSERT_EQ(ticks.size(), 5u);
  for (std::size_t i = 0; i < ticks.size(); ++i)
    EXPECT_EQ(ticks[i], start + Duration(100 * (i + 1)));
  EXPECT_EQ(clock.NextDueIn(), Duration(50));
  clock.Advance(Duration(10'000));
  EXPECT_EQ(ticks.size(), 10u);
  EXPECT_EQ(clock.PendingTasks(), 0u);
}

TEST(ManualClock, ZeroDelayTasksScheduledByATaskRunInTheSameAdvance) {
  ManualClock clock;
  std::vector<int> order;
  clock.Schedule(Duration(5), [&] {
    order.push_back(1);
    clock.Schedule(Duration(0), [&] { order.push_back(2); });
  });
  clock.Schedule(Duration(6), [&] { order.push_back(3); });
  clock.Advance(Duration(6));
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(ManualClock, TasksCanCancelOtherTasks) {
  ManualClock clock;
  int later = 0;
  TimerId victim = clock.Schedule(Duration(20), [&] { ++later; });
  clock.Schedule(Duration(10), [&] { EXPECT_TRUE(clock.Cancel(victim)); });
  clock.Advance(Duration(100));
  EXPECT_EQ(later, 0);
}

TEST(ManualClock, RunDueRunsZeroDelayTasksWithoutMovingTime) {
  ManualClock clock;
  const TimePoint start = clock.Now();
  int ran = 0;
  clock.Schedule(Duration(0), [&] { ++ran; });
  clock.Schedule(Duration(-50), [&] { ++ran; });  // negative delays mean "now"
  clock.Schedule(Duration(1), [&] { ++ran; });
  EXPECT_EQ(clock.NextDueIn(), Duration(0));
  clock.RunDue();
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(clock.Now(), start);
  EXPECT_EQ(clock.NextDueIn(), Duration(1));
}

TEST(ManualClock, NextDueInIsEmptyWithoutTasks) {
  ManualClock clock;
  EXPECT_FALSE(clock.NextDueIn());
  TimerId id = clock.Schedule(minutes(2), [] {});
  EXPECT_EQ(clock.NextDueIn(), Duration(120'000));
  clock.Advance(seconds(30));
  EXPECT_EQ(clock.NextDueIn(), Duration(90'000));
  clock.Cancel(id);
  EXPECT_FALSE(clock.NextDueIn());
}

TEST(ManualClock, AdvanceToThePastDoesNotMoveTimeBack) {
  ManualClock clock(Epoch(k2026 + 100));
  clock.AdvanceTo(Epoch(k2026));
  EXPECT_EQ(clock.Now(), Epoch(k2026 + 100));
  clock.AdvanceTo(Epoch(k2026 + 160));
  EXPECT_EQ(clock.Now(), Epoch(k2026 + 160));
}

// ---- saturation (issue 11): no arithmetic on times overflows, whatever the inputs -------------

constexpr std::int64_t k2200 = 7258118400;   // 2200-01-01T00:00:00Z
constexpr std::int64_t k1700 = -8520336000;  // 1700-01-01T00:00:00Z

TEST(SaturatingTime, AddSaturatedStopsAtTheEndsOfTheRange) {
  EXPECT_EQ(LatestTime(), Epoch(k2200));
  EXPECT_EQ(EarliestTime(), Epoch(k1700));
  EXPECT_EQ(AddSaturated(Epoch(k2026), seconds(1)), Epoch(k2026 + 1));
  EXPECT_EQ(AddSaturated(Epoch(k2026), Duration::max()), LatestTime());
  EXPECT_EQ(AddSaturated(Epoch(k2026), Duration::min()), EarliestTime());
  EXPECT_EQ(AddSaturated(LatestTime(), Duration(1)), LatestTime());
  EXPECT_EQ(AddSaturated(TimePoint::max(), Duration(-1)), LatestTime() - Duration(1));
  EXPECT_EQ(ClampTime(TimePoint::min()), EarliestTime());
  EXPECT_EQ(FormatIso8601(LatestTime()), "2200-01-01T00:00:00.000Z");
}

TEST(SaturatingTime, ParsedTimesBeyondTheRangeAreClamped) {
  // Years 1 and 9999 used to overflow the nanosecond count (undefined behaviour).
  EXPECT_EQ(ParseIso8601("9999-12-31T23:59:59Z"), LatestTime());
  EXPECT_EQ(ParseIso8601("0001-01-01"), EarliestTime());
  EXPECT_EQ(ParseHttpDate("Fri, 31 Dec 9999 23:59:59 GMT"), LatestTime());
  EXPECT_EQ(ParseIso8601("2199-12-31T23:59:59Z"), Epoch(k2200 - 1));
}

TEST(ManualClock, AdvanceAndScheduleSaturate) {
  ManualClock clock;
  bool ran = false;
  clock.Schedule(Duration::max(), [&] { ran = true; });  // due at the end of time, not in the past
  EXPECT_EQ(clock.NextDueIn(), std::chrono::duration_cast<Duration>(LatestTime() - Epoch(k2026)));
  for (int i = 0; i < 400; ++i) clock.Advance(hours(24 * 366));
  EXPECT_EQ(clock.Now(), LatestTime());
  EXPECT_TRUE(ran);
  clock.Advance(Duration::max());
  EXPECT_EQ(clock.Now(), LatestTime());
  EXPECT_EQ(ManualClock(TimePoint::max()).Now(), LatestTime());
}

TEST(ManualClock, AnAdvanceCostsWhatIsScheduledNotWhatElapses) {
  ManualClock clock;
  int ran = 0;
  clock.Schedule(hours(24 * 100), [&] { ++ran; });
  auto start = std::chrono::steady_clock::now();
  clock.Advance(hours(24 * 366));  // one task on the way: one step to it, one to the end
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(clock.Now(), Epoch(k2026 + 366 * 86400));
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(1));
}

#ifndef __EMSCRIPTEN__
// Needs a real thread: native only (the browser scheduler is covered by the wasm e2e tests).
TEST(ThreadScheduler, RunsTasksAndCancelsPendingOnes) {
  ThreadScheduler scheduler;
  std::mutex mutex;
  std::condition_variable cv;
  bool ran = false;
  int cancelled_ran = 0;
  TimerId far = scheduler.Schedule(hours(1), [&] { ++cancelled_ran; });
  EXPECT_TRUE(scheduler.Cancel(far));
  EXPECT_FALSE(scheduler.Cancel(far));
  scheduler.Schedule(Duration(0), [&] {
    std::lock_guard lock(mutex);
    ran = true;
    cv.notify_all();
  });
  std::unique_lock lock(mutex);
  ASSERT_TRUE(cv.wait_for(lock, seconds(30), [&] { return ran; }));
  EXPECT_EQ(cancelled_ran, 0);
}
#endif

}  // namespace
}  // namespace restbox::core
