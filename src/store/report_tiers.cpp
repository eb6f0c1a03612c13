#include "store/report_tiers.hpp"

#include "store/report_folds.hpp"

namespace gongdan::store {
namespace {

// The days and months that answer what `hourly` asks, if any do. The backlog's running counts
// keep the agent, priority, type and channel for all departments only; days and months keep
// every dimension per department too.
std::optional<DailyQuery> daily_query(const TierRequest& r) {
  const auto& q = r.hourly;
  if (r.step == ReportStep::kHour) return std::nullopt;
  DailyQuery d;
  d.table = r.backlog ? DailyTable::kRunning : DailyTable::kDays;
  d.metrics = q.metrics;
  d.departments = q.departments;
  d.each_department = q.group == RollupDimension::kDepartment;
  if (q.agent_id) {
    // An agent's own numbers: their counters of the dimension "agent".
    if (!q.dimension.empty()) return std::nullopt;
    d.dimension = "agent";
    d.value = std::to_string(*q.agent_id);
    if (q.group == RollupDimension::kNone || q.group == RollupDimension::kAgent) {
      d.group = q.group == RollupDimension::kNone ? DailyGroup::kNone : DailyGroup::kValue;
      return d;
    }
    if (q.group == RollupDimension::kDepartment && !r.backlog) {
      d.group = DailyGroup::kDepartment;
      return d;
    }
    return std::nullopt;
  }
  if (!q.dimension.empty()) {
    d.dimension = q.dimension;
    d.value = q.dimension_value;
    if (r.extra_grouped)
      d.group = DailyGroup::kValue;
    else if (q.group == RollupDimension::kDepartment)
      d.group = DailyGroup::kDepartment;
    else if (q.group != RollupDimension::kNone)
      return std::nullopt;  // by agent: no agent is kept beside an extra dimension
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
  // The running counts keep these for all departments only (domain/report_rollup.hpp).
  if (r.backlog && q.departments) return std::nullopt;
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

Result<void> append_folded(Connection& c, DailyQuery d, DailyTable table, std::int64_t from,
                           std::int64_t to, std::vector<RollupSum>& out) {
  if (from >= to) return {};
  d.table = table;
  d.from_hour = from;
  d.to_hour = to;
  GONGDAN_ASSIGN(auto sums, sum_daily_rollups(c, d));
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

// Whether [from, to) lies inside one period of `step` in the zone (always, without a step).
bool inside_one(std::int64_t from, std::int64_t to, const std::optional<ReportStep>& step,
                const ReportZone& zone) {
  return !step || zone.label(from, *step) == zone.label(to - 1, *step);
}

// A run of hours read from one tier.
enum class Tier { kHours, kDays, kMonths };
struct Piece {
  Tier tier;
  std::int64_t from;
  std::int64_t to;
};
void add_piece(std::vector<Piece>& plan, Tier tier, std::int64_t from, std::int64_t to) {
  if (from >= to) return;
  if (!plan.empty() && plan.back().tier == tier && plan.back().to == from)
    plan.back().to = to;
  else
    plan.push_back({tier, from, to});
}

// Which tier reads each part of [from, to): the months and days folded (before `folded`) that
// lie wholly inside the range and inside one period of the grouping, hours for the rest.
std::vector<Piece> plan_of(std::int64_t from, std::int64_t to, std::int64_t folded,
                           const std::optional<ReportStep>& step, const ReportZone& zone) {
  std::vector<Piece> plan;
  const auto first = day_of_hour(from + 23);
  const auto last = std::min(day_of_hour(to), folded);
  if (first >= last) {
    add_piece(plan, Tier::kHours, from, to);
    return plan;
  }
  add_piece(plan, Tier::kHours, from, first);
  for (auto day = first; day < last;) {
    const auto month = month_of_day(day), end = next_month(month);
    if (month == day && end <= last && inside_one(month, end, step, zone)) {
      add_piece(plan, Tier::kMonths, month, end);
      day = end;
      continue;
    }
    add_piece(plan, inside_one(day, day + 24, step, zone) ? Tier::kDays : Tier::kHours, day,
              day + 24);
    day += 24;
  }
  add_piece(plan, Tier::kHours, last, to);
  return plan;
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
  GONGDAN_ASSIGN(const auto folded, folded_until(c));
  std::vector<RollupSum> out;
  for (const auto& piece : plan_of(r.hourly.from_hour, r.hourly.to_hour, folded, r.step, zone)) {
    if (piece.tier == Tier::kHours)
      GONGDAN_TRY(append_hourly(c, r.hourly, piece.from, piece.to, out));
    else
      GONGDAN_TRY(append_folded(c, *daily,
                                piece.tier == Tier::kDays ? DailyTable::kDays : DailyTable::kMonths,
                                piece.from, piece.to, out));
  }
  return out;
}

}  // namespace gongdan::store
