#include "restbox/core/clock.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <optional>

namespace restbox::core {

std::shared_ptr<SystemClock> SystemClock::Instance() {
  static auto clock = std::make_shared<SystemClock>();
  return clock;
}

namespace {

// Howard Hinnant's civil calendar algorithms: exact, branch-light, and independent of the
// standard library's calendar support (libc++ 14 in Emscripten lacks parts of it).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

Civil CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

constexpr std::array<std::string_view, 7> kWeekdays{"Thu", "Fri", "Sat", "Sun",
                                                    "Mon", "Tue", "Wed"};
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool ReadInt(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) return false;
  // Digits only: from_chars would also take a '-' sign ("T-1:00:00" is not an hour).
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  auto first = text.data() + pos;
  auto [ptr, ec] = std::from_chars(first, first + len, out);
  return ec == std::errc() && ptr == first + len;
}

// Milliseconds since the epoch of the ends of the supported range (see EarliestTime()).
constexpr std::int64_t kEarliestMs = -8'520'336'000'000;  // 1700-01-01T00:00:00Z
constexpr std::int64_t kLatestMs = 7'258'118'400'000;     // 2200-01-01T00:00:00Z

TimePoint FromMillis(std::int64_t ms) {
  ms = std::clamp(ms, kEarliestMs, kLatestMs);
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

std::int64_t ToMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// A civil time as a TimePoint, clamped to the supported range (years 1..9999 fit in int64 ms).
TimePoint Make(std::int64_t y, unsigned mo, unsigned d, int h, int mi, int s, int ms) {
  auto days = DaysFromCivil(y, mo, d);
  return FromMillis((days * 86400 + h * 3600 + mi * 60 + s) * 1000 + ms);
}

bool ValidDate(int y, int mo, int d) {
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = kDays[mo - 1] + (mo == 2 && leap ? 1 : 0);
  return d <= max;
}

}  // namespace

TimePoint EarliestTime() {
  return FromMillis(kEarliestMs);
}
TimePoint LatestTime() {
  return FromMillis(kLatestMs);
}
TimePoint ClampTime(TimePoint t) {
  return std::clamp(t, EarliestTime(), LatestTime());
}

TimePoint AddSaturated(TimePoint t, Duration d) {
  // In milliseconds, where both operands are far from the int64 limits once clamped.
  const std::int64_t base = std::clamp(ToMillis(t), kEarliestMs, kLatestMs);
  const std::int64_t by = d.count();
  if (by > 0 && by > kLatestMs - base) return LatestTime();
  if (by < 0 && by < kEarliestMs - base) return EarliestTime();
  // Whole milliseconds added to the (clamped) exact time keep its sub-millisecond part.
  return ClampTime(ClampTime(t) + std::chrono::duration_cast<TimePoint::duration>(d));
}

TimePoint ManualClock::DefaultStart() {
  return Make(2026, 1, 1, 0, 0, 0, 0);
}

ManualClock::ManualClock(TimePoint start) : now_(ClampTime(start)) {}

TimePoint ManualClock::Now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

TimerId ManualClock::Schedule(Duration delay, std::function<void()> task) {
  std::lock_guard lock(mutex_);
  if (delay < Duration::zero()) delay = Duration::zero();
  TimerId id = next_id_++;
  tasks_.emplace(std::make_pair(AddSaturated(now_, delay), id), std::move(task));
  return id;
}

bool ManualClock::Cancel(TimerId id) {
  std::lock_guard lock(mutex_);
  for (auto it = tasks_.begin(); it != tasks_.end(); ++it) {
    if (it->first.second == id) {
      tasks_.erase(it);
      return true;
    }
  }
  return false;
}

void ManualClock::AdvanceTo(TimePoint when) {
  when = ClampTime(when);
  std::unique_lock lock(mutex_);
  while (!tasks_.empty() && tasks_.begin()->first.first <= when) {
    auto node = tasks_.extract(tasks_.begin());
    if (node.key().first > now_) now_ = node.key().first;
    lock.unlock();
    node.mapped()();
    lock.lock();
  }
  if (when > now_) now_ = when;
}

void ManualClock::Advance(Duration by) {
  AdvanceTo(AddSaturated(Now(), by));
}

void ManualClock::RunDue() {
  AdvanceTo(Now());
}

std::size_t ManualClock::PendingTasks() const {
  std::lock_guard lock(mutex_);
  return tasks_.size();
}

std::optional<Duration> ManualClock::NextDueIn() const {
  std::lock_guard lock(mutex_);
  if (tasks_.empty()) return std::nullopt;
  return std::chrono::duration_cast<Duration>(tasks_.begin()->first.first - now_);
}

std::string FormatIso8601(TimePoint t) {
  auto ms_total =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::int64_t days = ms_total >= 0 ? ms_total / 86400000 : (ms_total - 86399999) / 86400000;
  std::int64_t ms_of_day = ms_total - days * 86400000;
  Civil c = CivilFromDays(days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<long long>(c.year), c.month, c.day,
                static_cast<int>(ms_of_day / 3600000), static_cast<int>(ms_of_day / 60000 % 60),
                static_cast<int>(ms_of_day / 1000 % 60), static_cast<int>(ms_of_day % 1000));
  return buf;
}

std::optional<TimePoint> ParseIso8601(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!ReadInt(text, 0, 4, y) || !ReadInt(text, 5, 2, mo) || !ReadInt(text, 8, 2, d))
    return std::nullopt;
  if (!ValidDate(y, mo, d)) return std::nullopt;
  if (text.size() == 10)
    return Make(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), 0, 0, 0, 0);
  if (text.size() < 19 || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      text[13] != ':' || text[16] != ':')
    return std::nullopt;
  if (!ReadInt(text, 11, 2, h) || !ReadInt(text, 14, 2, mi) || !ReadInt(text, 17, 2, s))
    return std::nullopt;
  if (h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) {
        ms = ms * 10 + (text[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (pos == start) return std::nullopt;
    while (digits < 3) {
      ms *= 10;
      ++digits;
    }
  }
  int offset_minutes = 0;
  if (pos == text.size()) {
    // No zone: read as UTC.
  } else if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int oh = 0, om = 0;
    if (!ReadInt(text, pos + 1, 2, oh)) return std::nullopt;
    std::size_t mpos = pos + 3;
    if (mpos < text.size() && text[mpos] == ':') ++mpos;
    if (!ReadInt(text, mpos, 2, om) || oh > 23 || om > 59) return std::nullopt;
    offset_minutes = (oh * 60 + om) * (text[pos] == '-' ? -1 : 1);
    pos = mpos + 2;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  return Make(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), h, mi, s, ms) -
         std::chrono::minutes(offset_minutes);
}

