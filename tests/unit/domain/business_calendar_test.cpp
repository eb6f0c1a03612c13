#include "domain/business_calendar.hpp"

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "local_time.hpp"

namespace gongdan {
namespace {

using testing_time::kHour;
using testing_time::kMinute;
using testing_time::local_ms;

Millis ny(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  return local_ms("America/New_York", y, m, d, hh, mm);
}
Millis sh(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  return local_ms("Asia/Shanghai", y, m, d, hh, mm);
}

BusinessCalendar make_calendar(std::string_view json) {
  auto calendar = parse_business_calendar(json);
  EXPECT_TRUE(calendar.has_value()) << calendar.error().field << ": " << calendar.error().message;
  return *calendar;
}

// Monday to Friday with a lunch break, as most offices work.
BusinessCalendar new_york_office() {
  return make_calendar(R"({"time_zone": "America/New_York", "weekly_hours": {
      "mon": ["09:00-12:00", "13:30-18:00"], "tue": ["09:00-12:00", "13:30-18:00"],
      "wed": ["09:00-12:00", "13:30-18:00"], "thu": ["09:00-12:00", "13:30-18:00"],
      "fri": ["09:00-12:00", "13:30-18:00"]}})");
}

BusinessCalendar china_2026() {
  std::ifstream in(GONGDAN_FIXTURES "/calendars/cn-2026.json");
  std::stringstream text;
  text << in.rdbuf();
  return make_calendar(text.str());
}

TEST(BusinessCalendar, WorkingTimeHonoursIntervalsAndLunch) {
  const auto calendar = new_york_office();
  EXPECT_FALSE(calendar.is_working_time(ny(2026, 3, 2, 8, 59)));
  EXPECT_TRUE(calendar.is_working_time(ny(2026, 3, 2, 9, 0)));
  EXPECT_FALSE(calendar.is_working_time(ny(2026, 3, 2, 12, 30)));
  EXPECT_TRUE(calendar.is_working_time(ny(2026, 3, 2, 13, 30)));
  EXPECT_FALSE(calendar.is_working_time(ny(2026, 3, 2, 18, 0)));  // the end is exclusive
  EXPECT_FALSE(calendar.is_working_time(ny(2026, 3, 7, 10, 0)));  // Saturday
  EXPECT_EQ(calendar.next_working_moment(ny(2026, 3, 2, 12, 15)), ny(2026, 3, 2, 13, 30));
  EXPECT_EQ(calendar.next_working_moment(ny(2026, 3, 6, 18, 0)), ny(2026, 3, 9, 9, 0));
  EXPECT_EQ(calendar.next_working_moment(ny(2026, 3, 2, 10, 0)), ny(2026, 3, 2, 10, 0));
}

TEST(BusinessCalendar, NewYorkAcrossSpringForward) {
  const auto calendar = new_york_office();
  // Friday 17:00 EST + 2 business hours = Monday 10:00 EDT: 64 real hours, not 65.
  const Millis start = ny(2026, 3, 6, 17, 0);
  const Millis due = calendar.add_business_time(start, 2 * kHour);
  EXPECT_EQ(due, ny(2026, 3, 9, 10, 0));
  EXPECT_EQ(due - start, 64 * kHour);
  EXPECT_EQ(calendar.business_time_between(start, due), 2 * kHour);
  // A full Monday after the change still has 7.5 hours of wall-clock work.
  EXPECT_EQ(calendar.business_time_between(ny(2026, 3, 9, 0), ny(2026, 3, 10, 0)),
            7 * kHour + 30 * kMinute);
  EXPECT_EQ(calendar.add_business_time(ny(2026, 3, 6, 11, 0), 8 * kHour), ny(2026, 3, 9, 11, 30));
}

