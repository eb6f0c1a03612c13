// Persistence of report rollups (domain/report_rollup.hpp): the hourly counters, their sums by
// hour and one dimension for a report, and the history `reports rebuild` replays.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/report_rollup.hpp"
#include "domain/ticket.hpp"
#include "store/database.hpp"

namespace gongdan::store {

// Adds the summed deltas of rollup keys (called with the view counters, just before a batch
// commits); keys that do not parse are skipped.
Result<void> add_rollups(Connection& c, const std::map<std::string, std::int64_t>& deltas);
Result<void> clear_rollups(Connection& c);

// A column of report_rollups that a report may group by or filter on.
// kValue: the values of the query's extra dimension.
enum class RollupDimension { kNone, kDepartment, kAgent, kPriority, kType, kChannel, kValue };

// Which rows a report reads: the grand totals, the departments' totals, or the rows with every
// dimension (the only ones an agent's numbers or a finer grouping can come from).
enum class RollupRows { kGrandTotal, kDepartmentTotals, kEveryDimension };

struct RollupQuery {
  std::vector<std::string> metrics;
  RollupRows rows = RollupRows::kEveryDimension;
  std::int64_t from_hour = 0;  // inclusive
  std::int64_t to_hour = 0;    // exclusive
  RollupDimension group = RollupDimension::kNone;
  // Only rows of these departments (when set) / this agent (when set).
  std::optional<std::vector<std::int64_t>> departments;
  std::optional<std::int64_t> agent_id;
  // An extra dimension ("tag", "organization", "field:<key>"): its counters are read instead
  // (`rows` does not apply), only those of `dimension_value` when set.
  std::string dimension;
  std::optional<std::string> dimension_value;
  // Sums by hour; else one sum per metric and group (its hour the earliest summed).
  bool by_hour = true;
};
struct RollupSum {
  std::string metric;
  std::int64_t hour = 0;
  std::string group;  // the dimension's value as text; empty without grouping
  std::int64_t n = 0;
};
// Sums by metric, hour and the group's value.
Result<std::vector<RollupSum>> sum_rollups(Connection& c, const RollupQuery& q);

// Days, months (store/report_folds.hpp) or the backlog's running counts (day kAllTime): one
// dimension's counters ("" for the departments' totals) of the days or months that start in
// [from_hour, to_hour), summed by metric, day and the group's value (the department's id, the
// dimension's value, or nothing).
enum class DailyGroup { kNone, kDepartment, kValue };
enum class DailyTable { kRunning, kDays, kMonths };
struct DailyQuery {
  DailyTable table = DailyTable::kDays;
  std::vector<std::string> metrics;
  std::string dimension;
  std::optional<std::string> value;  // only this value's counters
  std::int64_t from_hour = 0;
  std::int64_t to_hour = 0;
  DailyGroup group = DailyGroup::kNone;
  // The counters of each department (only these when `departments` is set), or else those of
  // all departments together (department -1).
  bool each_department = false;
  std::optional<std::vector<std::int64_t>> departments;
  bool by_hour = true;  // as RollupQuery's
};
Result<std::vector<RollupSum>> sum_daily_rollups(Connection& c, const DailyQuery& q);

// The histories of these tickets for a replay, by ticket id: each ticket's own events,
// wherever a merge moved them, in order.
Result<std::map<std::int64_t, std::vector<TicketEvent>>> ticket_histories(
    Connection& c, const std::vector<std::int64_t>& ticket_ids);
// The agent replies in a ticket's own history (as the replay counts them: "message" events by
// users who are agents now), wherever a merge moved them.
Result<std::int64_t> agent_reply_count(Connection& c, std::int64_t ticket_id);
// When each knowledge-base deflection happened, oldest first (the rebuild recounts them).
Result<std::vector<Millis>> kb_deflection_times(Connection& c);
// Status names as the history records them, with their categories.
Result<std::map<std::string, StatusCategory>> status_categories(Connection& c);
// The names of these organizations, by id.
Result<std::map<std::int64_t, std::string>> organization_names(
    Connection& c, const std::vector<std::int64_t>& ids);
// Users who are agents (any role but customer).
Result<std::vector<std::int64_t>> agent_ids(Connection& c);

}  // namespace gongdan::store
