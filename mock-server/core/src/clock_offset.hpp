#pragma once
// The engine's clock offset (MockServer::AdvanceClock, state files and durable rows), private to
// mock-server/core/src.

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "restbox/core/clock.hpp"
#include "restbox/core/json_codec.hpp"

namespace restbox::mock {

// The clock offset (time travel on a real clock) never exceeds the whole supported range of
// times, so `offset + step` cannot overflow and Now() saturates at core::LatestTime().
inline constexpr core::Duration kMaxOffset{15'778'454'400'000};  // 1700..2200, in ms
inline core::Duration ClampOffset(core::Duration offset) {
  return std::clamp(offset, core::Duration::zero(), kMaxOffset);
}
// A state file's "offset_ms": an integer of any size or a number, clamped; anything else is 0.
inline core::Duration OffsetFromJson(const core::Json& value) {
  if (value.is_number_unsigned()) {
    return ClampOffset(core::Duration(static_cast<std::int64_t>(std::min<std::uint64_t>(
        value.get<std::uint64_t>(), static_cast<std::uint64_t>(kMaxOffset.count())))));
  }
  if (value.is_number_integer()) return ClampOffset(core::Duration(value.get<std::int64_t>()));
  if (value.is_number_float()) {
    const double ms = value.get<double>();
    if (!std::isfinite(ms)) return core::Duration::zero();
    return core::Duration(
        static_cast<std::int64_t>(std::clamp(ms, 0.0, static_cast<double>(kMaxOffset.count()))));
  }
  return core::Duration::zero();
}

}  // namespace restbox::mock
