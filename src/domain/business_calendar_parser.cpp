// The JSON form of a business calendar (see business_calendar.hpp). Every error names the field
// it is about, so the admin API can point at the exact entry of an imported list.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "domain/business_calendar.hpp"

namespace gongdan {

namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 7> kWeekdayNames = {"sun", "mon", "tue", "wed",
                                                           "thu", "fri", "sat"};
// One holiday range may not span more than a year: a typo in the year ("2062") would otherwise
// turn one entry into tens of thousands of days.
constexpr int kMaxHolidayRangeDays = 366;

Error calendar_error(std::string message, std::string field) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
}

bool parse_digits(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && ptr == s.data() + s.size();
}

// "HH:MM", 00:00 .. 24:00.
std::optional<int> parse_minute_of_day(std::string_view s) {
  int hours = 0;
  int mins = 0;
  if (s.size() != 5 || s[2] != ':' || !parse_digits(s.substr(0, 2), hours) ||
      !parse_digits(s.substr(3, 2), mins)) {
    return std::nullopt;
  }
  if (mins > 59 || hours > 24 || (hours == 24 && mins != 0)) return std::nullopt;
  return hours * 60 + mins;
}

Result<WorkingInterval> parse_interval(const json::value& value, const std::string& field) {
  const auto* text = value.if_string();
  if (text == nullptr) {
    return fail(calendar_error("expected a string like \"09:00-18:00\"", field));
  }
  const std::string_view s(*text);
  const auto dash = s.find('-');
  if (dash == std::string_view::npos) {
    return fail(
        calendar_error(fmt::format("\"{}\" is not an interval like \"09:00-18:00\"", s), field));
  }
  const auto start = parse_minute_of_day(s.substr(0, dash));
  const auto end = parse_minute_of_day(s.substr(dash + 1));
  if (!start || !end) {
    return fail(
        calendar_error(fmt::format("\"{}\" is not an interval like \"09:00-18:00\" (times are "
                                   "HH:MM, 00:00 to 24:00)",
                                   s),
                       field));
  }
  return WorkingInterval{*start, *end};
}

Result<DayHours> parse_day_hours(const json::value& value, const std::string& field) {
  const auto* list = value.if_array();
  if (list == nullptr) {
    return fail(calendar_error(
        "expected a list of intervals like [\"09:00-12:00\", \"13:30-18:00\"]", field));
  }
  DayHours hours;
  for (std::size_t i = 0; i < list->size(); ++i) {
    GONGDAN_ASSIGN(auto interval, parse_interval((*list)[i], fmt::format("{}[{}]", field, i)));
    hours.push_back(interval);
  }
  return hours;
}

Result<date::year_month_day> parse_date(const json::value& value, const std::string& field) {
  const auto* text = value.if_string();
  if (text == nullptr)
    return fail(calendar_error("expected a date string like \"2026-02-15\"", field));
  const std::string_view s(*text);
  int y = 0;
  int m = 0;
  int d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !parse_digits(s.substr(0, 4), y) ||
      !parse_digits(s.substr(5, 2), m) || !parse_digits(s.substr(8, 2), d)) {
    return fail(
        calendar_error(fmt::format("\"{}\" is not a date in the form YYYY-MM-DD", s), field));
  }
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return fail(calendar_error(fmt::format("{} is not a calendar date", s), field));
  return ymd;
}

Result<void> check_calendar_keys(const json::object& object,
                                 std::initializer_list<std::string_view> allowed,
                                 const std::string& field) {
  for (const auto& entry : object) {
    if (std::ranges::find(allowed, std::string_view(entry.key())) == allowed.end()) {
      std::string list;
      for (auto key : allowed) list += fmt::format("{}\"{}\"", list.empty() ? "" : ", ", key);
      return fail(calendar_error(
          fmt::format("unknown key \"{}\" (allowed: {})", std::string_view(entry.key()), list),
          field.empty() ? std::string(entry.key())
                        : fmt::format("{}.{}", field, std::string_view(entry.key()))));
    }
  }
  return {};
}

// Adds one holiday entry: "2026-01-01", {"date": ...} or {"from": ..., "to": ...}.
Result<void> add_holiday(const json::value& entry, const std::string& field,
                         std::vector<date::year_month_day>& out) {
  if (entry.is_string()) {
    GONGDAN_ASSIGN(auto day, parse_date(entry, field));
    out.push_back(day);
    return {};
  }
  const auto* object = entry.if_object();
  if (object == nullptr) {
    return fail(calendar_error(
        "expected a date string or an object with \"date\" or \"from\"/\"to\"", field));
  }
  GONGDAN_TRY(
      check_calendar_keys(*object, {"date", "from", "to", "name", "weekday", "for"}, field));
  if (const auto* single = object->if_contains("date")) {
    if (object->contains("from") || object->contains("to")) {
      return fail(calendar_error("give either \"date\" or \"from\"/\"to\", not both", field));
    }
    GONGDAN_ASSIGN(auto day, parse_date(*single, field + ".date"));
    out.push_back(day);
    return {};
  }
  const auto* from = object->if_contains("from");
  const auto* to = object->if_contains("to");
  if (from == nullptr || to == nullptr) {
    return fail(calendar_error("a holiday needs \"date\", or both \"from\" and \"to\"", field));
  }
  GONGDAN_ASSIGN(auto first, parse_date(*from, field + ".from"));
  GONGDAN_ASSIGN(auto last, parse_date(*to, field + ".to"));
  const auto first_day = date::sys_days{first};
  const auto last_day = date::sys_days{last};
  if (last_day < first_day) {
    return fail(calendar_error("\"to\" is before \"from\"", field + ".to"));
  }
  if ((last_day - first_day).count() >= kMaxHolidayRangeDays) {
    return fail(calendar_error(
        fmt::format("a holiday range may span at most {} days", kMaxHolidayRangeDays),
        field + ".to"));
  }
  for (auto day = first_day; day <= last_day; day += date::days{1}) {
    out.emplace_back(day);
  }
  return {};
}

