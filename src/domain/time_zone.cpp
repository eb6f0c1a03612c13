#include "domain/time_zone.hpp"

#include <date/tz.h>
#include <fmt/format.h>

namespace gongdan {

Result<const date::time_zone*> locate_time_zone(const std::string& name, std::string_view field) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    // date-tz reports an unknown zone (or an unreadable tz database) by throwing.
    return fail(
        ErrorCode::kInvalidArgument,
        fmt::format("unknown time zone \"{}\" (expected an IANA name like Asia/Shanghai)", name),
        std::string(field));
  }
}

}  // namespace gongdan