TEST(BusinessCalendar, NewYorkAcrossFallBack) {
  const auto calendar = new_york_office();
  const Millis start = ny(2026, 10, 30, 17, 0);
  const Millis due = calendar.add_business_time(start, 2 * kHour);
  EXPECT_EQ(due, ny(2026, 11, 2, 10, 0));
  EXPECT_EQ(due - start, 66 * kHour);  // the weekend gained an hour
  EXPECT_EQ(calendar.business_time_between(start, due), 2 * kHour);
}

TEST(BusinessCalendar, DstDaysHave23And25WorkingHoursWhenOpenAllDay) {
  const auto calendar = make_calendar(R"({"time_zone": "America/New_York",
      "weekly_hours": {"sun": ["00:00-24:00"], "mon": ["09:00-10:00"]}})");
  EXPECT_EQ(calendar.business_time_between(ny(2026, 3, 8, 0), ny(2026, 3, 9, 0)), 23 * kHour);
  EXPECT_EQ(calendar.business_time_between(ny(2026, 11, 1, 0), ny(2026, 11, 2, 0)), 25 * kHour);
  EXPECT_EQ(calendar.business_time_between(ny(2026, 3, 1, 0), ny(2026, 3, 2, 0)), 24 * kHour);
  // 23 hours exhaust the short Sunday exactly; one more hour is Monday 09:00-10:00.
  EXPECT_EQ(calendar.add_business_time(ny(2026, 3, 8, 0), 23 * kHour), ny(2026, 3, 9, 0));
  EXPECT_EQ(calendar.add_business_time(ny(2026, 3, 8, 0), 24 * kHour), ny(2026, 3, 9, 10));
  EXPECT_EQ(calendar.add_business_time(ny(2026, 11, 1, 0), 25 * kHour), ny(2026, 11, 2, 0));
  EXPECT_TRUE(calendar.is_working_time(ny(2026, 3, 8, 3, 30)));
}

TEST(BusinessCalendar, IntervalsSpanningTheChangeFollowTheWallClock) {
  const auto calendar = make_calendar(R"({"time_zone": "America/New_York",
      "weekly_hours": {"sun": ["01:00-04:00"]}})");
  // 02:00-03:00 does not exist on 8 March; 01:00-02:00 happens twice on 1 November.
  EXPECT_EQ(calendar.business_time_between(ny(2026, 3, 8, 0), ny(2026, 3, 9, 0)), 2 * kHour);
  EXPECT_EQ(calendar.business_time_between(ny(2026, 11, 1, 0), ny(2026, 11, 2, 0)), 4 * kHour);
  EXPECT_EQ(calendar.business_time_between(ny(2026, 3, 1, 0), ny(2026, 3, 2, 0)), 3 * kHour);
}

TEST(BusinessCalendar, ShanghaiWorkedExampleFromTheFixture) {
  const auto calendar = china_2026();
  // Friday 17:00 + 4 h: 1 h on Friday, 3 h on the make-up Saturday.
  EXPECT_EQ(calendar.add_business_time(sh(2026, 2, 13, 17, 0), 4 * kHour), sh(2026, 2, 14, 12, 0));
  // Saturday 17:30 + 4 h: 0.5 h on the Saturday, Spring Festival 02-15..02-23 off.
  EXPECT_EQ(calendar.add_business_time(sh(2026, 2, 14, 17, 30), 4 * kHour),
            sh(2026, 2, 24, 12, 30));
}

