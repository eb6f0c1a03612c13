#include "domain/report_period.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <charconv>
#include <chrono>

#include "domain/report_rollup.hpp"
#include "domain/time_zone.hpp"

namespace gongdan {
namespace {

using std::chrono::milliseconds;

date::local_seconds local_of(const date::time_zone* zone, Millis at) {
  const date::sys_time<milliseconds> sys{milliseconds{at}};
  return date::floor<std::chrono::seconds>(zone->to_local(sys));
}

}  // namespace

std::int64_t hour_at_or_after(Millis at) {
  const auto floor = at >= 0 ? at / kMillisPerHour : (at - kMillisPerHour + 1) / kMillisPerHour;
  return floor * kMillisPerHour == at ? floor : floor + 1;
}

Result<ReportZone> ReportZone::create(std::string_view name) {
  ReportZone out;
  out.name_ = name.empty() ? "UTC" : std::string(name);
  GONGDAN_ASSIGN(out.zone_, locate_time_zone(out.name_, "tz"));
  return out;
}

Result<Millis> ReportZone::start_of_day(std::string_view day, std::string_view field) const {
  auto part = [&](std::size_t at, std::size_t length, int& value) {
    const auto* first = day.data() + at;
    const auto [end, ec] = std::from_chars(first, first + length, value);
    return ec == std::errc() && end == first + length;
  };
  int y = 0, m = 0, d = 0;
  if (day.size() != 10 || day[4] != '-' || day[7] != '-' || !part(0, 4, y) || !part(5, 2, m) ||
      !part(8, 2, d))
    return fail(ErrorCode::kInvalidArgument, "expected a date like 2026-12-06", std::string(field));
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1971)
    return fail(ErrorCode::kInvalidArgument, "not a date in range", std::string(field));
  const date::local_days local{ymd};
  const auto sys =
      zone_->to_sys(date::local_seconds{local.time_since_epoch()}, date::choose::earliest);
  return std::chrono::duration_cast<milliseconds>(sys.time_since_epoch()).count();
}

std::string ReportZone::label(std::int64_t hour, ReportStep step) const {
  const auto local = local_of(zone_, hour * kMillisPerHour);
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd{day};
  switch (step) {
    case ReportStep::kHour: {
      const auto h = date::floor<std::chrono::hours>(local - day).count();
      return fmt::format("{}T{:02}", date::format("%F", ymd), h);
    }
    case ReportStep::kDay:
      return date::format("%F", ymd);
    case ReportStep::kWeek: {
      const date::weekday wd{day};
      const auto monday = day - (wd - date::Monday);
      return date::format("%F", date::year_month_day{monday});
    }
    case ReportStep::kMonth:
      return date::format("%Y-%m", ymd);
  }
  return {};
}

bool ReportZone::whole_hours_at(Millis at) const {
  const date::sys_time<milliseconds> sys{milliseconds{at}};
  const auto info = zone_->get_info(date::floor<std::chrono::seconds>(sys));
  return info.offset.count() % 3600 == 0;
}

}  // namespace gongdan
