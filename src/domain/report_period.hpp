// The time side of a report: a range of whole UTC hours read from the viewer's dates in their
// time zone, and the label of the day, week or month an hour falls in there. Rollups are kept
// by UTC hour, so any zone whose offset is a whole number of hours gets exact local days; in a
// zone with a half- or quarter-hour offset (Asia/Kolkata, Asia/Kathmandu) a day starts at the
// first whole UTC hour at or after local midnight, i.e. up to 45 minutes late
// (docs/metrics.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/clock.hpp"
#include "util/result.hpp"

namespace date {
class time_zone;
}

namespace gongdan {

enum class ReportStep { kHour, kDay, kWeek, kMonth };

class ReportZone {
 public:
  // An IANA name ("Asia/Shanghai"); errors name the field "tz".
  static Result<ReportZone> create(std::string_view name);
  const std::string& name() const { return name_; }
  // The instant local midnight starts `day` ("YYYY-MM-DD"); errors name `field`.
  Result<Millis> start_of_day(std::string_view day, std::string_view field) const;
  // The local label of the step `hour` (UTC hours since the epoch) falls in: "2026-12-06T09"
  // for hours, "2026-12-06" for days and for weeks (the Monday), "2026-12" for months.
  std::string label(std::int64_t hour, ReportStep step) const;
  // Whether the zone's offset at `at` is a whole number of hours.
  bool whole_hours_at(Millis at) const;

 private:
  std::string name_;
  const date::time_zone* zone_ = nullptr;
};

// The first whole UTC hour at or after `at`.
std::int64_t hour_at_or_after(Millis at);

}  // namespace gongdan
