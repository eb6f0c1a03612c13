#include "domain/business_calendar.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <chrono>
#include <exception>
#include <limits>

#include <date/tz.h>

#include "domain/time_zone.hpp"

namespace gongdan {

namespace {

constexpr int kMinutesPerDay = 24 * 60;
constexpr Millis kMillisPerMinute = 60'000;
constexpr std::array<std::string_view, 7> kWeekdayKeys = {"sun", "mon", "tue", "wed",
                                                          "thu", "fri", "sat"};

int day_number(date::local_days day) { return static_cast<int>(day.time_since_epoch().count()); }

int day_number(const date::year_month_day& ymd) {
  return static_cast<int>(date::sys_days{ymd}.time_since_epoch().count());
}

std::string format_ymd(const date::year_month_day& ymd) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

Result<DayHours> validate_day_hours(DayHours hours, const std::string& field) {
  for (std::size_t i = 0; i < hours.size(); ++i) {
    const auto& interval = hours[i];
    if (interval.start_minute < 0 || interval.start_minute >= kMinutesPerDay ||
        interval.end_minute <= interval.start_minute || interval.end_minute > kMinutesPerDay) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("interval {}-{} must start before it ends, within 00:00-24:00",
                              format_minute_of_day(interval.start_minute),
                              format_minute_of_day(interval.end_minute)),
                  fmt::format("{}[{}]", field, i));
    }
  }
  std::vector<std::size_t> order(hours.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::ranges::sort(order, {}, [&](std::size_t i) { return hours[i].start_minute; });
  for (std::size_t k = 1; k < order.size(); ++k) {
    const auto& before = hours[order[k - 1]];
    const auto& after = hours[order[k]];
    if (after.start_minute < before.end_minute) {
      return fail(
          ErrorCode::kInvalidArgument,
          fmt::format("interval {}-{} overlaps {}-{}", format_minute_of_day(after.start_minute),
                      format_minute_of_day(after.end_minute),
                      format_minute_of_day(before.start_minute),
                      format_minute_of_day(before.end_minute)),
          fmt::format("{}[{}]", field, order[k]));
    }
  }
  std::ranges::sort(hours, {}, &WorkingInterval::start_minute);
  return hours;
}

Result<std::vector<int>> validate_dates(const std::vector<date::year_month_day>& dates,
                                        const std::string& field) {
  std::vector<int> days;
  days.reserve(dates.size());
  for (std::size_t i = 0; i < dates.size(); ++i) {
    if (!dates[i].ok()) {
      return fail(ErrorCode::kInvalidArgument, "not a valid calendar date",
                  fmt::format("{}[{}]", field, i));
    }
    days.push_back(day_number(dates[i]));
  }
  std::ranges::sort(days);
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

bool contains_day(const std::vector<int>& days, int day) {
  return std::ranges::binary_search(days, day);
}

// True when some day of [first, first + count) is listed.
bool any_day_in(const std::vector<int>& days, int first, int count) {
  auto it = std::ranges::lower_bound(days, first);
  return it != days.end() && *it < first + count;
}

Millis to_millis(date::sys_seconds t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string format_minute_of_day(int minute) {
  return fmt::format("{:02}:{:02}", minute / 60, minute % 60);
}

Result<BusinessCalendar> BusinessCalendar::create(BusinessCalendarSpec spec) {
  BusinessCalendar calendar;
  if (spec.time_zone.empty()) {
    return fail(ErrorCode::kInvalidArgument, "an IANA time zone name is required", "time_zone");
  }
  GONGDAN_ASSIGN(calendar.zone_, locate_time_zone(spec.time_zone, "time_zone"));

  for (std::size_t wd = 0; wd < spec.weekly_hours.size(); ++wd) {
    GONGDAN_ASSIGN(spec.weekly_hours[wd],
                   validate_day_hours(std::move(spec.weekly_hours[wd]),
                                      fmt::format("weekly_hours.{}", kWeekdayKeys[wd])));
    for (const auto& interval : spec.weekly_hours[wd]) {
      calendar.week_total_ += (interval.end_minute - interval.start_minute) * kMillisPerMinute;
    }
  }
  if (calendar.week_total_ == 0) {
    // Without this every due-time search could run forever.
    return fail(ErrorCode::kInvalidArgument, "the week has no working hours", "weekly_hours");
  }
  if (spec.extra_working_day_hours) {
    GONGDAN_ASSIGN(
        spec.extra_working_day_hours,
        validate_day_hours(std::move(*spec.extra_working_day_hours), "extra_working_day_hours"));
  }
  calendar.extra_day_hours_ = spec.extra_working_day_hours.value_or(spec.weekly_hours[1]);

  GONGDAN_ASSIGN(calendar.holiday_days_, validate_dates(spec.holidays, "holidays"));
  GONGDAN_ASSIGN(calendar.extra_days_,
                 validate_dates(spec.extra_working_days, "extra_working_days"));
  for (std::size_t i = 0; i < spec.extra_working_days.size(); ++i) {
    if (contains_day(calendar.holiday_days_, day_number(spec.extra_working_days[i]))) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("{} is listed both as a holiday and as a make-up working day",
                              format_ymd(spec.extra_working_days[i])),
                  fmt::format("extra_working_days[{}]", i));
    }
  }
  calendar.spec_ = std::move(spec);
  return calendar;
}

const DayHours& BusinessCalendar::hours_on_local(date::local_days day) const {
  static const DayHours kClosed;
  const int n = day_number(day);
  if (contains_day(holiday_days_, n)) return kClosed;
  if (contains_day(extra_days_, n)) return extra_day_hours_;
  return spec_.weekly_hours[date::weekday{day}.c_encoding()];
}

const DayHours& BusinessCalendar::hours_on(date::year_month_day day) const {
  return hours_on_local(date::local_days{day});
}

date::local_days BusinessCalendar::local_day_of(Millis at) const {
  const auto local =
      zone_->to_local(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{at}});
  return date::floor<date::days>(local);
}

