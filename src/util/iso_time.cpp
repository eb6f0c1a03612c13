#include "util/iso_time.hpp"

#include <fmt/format.h>

#include <chrono>

namespace gongdan {

std::string iso_time(Millis ms) {
  using namespace std::chrono;
  auto tp = sys_time<milliseconds>(milliseconds(ms));
  auto secs = floor<seconds>(tp);
  auto days = floor<std::chrono::days>(secs);
  year_month_day ymd{days};
  hh_mm_ss hms{secs - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", int(ymd.year()),
                     unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count(), ((ms % 1000) + 1000) % 1000);
}

}  // namespace gongdan
