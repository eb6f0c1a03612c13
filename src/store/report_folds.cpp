#include "store/report_folds.hpp"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "domain/report_rollup.hpp"

namespace gongdan::store {
namespace {

// The metrics folded, as SQL literals: fixed names of the domain (no input reaches them), listed
// so that each is a range of the hourly tables' keys rather than a scan of every metric.
std::string metric_list() {
  std::string out;
  for (const auto& m : folded_metrics()) out += fmt::format("{}'{}'", out.empty() ? "" : ", ", m);
  return out;
}

// The hourly counters of [from, to) summed per day, per dimension: the departments' totals (and
// the grand total, department -1), the agent, priority, type and channel of the rows with every
// dimension, and the extra dimensions, each per department and for all departments. The rows
// read more than once are common table expressions, which both databases read once: the extra
// dimensions' key has the dimension before the hour, so a read of every dimension's hours passes
// over all of a metric's rows. A unary + keeps the agent off the index of totals (whose order
// would have the rows of every hour read).
std::string fold_days_sql(std::int64_t from, std::int64_t to) {
  const auto where =
      fmt::format("metric IN ({}) AND hour >= {} AND hour < {}", metric_list(), from, to);
  std::string rows =
      "SELECT metric, '' AS dimension, '' AS value, department_id, hour, n FROM report_rollups "
      "WHERE " +
      where + " AND +agent_id = -1";
  for (const auto* dept : {"department_id", "-1"}) {
    for (const auto& [name, column] : {std::pair{"agent", "CAST(agent_id AS TEXT)"},
                                       {"priority", "CAST(priority AS TEXT)"},
                                       {"type", "type"},
                                       {"channel", "channel"}})
      rows += fmt::format(" UNION ALL SELECT metric, '{}', {}, {}, hour, n FROM every_rows", name,
                          column, dept);
    rows += fmt::format(" UNION ALL SELECT metric, dimension, value, {}, hour, n FROM extra_rows",
                        dept);
  }
  return fmt::format(
      "WITH every_rows AS (SELECT metric, department_id, agent_id, priority, type, channel, hour, "
      "n FROM report_rollups WHERE {1} AND +agent_id >= 0), extra_rows AS (SELECT metric, "
      "dimension, value, department_id, hour, n FROM report_dimension_rollups WHERE {1}) INSERT "
      "INTO report_days (metric, dimension, hour, value, department_id, n) SELECT metric, "
      "dimension, day, value, department_id, CAST(SUM(n) AS BIGINT) FROM (SELECT metric, "
      "dimension, value, department_id, n, hour - (((hour - {0}) % 24) + 24) % 24 AS day FROM "
      "({2}) AS hourly_rows) AS daily_rows GROUP BY metric, dimension, day, value, department_id "
      "HAVING SUM(n) <> 0",
      kDayStartHour, where, rows);
}

Result<std::pair<std::int64_t, std::int64_t>> fold_state(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT next_day, folded_to FROM report_folds WHERE id = 1"));
  GONGDAN_ASSIGN(auto rows, read_rows(q, [](const Query& r) {
                   return std::pair(r.integer(0), r.integer(1));
                 }));
  if (rows.empty()) return std::pair(kAllTime, kAllTime);
  return rows.front();
}

// The first hour any folded metric counted, if any (the grand totals' rows, by their index).
Result<std::optional<std::int64_t>> first_hour(Connection& c) {
  std::optional<std::int64_t> out;
  for (const auto& m : folded_metrics()) {
    GONGDAN_ASSIGN(auto q, query(c,
                                 "SELECT MIN(hour) FROM report_rollups WHERE metric = ? AND "
                                 "agent_id = -1 AND department_id = -1"));
    GONGDAN_ASSIGN(auto rows,
                   read_rows(q.bind(m), [](const Query& r) { return r.optional_integer(0); }));
    if (!rows.empty() && rows.front() && (!out || *rows.front() < *out)) out = rows.front();
  }
  return out;
}

}  // namespace

Result<std::int64_t> folded_until(Connection& c) {
  GONGDAN_ASSIGN(auto state, fold_state(c));
  return state.first;
}

Result<Folded> fold_days(Connection& c, std::int64_t until, std::int64_t max_days) {
  GONGDAN_ASSIGN(const auto state, fold_state(c));
  auto [from, folded_to] = state;
  if (from == kAllTime) {
    GONGDAN_ASSIGN(const auto first, first_hour(c));
    from = first ? day_of_hour(*first) : until;
  }
  Folded out{from, std::min(until, from + max_days * 24), false};
  if (out.from < out.to) {
    // Stale days from an earlier fold (their hours changed since) go first.
    if (out.from < folded_to)
      GONGDAN_TRY(
          c.exec(fmt::format("DELETE FROM report_days WHERE metric IN ({}) AND hour >= {} "
                             "AND hour < {}",
                             metric_list(), out.from, std::min(out.to, folded_to))));
    GONGDAN_TRY(c.exec(fold_days_sql(out.from, out.to)));
    // The months these days complete (one that started before them too).
    for (auto month = month_of_day(out.from); month < out.to; month = next_month(month)) {
      const auto end = next_month(month);
      if (end > out.to) break;
      GONGDAN_TRY(c.exec(fmt::format("DELETE FROM report_months WHERE metric IN ({}) AND hour = {}",
                                     metric_list(), month)));
      GONGDAN_TRY(c.exec(fmt::format(
          "INSERT INTO report_months (metric, dimension, hour, value, department_id, n) SELECT "
          "metric, dimension, {0}, value, department_id, CAST(SUM(n) AS BIGINT) FROM report_days "
          "WHERE metric IN ({1}) AND hour >= {0} AND hour < {2} GROUP BY metric, dimension, "
          "value, department_id HAVING SUM(n) <> 0",
          month, metric_list(), end)));
    }
  }
  out.to = std::max(out.to, out.from);
  GONGDAN_ASSIGN(auto q,
                 query(c, "UPDATE report_folds SET next_day = ?, folded_to = ? WHERE id = 1"));
  GONGDAN_TRY(q.bind(out.to, std::max(folded_to, out.to)).run());
  out.more = out.to < until;
  return out;
}

Result<void> unfold_from(Connection& c, std::int64_t day) {
  GONGDAN_ASSIGN(auto q, query(c, "UPDATE report_folds SET next_day = ? WHERE next_day > ?"));
  return q.bind(day, day).run_later();
}

Result<void> clear_folds(Connection& c) {
  GONGDAN_TRY(c.exec("DELETE FROM report_days"));
  GONGDAN_TRY(c.exec("DELETE FROM report_months"));
  GONGDAN_ASSIGN(auto q,
                 query(c, "UPDATE report_folds SET next_day = ?, folded_to = ? WHERE id = 1"));
  return q.bind(kAllTime, kAllTime).run();
}

}  // namespace gongdan::store