TEST(BusinessCalendar, ShanghaiHolidaysAndMakeUpDays) {
  const auto calendar = china_2026();
  EXPECT_TRUE(calendar.is_working_time(sh(2026, 2, 14, 10)));   // make-up Saturday
  EXPECT_TRUE(calendar.is_working_time(sh(2026, 1, 4, 10)));    // make-up Sunday
  EXPECT_TRUE(calendar.is_working_time(sh(2026, 10, 10, 17)));  // make-up Saturday
  EXPECT_FALSE(calendar.is_working_time(sh(2026, 2, 7, 10)));   // an ordinary Saturday
  EXPECT_FALSE(calendar.is_working_time(sh(2026, 2, 16, 10)));  // Monday in the festival
  EXPECT_FALSE(calendar.is_working_time(sh(2026, 10, 7, 10)));  // Wednesday, National Day
  EXPECT_TRUE(calendar.is_working_time(sh(2026, 10, 8, 10)));
  EXPECT_EQ(calendar.hours_on(date::year{2026} / 2 / 28), calendar.spec().weekly_hours[1]);
  EXPECT_TRUE(calendar.hours_on(date::year{2026} / 5 / 4).empty());
  // A ticket opened on the eve of Spring Festival waits until the 24th.
  EXPECT_EQ(calendar.next_working_moment(sh(2026, 2, 14, 18, 0)), sh(2026, 2, 24, 9, 0));
  EXPECT_EQ(calendar.add_business_time(sh(2026, 2, 13, 9, 0), 18 * kHour + kMinute),
            sh(2026, 2, 24, 9, 1));
  // Fri 9 h + make-up Sat 9 h + Tue..Fri 36 h + make-up Sat 28th 9 h.
  EXPECT_EQ(calendar.business_time_between(sh(2026, 2, 13, 9), sh(2026, 3, 2, 9)), 63 * kHour);
}

TEST(BusinessCalendar, BusinessDaysSkipHolidaysAndCountMakeUpDays) {
  const auto calendar = china_2026();
  // Friday 13 February 15:00: the make-up Saturday counts, the Spring Festival does not.
  EXPECT_EQ(calendar.add_business_days(sh(2026, 2, 13, 15), 1), sh(2026, 2, 14, 15));
  EXPECT_EQ(calendar.add_business_days(sh(2026, 2, 13, 15), 2), sh(2026, 2, 24, 15));
  EXPECT_EQ(calendar.add_business_days(sh(2026, 2, 13, 15), 3), sh(2026, 2, 25, 15));
  EXPECT_EQ(calendar.add_business_days(sh(2026, 2, 13, 15), 0), sh(2026, 2, 13, 15));
  // Across spring-forward in New York: the same wall-clock time, 71 hours later.
  const auto office = new_york_office();
  EXPECT_EQ(office.add_business_days(ny(2026, 3, 6, 15), 1), ny(2026, 3, 9, 15));
  EXPECT_EQ(ny(2026, 3, 9, 15) - ny(2026, 3, 6, 15), 71 * kHour);
  // From a Saturday: Monday is the first working day.
  EXPECT_EQ(office.add_business_days(ny(2026, 3, 14, 10), 1), ny(2026, 3, 16, 10));
}

TEST(BusinessCalendar, ShanghaiWholeYear) {
  const auto calendar = china_2026();
  // 261 weekdays - 19 weekday holidays + 6 make-up days = 248 working days of 9 hours.
  const Millis year = calendar.business_time_between(sh(2026, 1, 1, 0), sh(2027, 1, 1, 0));
  EXPECT_EQ(year, 248 * 9 * kHour);
  EXPECT_EQ(calendar.add_business_time(sh(2026, 1, 1, 0), year), sh(2026, 12, 31, 18));
}

TEST(BusinessCalendar, AddThenMeasureRoundTrips) {
  // Random starts and durations (up to two years of business time), so the whole-week shortcut
  // of add_business_time is checked against the day-by-day measure.
  const std::vector<BusinessCalendar> calendars = {new_york_office(), china_2026()};
  std::mt19937_64 random(20260214);
  std::uniform_int_distribution<Millis> start_dist(sh(2025, 12, 1, 0), sh(2026, 12, 31, 0));
  std::uniform_int_distribution<Millis> duration_dist(1, 2 * 365 * 24 * kHour / 3);
  for (int i = 0; i < 400; ++i) {
    const auto& calendar = calendars[i % calendars.size()];
    const Millis start = start_dist(random);
    const Millis duration =
        i % 4 == 0 ? duration_dist(random) : duration_dist(random) % (40 * kHour);
    const Millis due = calendar.add_business_time(start, duration);
    ASSERT_EQ(calendar.business_time_between(start, due), duration) << "start " << start;
    ASSERT_TRUE(calendar.is_working_time(due - 1));
  }
}