Result<date::year_month_day> parse_extra_day(const json::value& entry, const std::string& field) {
  if (entry.is_string()) return parse_date(entry, field);
  const auto* object = entry.if_object();
  if (object == nullptr)
    return fail(calendar_error("expected a date string or {\"date\": ...}", field));
  GONGDAN_TRY(check_calendar_keys(*object, {"date", "name", "weekday", "for"}, field));
  const auto* day = object->if_contains("date");
  if (day == nullptr) return fail(calendar_error("a make-up working day needs \"date\"", field));
  GONGDAN_ASSIGN(auto ymd, parse_date(*day, field + ".date"));
  // The imported lists name the weekday; a mismatch means the list itself is wrong.
  if (const auto* weekday = object->if_contains("weekday"); weekday && weekday->is_string()) {
    static constexpr std::array<std::string_view, 7> kFull = {
        "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
    std::string given(weekday->get_string());
    for (auto& c : given) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto actual = kFull[date::weekday{date::sys_days{ymd}}.c_encoding()];
    if (given != actual) {
      return fail(
          calendar_error(fmt::format("{} is a {}, not a {}", std::string_view(day->get_string()),
                                     actual, std::string_view(weekday->get_string())),
                         field + ".weekday"));
    }
  }
  return ymd;
}

}  // namespace

Result<BusinessCalendarSpec> parse_business_calendar_spec(const json::value& json_value) {
  const auto* root = json_value.if_object();
  if (root == nullptr) return fail(calendar_error("a calendar must be a JSON object", ""));
  GONGDAN_TRY(
      check_calendar_keys(*root,
                          {"name", "time_zone", "weekly_hours", "holidays", "extra_working_days",
                           "extra_working_day_hours", "source", "note"},
                          ""));
  BusinessCalendarSpec spec;
  if (const auto* name = root->if_contains("name")) {
    if (!name->is_string()) return fail(calendar_error("expected a string", "name"));
    spec.name = std::string(name->get_string());
  }
  const auto* zone = root->if_contains("time_zone");
  if (zone == nullptr || !zone->is_string()) {
    return fail(calendar_error("an IANA time zone name (a string) is required", "time_zone"));
  }
  spec.time_zone = std::string(zone->get_string());

  const auto* weekly = root->if_contains("weekly_hours");
  if (weekly == nullptr || !weekly->is_object()) {
    return fail(calendar_error(
        "expected an object keyed by weekday: {\"mon\": [\"09:00-18:00\"], ...}", "weekly_hours"));
  }
  GONGDAN_TRY(check_calendar_keys(
      weekly->get_object(), {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, "weekly_hours"));
  for (std::size_t wd = 0; wd < kWeekdayNames.size(); ++wd) {
    if (const auto* day = weekly->get_object().if_contains(kWeekdayNames[wd])) {
      GONGDAN_ASSIGN(spec.weekly_hours[wd],
                     parse_day_hours(*day, fmt::format("weekly_hours.{}", kWeekdayNames[wd])));
    }
  }
  if (const auto* hours = root->if_contains("extra_working_day_hours")) {
    GONGDAN_ASSIGN(spec.extra_working_day_hours,
                   parse_day_hours(*hours, "extra_working_day_hours"));
  }
  if (const auto* holidays = root->if_contains("holidays")) {
    const auto* list = holidays->if_array();
    if (list == nullptr) return fail(calendar_error("expected a list", "holidays"));
    for (std::size_t i = 0; i < list->size(); ++i) {
      GONGDAN_TRY(add_holiday((*list)[i], fmt::format("holidays[{}]", i), spec.holidays));
    }
  }
  if (const auto* extra = root->if_contains("extra_working_days")) {
    const auto* list = extra->if_array();
    if (list == nullptr) return fail(calendar_error("expected a list", "extra_working_days"));
    for (std::size_t i = 0; i < list->size(); ++i) {
      GONGDAN_ASSIGN(auto day,
                     parse_extra_day((*list)[i], fmt::format("extra_working_days[{}]", i)));
      spec.extra_working_days.push_back(day);
    }
  }
  return spec;
}

Result<BusinessCalendar> parse_business_calendar(std::string_view json_text) {
  boost::system::error_code ec;
  const auto value = json::parse(json_text, ec);
  if (ec) {
    return fail(calendar_error(fmt::format("not valid JSON: {}", ec.message()), ""));
  }
  GONGDAN_ASSIGN(auto spec, parse_business_calendar_spec(value));
  return BusinessCalendar::create(std::move(spec));
}

}  // namespace gongdan
