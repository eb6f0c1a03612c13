// BusinessCalendar: when a support team works, so that SLA targets ("4 business hours") become
// due times. A calendar is an IANA time zone, working hours per weekday (several intervals a
// day, wall-clock), holidays (dates off) and make-up working days (China's 调休: a Saturday or
// Sunday declared a working day, worked with `extra_working_day_hours`, by default Monday's).
//
// Contract:
// - Values only: a BusinessCalendar is immutable after create(), cheap to copy (the time zone is
//   a pointer into date-tz's process-wide database) and safe to share between threads.
// - All instants are UTC milliseconds (Millis); hours are local wall-clock times, so a working
//   day keeps 09:00-18:00 when the day itself has 23 or 25 hours. A wall-clock time skipped by a
//   DST change maps to the instant of the change; a repeated one is taken at its widest (start at
//   the earlier, end at the later occurrence).
// - The zone rules come from the OS tz database (/usr/share/zoneinfo, read once by date-tz).
//   That reader ignores the TZif footer, so DST rules after the file's last listed transition
//   (2037 with Debian's tzdata) are not applied.
// - No clock reads and no I/O besides that: time is passed in.
// - create() guarantees the week has working time, so every search below terminates; the work is
//   per local day (never per minute), so a year-long target costs about a thousand days' steps.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>
#include <boost/json/fwd.hpp>

#include "util/clock.hpp"
#include "util/result.hpp"

namespace date {
class time_zone;
}

namespace gongdan {

// One span of working time on a local day, in minutes after local midnight: [start, end).
struct WorkingInterval {
  int start_minute = 0;  // 0 .. 1439
  int end_minute = 0;    // start + 1 .. 1440 (24:00 closes the day)
  friend bool operator==(const WorkingInterval&, const WorkingInterval&) = default;
};

// The working intervals of one day, sorted and not overlapping once validated.
using DayHours = std::vector<WorkingInterval>;

// What an administrator configures; BusinessCalendar::create validates it.
struct BusinessCalendarSpec {
  std::string name;
  std::string time_zone;  // IANA name, e.g. "Asia/Shanghai"
  // Indexed by date::weekday::c_encoding(): 0 Sunday, 1 Monday, ... 6 Saturday.
  std::array<DayHours, 7> weekly_hours;
  std::vector<date::year_month_day> holidays;            // dates off, whatever the weekday
  std::vector<date::year_month_day> extra_working_days;  // make-up days (调休上班)
  std::optional<DayHours> extra_working_day_hours;       // unset: Monday's hours
};

// Renders a minute of the day as "HH:MM" (1440 as "24:00"), for messages and export.
std::string format_minute_of_day(int minute);

class BusinessCalendar {
 public:
  // Checks the spec and resolves the zone. Errors name the field: "time_zone",
  // "weekly_hours.mon[1]", "extra_working_days[3]", ...
  [[nodiscard]] static Result<BusinessCalendar> create(BusinessCalendarSpec spec);

  const BusinessCalendarSpec& spec() const { return spec_; }

  // The working hours of one local date, after holidays and make-up days are applied.
  const DayHours& hours_on(date::year_month_day day) const;

  bool is_working_time(Millis at) const;
  // The instant at which `duration` of working time has passed since `start` (start itself when
  // duration <= 0). The result is always inside or at the end of a working interval.
  Millis add_business_time(Millis start, Millis duration) const;
  // Working time in [a, b); negative when b < a.
  Millis business_time_between(Millis a, Millis b) const;
  // `at` when it is working time, otherwise the start of the next working interval.
  Millis next_working_moment(Millis at) const;
  // The same local time of day on the `days`-th working day (a day with working hours, after
  // holidays and make-up days) after the local day of `start`: "3 business days after Friday
  // 15:00" is Wednesday 15:00. At most ten years ahead.
  Millis add_business_days(Millis start, int days) const;

 private:
  BusinessCalendar() = default;
  const DayHours& hours_on_local(date::local_days day) const;
  date::local_days local_day_of(Millis at) const;
  // Calls visit(start, end) with the UTC spans of one local day's working intervals, in order,
  // until visit returns true.
  template <class Visit>
  void for_each_span(date::local_days day, Visit&& visit) const;

  BusinessCalendarSpec spec_;
  const date::time_zone* zone_ = nullptr;
  DayHours extra_day_hours_;
  std::vector<int> holiday_days_;  // days since 1970-01-01, sorted
  std::vector<int> extra_days_;    // days since 1970-01-01, sorted
  Millis week_total_ = 0;          // wall-clock working time in a plain week
};

// The JSON form (tests/fixtures/calendars/cn-2026.json is an example):
//   {"name": "...", "time_zone": "Asia/Shanghai",
//    "weekly_hours": {"mon": ["09:00-12:00", "13:30-18:00"], ..., "sun": []},
//    "holidays": ["2026-01-01", {"date": "2026-04-05"}, {"from": "2026-02-15", "to":
//    "2026-02-23"}], "extra_working_days": ["2026-02-14", {"date": "2026-02-28"}],
//    "extra_working_day_hours": ["09:00-18:00"]}
// Entries may carry "name", "weekday", "for"; the top level may carry "source" and "note".
// Any other key is an error, so a misspelt key cannot silently drop the holidays.
[[nodiscard]] Result<BusinessCalendarSpec> parse_business_calendar_spec(
    const boost::json::value& json);
[[nodiscard]] Result<BusinessCalendar> parse_business_calendar(std::string_view json_text);

}  // namespace gongdan