TEST(BusinessCalendar, NegativeAndZeroDurations) {
  const auto calendar = new_york_office();
  const Millis saturday = ny(2026, 3, 7, 10);
  EXPECT_EQ(calendar.add_business_time(saturday, 0), saturday);
  EXPECT_EQ(calendar.add_business_time(saturday, -kHour), saturday);
  EXPECT_EQ(calendar.business_time_between(ny(2026, 3, 9, 10), ny(2026, 3, 9, 9)), -kHour);
}

TEST(BusinessCalendarParser, ExplainsWhatIsWrong) {
  struct Case {
    const char* json;
    const char* field;
    const char* message_part;
  };
  const Case cases[] = {
      {R"({"time_zone": "Mars/Olympus", "weekly_hours": {"mon": ["09:00-18:00"]}})", "time_zone",
       "unknown time zone"},
      {R"({"weekly_hours": {"mon": ["09:00-18:00"]}})", "time_zone", "required"},
      {R"({"time_zone": "UTC", "weekly_hours": {"mon": ["09:00-12:00", "11:00-13:00"]}})",
       "weekly_hours.mon[1]", "overlaps"},
      {R"({"time_zone": "UTC", "weekly_hours": {"mon": ["9:00-18:00"]}})", "weekly_hours.mon[0]",
       "HH:MM"},
      {R"({"time_zone": "UTC", "weekly_hours": {"mon": ["18:00-09:00"]}})", "weekly_hours.mon[0]",
       "start before it ends"},
      {R"({"time_zone": "UTC", "weekly_hours": {"monday": ["09:00-18:00"]}})",
       "weekly_hours.monday", "unknown key"},
      {R"({"time_zone": "UTC", "weekly_hours": {}})", "weekly_hours", "no working hours"},
      {R"({"time_zone": "UTC", "weekly_hours": {"mon": ["09:00-18:00"]},
           "holidays": ["2026-01-01", "2026-02-30"]})",
       "holidays[1]", "not a calendar date"},
      {R"({"time_zone": "UTC", "weekly_hours": {"mon": ["09:00-18:00"]},
           "holidays": [{"from": "2026-02-23", "to": "2026-02-15"}]})",
       "holidays[0].to", "before"},
      {R"({"time_zone": "UTC", "weekly_hours": {"mon": ["09:00-18:00"]},
           "holidays": ["2026-02-14"], "extra_working_days": ["2026-02-14"]})",
       "extra_working_days[0]", "both"},
      {R"({"time_zone": "UTC", "weekly_hours": {"mon": ["09:00-18:00"]},
           "extra_working_days": [{"date": "2026-02-14", "weekday": "Sunday"}]})",
       "extra_working_days[0].weekday", "is a saturday"},
      {R"({"time_zone": "UTC", "weekly_hours": {"mon": ["09:00-18:00"]}, "holiday": []})",
       "holiday", "unknown key"},
      {R"({"time_zone": "UTC", )", "", "not valid JSON"},
  };
  for (const auto& c : cases) {
    auto calendar = parse_business_calendar(c.json);
    ASSERT_FALSE(calendar.has_value()) << c.json;
    EXPECT_EQ(calendar.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(calendar.error().field, c.field) << c.json;
    EXPECT_NE(calendar.error().message.find(c.message_part), std::string::npos)
        << calendar.error().message;
  }
}

TEST(BusinessCalendarParser, ReadsTheFixture) {
  const auto calendar = china_2026();
  EXPECT_EQ(calendar.spec().time_zone, "Asia/Shanghai");
  EXPECT_EQ(calendar.spec().extra_working_days.size(), 6u);
  EXPECT_EQ(calendar.spec().holidays.size(), 3u + 9u + 3u + 5u + 3u + 3u + 7u);
  EXPECT_EQ(format_minute_of_day(1440), "24:00");
}

}  // namespace
}  // namespace gongdan
