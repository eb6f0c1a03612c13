#include "domain/report_schedule.hpp"

#include <gtest/gtest.h>

#include "local_time.hpp"
#include "util/iso_time.hpp"

namespace gongdan {
namespace {

using testing_time::local_ms;

ReportSchedule daily(std::string zone, std::int64_t hour) {
  ReportSchedule s;
  s.time_zone = std::move(zone);
  s.hour = hour;
  return s;
}

TEST(ReportSchedule, DailyIsDueAtItsLocalHourStrictlyAfter) {
  const auto s = daily("Asia/Shanghai", 8);
  // Monday 17:00 in Shanghai: tomorrow 08:00 there, 00:00 UTC.
  const Millis monday_five_pm = local_ms("Asia/Shanghai", 2026, 1, 5, 17);
  EXPECT_EQ(iso_time(*next_report_due(s, monday_five_pm)), "2026-01-06T00:00:00.000Z");
  // Before 08:00: today; at 08:00 exactly: tomorrow.
  EXPECT_EQ(*next_report_due(s, local_ms("Asia/Shanghai", 2026, 1, 5, 7, 59)),
            local_ms("Asia/Shanghai", 2026, 1, 5, 8));
  EXPECT_EQ(*next_report_due(s, local_ms("Asia/Shanghai", 2026, 1, 5, 8)),
            local_ms("Asia/Shanghai", 2026, 1, 6, 8));
}

TEST(ReportSchedule, WeeklyIsDueOnItsWeekday) {
  auto s = daily("UTC", 9);
  s.frequency = "weekly";
  s.weekday = 1;  // Monday
  // Monday 2026-01-05 09:00 UTC exactly: the next Monday.
  EXPECT_EQ(iso_time(*next_report_due(s, local_ms("UTC", 2026, 1, 5, 9))),
            "2026-01-12T09:00:00.000Z");
  EXPECT_EQ(iso_time(*next_report_due(s, local_ms("UTC", 2026, 1, 5, 8))),
            "2026-01-05T09:00:00.000Z");
  s.weekday = 7;  // Sunday
  EXPECT_EQ(iso_time(*next_report_due(s, local_ms("UTC", 2026, 1, 5, 8))),
            "2026-01-11T09:00:00.000Z");
  s.weekday = 3;  // Wednesday, from a Friday
  EXPECT_EQ(iso_time(*next_report_due(s, local_ms("UTC", 2026, 1, 9, 12))),
            "2026-01-14T09:00:00.000Z");
}

TEST(ReportSchedule, AnHourSkippedByDaylightSavingIsTakenWhenTheClocksJump) {
  // New York springs forward on 2026-03-08: 02:00 becomes 03:00.
  const auto s = daily("America/New_York", 2);
  const Millis due = *next_report_due(s, local_ms("America/New_York", 2026, 3, 7, 12));
  EXPECT_EQ(iso_time(due), "2026-03-08T07:00:00.000Z");
  // And the day after is 02:00 EDT again.
  EXPECT_EQ(iso_time(*next_report_due(s, due)), "2026-03-09T06:00:00.000Z");
}

TEST(ReportSchedule, DatesAreTheDayOrWeekBeforeTheSendingDay) {
  auto s = daily("Asia/Shanghai", 8);
  const Millis due = local_ms("Asia/Shanghai", 2026, 1, 6, 8);
  auto dates = *report_dates(s, due);
  EXPECT_EQ(dates.from, "2026-01-05");
  EXPECT_EQ(dates.to, "2026-01-05");
  s.frequency = "weekly";
  dates = *report_dates(s, local_ms("Asia/Shanghai", 2026, 1, 12, 8));
  EXPECT_EQ(dates.from, "2026-01-05");
  EXPECT_EQ(dates.to, "2026-01-11");
  // Across a year's end.
  dates = *report_dates(s, local_ms("Asia/Shanghai", 2026, 1, 1, 0));
  EXPECT_EQ(dates.from, "2025-12-25");
  EXPECT_EQ(dates.to, "2025-12-31");
}

TEST(ReportSchedule, AnUnknownZoneIsRefusedNamingTheField) {
  const auto due = next_report_due(daily("Mars/Base", 8), 0);
  ASSERT_FALSE(due);
  EXPECT_EQ(due.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(due.error().field, "time_zone");
  EXPECT_FALSE(report_dates(daily("Mars/Base", 8), 0));
}

}  // namespace
}  // namespace gongdan