template <class Visit>
void BusinessCalendar::for_each_span(date::local_days day, Visit&& visit) const {
  const DayHours& hours = hours_on_local(day);
  if (hours.empty()) return;
  const date::local_seconds midnight{day};
  // Fast path: one UTC offset for the whole local day (all but two days a year, or every day in
  // zones without DST), so each wall-clock time is a subtraction.
  const auto info = zone_->get_info(midnight);
  if (info.result == date::local_info::unique) {
    const auto offset = info.first.offset;
    const date::sys_seconds next_midnight{(midnight + date::days{1}).time_since_epoch() - offset};
    if (next_midnight <= info.first.end) {
      const Millis base = to_millis(date::sys_seconds{midnight.time_since_epoch() - offset});
      for (const auto& interval : hours) {
        if (visit(base + interval.start_minute * kMillisPerMinute,
                  base + interval.end_minute * kMillisPerMinute)) {
          return;
        }
      }
      return;
    }
  }
  // A DST change falls on this day: convert each end separately. Spans are clamped so that two
  // intervals meeting inside a repeated hour never count the same instant twice.
  Millis previous_end = std::numeric_limits<Millis>::min();
  for (const auto& interval : hours) {
    const Millis start =
        std::max(previous_end,
                 to_millis(zone_->to_sys(midnight + std::chrono::minutes{interval.start_minute},
                                         date::choose::earliest)));
    const Millis end = to_millis(
        zone_->to_sys(midnight + std::chrono::minutes{interval.end_minute}, date::choose::latest));
    if (end <= start) continue;
    previous_end = end;
    if (visit(start, end)) return;
  }
}

bool BusinessCalendar::is_working_time(Millis at) const {
  bool working = false;
  for_each_span(local_day_of(at), [&](Millis start, Millis end) {
    if (at < start) return true;
    working = at < end;
    return working;
  });
  return working;
}

Millis BusinessCalendar::add_business_days(Millis start, int days) const {
  if (days <= 0) return start;
  const auto local =
      zone_->to_local(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{start}});
  const auto first = date::floor<date::days>(local);
  const auto time_of_day = local - first;
  auto day = first;
  int counted = 0;
  for (int i = 0; i < 3660 && counted < days; ++i) {
    day += date::days{1};
    if (!hours_on_local(day).empty()) ++counted;
  }
  // A wall-clock time that DST skips or repeats resolves to the later instant.
  const auto at = zone_->to_sys(day + time_of_day, date::choose::latest);
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

Millis BusinessCalendar::add_business_time(Millis start, Millis duration) const {
  if (duration <= 0) return start;
  Millis remaining = duration;
  auto day = local_day_of(start);
  std::optional<Millis> due;
  auto visit = [&](Millis span_start, Millis span_end) {
    span_start = std::max(span_start, start);
    if (span_end <= span_start) return false;
    if (remaining <= span_end - span_start) {
      due = span_start + remaining;
      return true;
    }
    remaining -= span_end - span_start;
    return false;
  };
  for_each_span(day, visit);
  day += date::days{1};
  while (!due) {
    // Whole plain weeks (no holiday, no make-up day, no offset change) are skipped in one step:
    // their working time is exactly week_total_, since the wall clock and the UTC clock agree.
    while (remaining > week_total_) {
      const int n = day_number(day);
      if (any_day_in(holiday_days_, n, 7) || any_day_in(extra_days_, n, 7)) break;
      const date::local_seconds midnight{day};
      const auto info = zone_->get_info(midnight);
      if (info.result != date::local_info::unique) break;
      const date::sys_seconds week_end{(midnight + date::days{7}).time_since_epoch() -
                                       info.first.offset};
      if (week_end > info.first.end) break;
      remaining -= week_total_;
      day += date::days{7};
    }
    for_each_span(day, visit);
    day += date::days{1};
  }
  return *due;
}

Millis BusinessCalendar::business_time_between(Millis a, Millis b) const {
  if (b < a) return -business_time_between(b, a);
  Millis total = 0;
  const auto last = local_day_of(b);
  for (auto day = local_day_of(a); day <= last; day += date::days{1}) {
    for_each_span(day, [&](Millis start, Millis end) {
      if (start >= b) return true;
      start = std::max(start, a);
      end = std::min(end, b);
      if (end > start) total += end - start;
      return false;
    });
  }
  return total;
}

Millis BusinessCalendar::next_working_moment(Millis at) const {
  std::optional<Millis> found;
  for (auto day = local_day_of(at); !found; day += date::days{1}) {
    for_each_span(day, [&](Millis start, Millis end) {
      if (end <= at) return false;
      found = std::max(start, at);
      return true;
    });
  }
  return *found;
}

}  // namespace gongdan
