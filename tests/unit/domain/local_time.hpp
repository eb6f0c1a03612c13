// Test helper: wall-clock times in a named zone as UTC milliseconds.
#pragma once

#include <date/tz.h>

#include "util/clock.hpp"

namespace gongdan::testing_time {

inline constexpr Millis kMinute = 60'000;
inline constexpr Millis kHour = 60 * kMinute;

// UTC milliseconds of a wall-clock time in `zone` (earliest occurrence when repeated).
inline Millis local_ms(const char* zone, int y, unsigned m, unsigned d, int hh, int mm = 0) {
  const auto local =
      date::local_days{date::year{y} / m / d} + std::chrono::hours{hh} + std::chrono::minutes{mm};
  const auto sys = date::locate_zone(zone)->to_sys(local, date::choose::earliest);
  return std::chrono::duration_cast<std::chrono::milliseconds>(sys.time_since_epoch()).count();
}

}  // namespace gongdan::testing_time
