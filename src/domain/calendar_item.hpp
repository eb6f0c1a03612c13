// A business calendar as admins keep it: its spec in the JSON form of
// domain/business_calendar.hpp (what they send and get back) and the name the spec gives it.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>

#include "domain/business_calendar.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan {

struct CalendarItem {
  std::int64_t id = 0;
  std::string name;  // the spec's, trimmed
  boost::json::value spec = boost::json::object{};
  Millis created_at = 0;
  Millis updated_at = 0;
};

// Checks the spec in full and takes its name (1 to 100 bytes). Errors name the spec's field
// ("time_zone", "weekly_hours.mon[1]").
Result<void> read_calendar_spec(CalendarItem& item);

}  // namespace gongdan
