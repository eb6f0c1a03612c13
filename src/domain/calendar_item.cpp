#include "domain/calendar_item.hpp"

#include "util/text.hpp"

namespace gongdan {

Result<void> read_calendar_spec(CalendarItem& item) {
  GONGDAN_ASSIGN(auto spec, parse_business_calendar_spec(item.spec));
  GONGDAN_TRY(BusinessCalendar::create(spec));
  std::string name = text::strip_controls(text::trim(spec.name));
  if (name.empty() || name.size() > 100)
    return fail(ErrorCode::kInvalidArgument, "must be 1 to 100 bytes of text", "name");
  item.name = std::move(name);
  return {};
}

}  // namespace gongdan
