#include "store/report_tiers.hpp"

namespace gongdan::store {
namespace {

// The daily counters that answer what `hourly` asks, if any do.
std::optional<DailyQuery> daily_query(const TierRequest& r) {
  const auto& q = r.hourly;
  if (q.agent_id || r.step == ReportStep::kHour) return std::nullopt;
  DailyQuery d;
  d.metrics = q.metrics;
  d.departments = q.departments;
  d.each_department = q.group == RollupDimension::kDepartment;
  if (!q.dimension.empty()) {
    d.dimension = q.dimension;
    d.value = q.dimension_value;
    if (r.extra_grouped)
      d.group = DailyGroup::kValue;
    else if (q.group == RollupDimension::kDepartment)
      d.group = DailyGroup::kDepartment;
    else if (q.group != RollupDimension::kNone)
      return std::nullopt;  // by agent: the days keep no agent beside an extra dimension
    return d;
  }
  d.group = DailyGroup::kValue;
  switch (q.group) {
    case RollupDimension::kNone:
      d.group = DailyGroup::kNone;
      return d;
    case RollupDimension::kDepartment:
      d.group = DailyGroup::kDepartment;
      return d;
    case RollupDimension::kAgent:
      d.dimension = "agent";
      break;
    case RollupDimension::kPriority:
      d.dimension = "priority";
      break;
    case RollupDimension::kType:
      d.dimension = "type";
      break;
    case RollupDimension::kChannel:
      d.dimension = "channel";
      break;
    case RollupDimension::kValue:
      return std::nullopt;
  }
  // These the days keep for all departments only (domain/report_rollup.hpp).
  if (q.departments) return std::nullopt;
  return d;
}

Result<void> append_hourly(Connection& c, RollupQuery q, std::int64_t from, std::int64_t to,
                           std::vector<RollupSum>& out) {
  if (from >= to) return {};
  q.from_hour = from;
  q.to_hour = to;
  GONGDAN_ASSIGN(auto sums, sum_rollups(c, q));
  out.insert(out.end(), sums.begin(), sums.end());
  return {};
}

// The backlog: running counts, and the age bands younger than 30 days from the hourly
// counters of the tickets' creation (moved out of the oldest band, where the running count
// put them).
Result<std::vector<RollupSum>> backlog(Connection& c, const TierRequest& r, DailyQuery d,
                                       Millis now) {
  d.from_hour = kAllTime;
  d.to_hour = kAllTime + 1;
  GONGDAN_ASSIGN(auto out, sum_daily_rollups(c, d));
  if (!r.by_age) return out;
  constexpr Millis kThirtyDays = 30 * 24 * kMillisPerHour;
  const Millis since = now - kThirtyDays;
  const auto floor =
      since >= 0 ? since / kMillisPerHour : (since - kMillisPerHour + 1) / kMillisPerHour;
  std::vector<RollupSum> young;
  GONGDAN_TRY(append_hourly(c, r.hourly, floor + 1, r.hourly.to_hour, young));
  for (const auto& s : young) {
    out.push_back(s);
    out.push_back(RollupSum{s.metric, kAllTime, s.group, -s.n});
  }
  return out;
}

// Whether each day in [from, to) lies inside one period of `step` in the zone.
bool days_tile(std::int64_t from, std::int64_t to, ReportStep step, const ReportZone& zone) {
  for (auto day = from; day < to; day += 24)
    if (zone.label(day, step) != zone.label(day + 23, step)) return false;
  return true;
}

}  // namespace

Result<std::vector<RollupSum>> sum_tiers(Connection& c, const TierRequest& request,
                                         const ReportZone& zone, Millis now) {
  // Hours are only told apart for the periods and the age bands they fall in.
  TierRequest r = request;
  r.hourly.by_hour = r.step || r.by_age;
  auto daily = daily_query(r);
  if (!daily) return sum_rollups(c, r.hourly);
  daily->by_hour = r.hourly.by_hour;
  if (r.backlog) return backlog(c, r, *daily, now);
  const auto from = r.hourly.from_hour, to = r.hourly.to_hour;
  // The days that start and end inside the range.
  const auto first = day_of_hour(from + 23), last = day_of_hour(to);
  if (first >= last || (r.step && !days_tile(first, last, *r.step, zone)))
    return sum_rollups(c, r.hourly);
  daily->from_hour = first;
  daily->to_hour = last;
  GONGDAN_ASSIGN(auto out, sum_daily_rollups(c, *daily));
  GONGDAN_TRY(append_hourly(c, r.hourly, from, first, out));
  GONGDAN_TRY(append_hourly(c, r.hourly, last, to, out));
  return out;
}

}  // namespace gongdan::store
