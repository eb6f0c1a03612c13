// An IANA time zone by name, as business calendars, report periods and report schedules take
// one. The rules come from the OS tz database (/usr/share/zoneinfo), read once by date-tz.
#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace date {
class time_zone;
}

namespace gongdan {

// The zone named `name` ("Asia/Shanghai"); an unknown name (or an unreadable tz database) is an
// error on `field`.
Result<const date::time_zone*> locate_time_zone(const std::string& name, std::string_view field);

}  // namespace gongdan
