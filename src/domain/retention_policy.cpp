#include "domain/retention_policy.hpp"

#include <chrono>

namespace gongdan {

Millis months_before(Millis now, std::int64_t months) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds(now)};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  auto back = ymd.year() / ymd.month() - std::chrono::months(months);
  auto last = year_month_day_last(back.year(), month_day_last(back.month())).day();
  const year_month_day moved{back.year(), back.month(), std::min(ymd.day(), last)};
  return (sys_days(moved) + (t - day)).time_since_epoch().count();
}

}  // namespace gongdan