std::string FormatHttpDate(TimePoint t) {
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  std::int64_t sod = secs - days * 86400;
  Civil c = CivilFromDays(days);
  auto wd = kWeekdays[static_cast<std::size_t>(((days % 7) + 7) % 7)];
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3s, %02u %.3s %04lld %02d:%02d:%02d GMT", wd.data(), c.day,
                kMonths[c.month - 1].data(), static_cast<long long>(c.year),
                static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60),
                static_cast<int>(sod % 60));
  return buf;
}

std::optional<TimePoint> ParseHttpDate(std::string_view text) {
  // IMF-fixdate only ("Sun, 06 Nov 1994 08:49:37 GMT"), the form RFC 9110 requires senders to use.
  if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT")
    return std::nullopt;
  int d = 0, y = 0, h = 0, mi = 0, s = 0;
  if (!ReadInt(text, 5, 2, d) || !ReadInt(text, 12, 4, y) || !ReadInt(text, 17, 2, h) ||
      !ReadInt(text, 20, 2, mi) || !ReadInt(text, 23, 2, s))
    return std::nullopt;
  int mo = 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == text.substr(8, 3)) mo = static_cast<int>(i) + 1;
  }
  if (mo == 0 || !ValidDate(y, mo, d) || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return Make(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), h, mi, s, 0);
}

// Exposed for the rate limiter (month windows).
TimePoint MonthStartUtc(TimePoint t);
TimePoint NextMonthStartUtc(TimePoint t);

TimePoint MonthStartUtc(TimePoint t) {
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  Civil c = CivilFromDays(days);
  return Make(c.year, c.month, 1, 0, 0, 0, 0);
}

TimePoint NextMonthStartUtc(TimePoint t) {
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  Civil c = CivilFromDays(days);
  return c.month == 12 ? Make(c.year + 1, 1, 1, 0, 0, 0, 0)
                       : Make(c.year, c.month + 1, 1, 0, 0, 0, 0);
}

}  // namespace restbox::core
