#include "domain/report_schedule.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <chrono>

#include "domain/time_zone.hpp"

namespace gongdan {
namespace {

using std::chrono::milliseconds;

Result<const date::time_zone*> zone_of(const ReportSchedule& s) {
  return locate_time_zone(s.time_zone.empty() ? "UTC" : s.time_zone, "time_zone");
}

date::local_days local_day(const date::time_zone* zone, Millis at) {
  const date::sys_time<milliseconds> sys{milliseconds{at}};
  return date::floor<date::days>(zone->to_local(sys));
}

Millis instant_of(const date::time_zone* zone, date::local_days day, std::int64_t hour) {
  const auto local = date::local_seconds{day.time_since_epoch()} + std::chrono::hours{hour};
  // A skipped local hour (spring forward) maps to the instant the clocks jumped to.
  const auto sys = zone->to_sys(local, date::choose::earliest);
  return std::chrono::duration_cast<milliseconds>(sys.time_since_epoch()).count();
}

}  // namespace

Result<Millis> next_report_due(const ReportSchedule& s, Millis after) {
  GONGDAN_ASSIGN(const auto* zone, zone_of(s));
  const bool weekly = s.frequency == "weekly";
  auto day = local_day(zone, after);
  if (weekly) {
    // ISO weekday 1..7 → date::weekday (Sunday 0).
    const date::weekday wanted{static_cast<unsigned>(s.weekday % 7)};
    day += wanted - date::weekday{day};
  }
  const auto step = date::days{weekly ? 7 : 1};
  // A week's candidate may lie before today's: step on until it is after `after`.
  for (int i = 0; i < 3; ++i, day += step) {
    const Millis at = instant_of(zone, day, s.hour);
    if (at > after) return at;
  }
  return instant_of(zone, day, s.hour);
}

Result<ReportDates> report_dates(const ReportSchedule& s, Millis due) {
  GONGDAN_ASSIGN(const auto* zone, zone_of(s));
  const auto sent_on = local_day(zone, due);
  const auto to = sent_on - date::days{1};
  const auto from = s.frequency == "weekly" ? sent_on - date::days{7} : to;
  return ReportDates{date::format("%F", date::year_month_day{from}),
                     date::format("%F", date::year_month_day{to})};
}

}  // namespace gongdan
