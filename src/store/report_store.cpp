#include "store/report_store.hpp"

#include <fmt/format.h>

#include "store/messages_store.hpp"
#include "store/report_folds.hpp"
#include "store/select_by_ids.hpp"
#include "util/enum_names.hpp"

namespace gongdan::store {
namespace {

// Each grouping's column in the hourly tables (kValue: the extra dimensions' value); kNone groups
// by nothing ('').
constexpr Named<RollupDimension> kGroupColumns[] = {
    {RollupDimension::kDepartment, "department_id"}, {RollupDimension::kAgent, "agent_id"},
    {RollupDimension::kPriority, "priority"},        {RollupDimension::kType, "type"},
    {RollupDimension::kChannel, "channel"},          {RollupDimension::kValue, "value"}};

}  // namespace

Result<void> add_rollups(Connection& c, const std::map<std::string, std::int64_t>& deltas) {
  // A batch touches tens of counters: each table's are upserted several rows a statement, which
  // spares a statement's lookup, bindings and step per counter on the single writer.
  static const MultiRowInsert<16> kDaily(
      "INSERT INTO report_daily_rollups (metric, dimension, hour, value, department_id, shard, n)",
      7,
      " ON CONFLICT (metric, hour, dimension, value, department_id, shard) DO UPDATE SET n = "
      "report_daily_rollups.n + excluded.n");
  static const MultiRowInsert<16> kDimension(
      "INSERT INTO report_dimension_rollups (metric, dimension, hour, value, department_id, "
      "agent_id, shard, n)",
      8,
      " ON CONFLICT (metric, dimension, hour, value, department_id, agent_id, shard) DO UPDATE "
      "SET n = report_dimension_rollups.n + excluded.n");
  static const MultiRowInsert<16> kHourly(
      "INSERT INTO report_rollups (metric, hour, department_id, agent_id, priority, type, "
      "channel, shard, n)",
      9,
      " ON CONFLICT (metric, hour, department_id, agent_id, priority, type, channel, shard) DO "
      "UPDATE SET n = report_rollups.n + excluded.n");
  // The earliest hour this batch adds to that days are folded from (store/report_folds.hpp).
  std::optional<std::int64_t> earliest;
  std::vector<std::pair<RollupKey, std::int64_t>> daily, dimension, hourly;
  for (const auto& [key, delta] : deltas) {
    if (delta == 0) continue;
    auto k = parse_rollup_key(key);
    if (!k) continue;
    if (!k->daily && k->metric != "backlog" && (!earliest || k->hour < *earliest))
      earliest = k->hour;
    auto& rows = k->daily ? daily : !k->dimension.empty() ? dimension : hourly;
    rows.emplace_back(std::move(*k), delta);
  }
  const int shard = c.count_shard();
  // In the keys' order (dimension, hourly, daily), as before: writers on other nodes take the
  // rows' locks in the same order.
  GONGDAN_TRY(kDimension.run(c, dimension.size(), [&](Query& q, int first, std::size_t i) {
    const auto& [k, delta] = dimension[i];
    q.bind_from(first, k.metric, k.dimension, k.hour, k.value, k.department_id, k.agent_id, shard,
                delta);
  }));
  GONGDAN_TRY(kHourly.run(c, hourly.size(), [&](Query& q, int first, std::size_t i) {
    const auto& [k, delta] = hourly[i];
    q.bind_from(first, k.metric, k.hour, k.department_id, k.agent_id, k.priority, k.type, k.channel,
                shard, delta);
  }));
  GONGDAN_TRY(kDaily.run(c, daily.size(), [&](Query& q, int first, std::size_t i) {
    const auto& [k, delta] = daily[i];
    q.bind_from(first, k.metric, k.dimension, k.hour, k.value, k.department_id, shard, delta);
  }));
  // A day folded already must be folded again: its hours changed. Live writes add to the hour
  // now, after every folded day, so this matches no row (and writes none) but for imports and
  // back-dated tickets.
  if (earliest) GONGDAN_TRY(unfold_from(c, day_of_hour(*earliest)));
  return {};
}

Result<void> clear_rollups(Connection& c) {
  GONGDAN_TRY(clear_folds(c));
  GONGDAN_TRY(c.exec("DELETE FROM report_daily_rollups"));
  GONGDAN_TRY(c.exec("DELETE FROM report_dimension_rollups"));
  return c.exec("DELETE FROM report_rollups");
}

Result<std::vector<RollupSum>> sum_rollups(Connection& c, const RollupQuery& rq) {
  if (rq.metrics.empty()) return std::vector<RollupSum>{};
  const auto group = name_in(kGroupColumns, rq.group, "''");
  const bool extra = !rq.dimension.empty();
  std::string sql = fmt::format(
      "SELECT metric, {}, {}, CAST(SUM(n) AS BIGINT) FROM {} WHERE metric IN ({}){}{} AND hour "
      ">= ? AND hour < ?",
      rq.by_hour ? "hour" : "MIN(hour)", group,
      extra ? "report_dimension_rollups" : "report_rollups", question_marks(rq.metrics.size()),
      extra ? " AND dimension = ?" : "", extra && rq.dimension_value ? " AND value = ?" : "");
  // Which key reads the rows: the grand totals through the index of totals (metric, agent -1,
  // department -1, hour range). Anything else over a week or less through the primary key's hour
  // range: the index would also find the rows, but of every hour (it orders them by agent or
  // department first), and SQLite prefers it for the grouping's order. A unary + keeps a term
  // off an index.
  const bool short_range = rq.to_hour - rq.from_hour <= 7 * 24;
  const std::string_view plus = short_range ? "+" : "";
  if (!extra) switch (rq.rows) {
      case RollupRows::kGrandTotal:
        sql += " AND agent_id = -1 AND department_id = -1";
        break;
      case RollupRows::kDepartmentTotals:
        sql += fmt::format(" AND {0}agent_id = -1 AND {0}department_id >= 0", plus);
        break;
      case RollupRows::kEveryDimension:
        sql += " AND +agent_id >= 0";
        break;
    }
  if (rq.departments) {
    if (rq.departments->empty()) return std::vector<RollupSum>{};
    sql += fmt::format(" AND department_id IN ({})", question_marks(rq.departments->size()));
  }
  if (rq.agent_id) sql += fmt::format(" AND {}agent_id = ?", plus);
  sql += rq.by_hour ? " GROUP BY metric, hour" : " GROUP BY metric";
  if (rq.group != RollupDimension::kNone) sql += fmt::format(", {}", group);
  GONGDAN_ASSIGN(auto q, query(c, sql));
  int next = 1;
  for (const auto& m : rq.metrics) q.bind_from(next++, m);
  if (extra) q.bind_from(next++, rq.dimension);
  if (extra && rq.dimension_value) q.bind_from(next++, *rq.dimension_value);
  q.bind_from(next++, rq.from_hour);
  q.bind_from(next++, rq.to_hour);
  if (rq.departments)
    for (auto d : *rq.departments) q.bind_from(next++, d);
  if (rq.agent_id) q.bind_from(next++, *rq.agent_id);
  const bool text_group = rq.group == RollupDimension::kType ||
                          rq.group == RollupDimension::kChannel ||
                          rq.group == RollupDimension::kValue || rq.group == RollupDimension::kNone;
  return read_rows(q, [&](const Query& r) {
    return RollupSum{r.text(0), r.integer(1), text_group ? r.text(2) : std::to_string(r.integer(2)),
                     r.integer(3)};
  });
}

Result<std::vector<RollupSum>> sum_daily_rollups(Connection& c, const DailyQuery& dq) {
  if (dq.metrics.empty()) return std::vector<RollupSum>{};
  if (dq.departments && dq.departments->empty()) return std::vector<RollupSum>{};
  const std::string_view group = dq.group == DailyGroup::kDepartment ? "department_id"
                                 : dq.group == DailyGroup::kValue    ? "value"
                                                                     : "''";
  const std::string_view table = dq.table == DailyTable::kDays     ? "report_days"
                                 : dq.table == DailyTable::kMonths ? "report_months"
                                                                   : "report_daily_rollups";
  std::string sql = fmt::format(
      "SELECT metric, {}, {}, CAST(SUM(n) AS BIGINT) FROM {} WHERE metric IN ({}) AND dimension "
      "= ? AND hour >= ? AND hour < ?{}",
      dq.by_hour ? "hour" : "MIN(hour)", group, table, question_marks(dq.metrics.size()),
      dq.value ? " AND value = ?" : "");
  if (dq.departments)
    sql += fmt::format(" AND department_id IN ({})", question_marks(dq.departments->size()));
  else
    sql += dq.each_department ? " AND department_id >= 0" : " AND department_id = -1";
  sql += dq.by_hour ? " GROUP BY metric, hour" : " GROUP BY metric";
  if (dq.group != DailyGroup::kNone) sql += fmt::format(", {}", group);
  GONGDAN_ASSIGN(auto q, query(c, sql));
  int next = 1;
  for (const auto& m : dq.metrics) q.bind_from(next++, m);
  q.bind_from(next++, dq.dimension);
  q.bind_from(next++, dq.from_hour);
  q.bind_from(next++, dq.to_hour);
  if (dq.value) q.bind_from(next++, *dq.value);
  if (dq.departments)
    for (auto d : *dq.departments) q.bind_from(next++, d);
  const bool by_department = dq.group == DailyGroup::kDepartment;
  return read_rows(q, [&](const Query& r) {
    return RollupSum{r.text(0), r.integer(1),
                     by_department ? std::to_string(r.integer(2)) : r.text(2), r.integer(3)};
  });
}

Result<std::map<std::int64_t, std::vector<TicketEvent>>> ticket_histories(
    Connection& c, const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, std::vector<TicketEvent>> out;
  // A ticket's own events: those still on it, and those a merge moved away (origin_id names
  // their ticket).
  GONGDAN_TRY(select_by_id_chunks(
      c,
      "SELECT id, COALESCE(origin_id, ticket_id), at, actor_id, via, field, old_value, new_value "
      "FROM ticket_events WHERE (origin_id IS NULL AND ticket_id IN ({0})) OR origin_id IN ({0}) "
      "ORDER BY id",
      ids, 500, [&](const Query& r) {
        auto e = read_event(r);
        out[e.ticket_id].push_back(std::move(e));
      }));
  return out;
}

Result<std::int64_t> agent_reply_count(Connection& c, std::int64_t ticket_id) {
  return select_count(c,
                      "SELECT COUNT(*) FROM ticket_events e JOIN users u ON u.id = e.actor_id "
                      "WHERE e.field = 'message' AND u.role <> 'customer' AND ((e.origin_id IS "
                      "NULL AND e.ticket_id = ?) OR e.origin_id = ?)",
                      ticket_id, ticket_id);
}

Result<std::vector<Millis>> kb_deflection_times(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT created_at FROM kb_deflections ORDER BY id"));
  return read_rows(q, [](const Query& r) { return r.integer(0); });
}

Result<std::map<std::string, StatusCategory>> status_categories(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT name, category FROM statuses ORDER BY id"));
  std::map<std::string, StatusCategory> out;
  GONGDAN_ASSIGN(auto rows,
                 read_rows(q, [](const Query& r) { return std::pair(r.text(0), r.text(1)); }));
  for (const auto& [name, category] : rows)
    if (auto parsed = parse_category(category)) out.emplace(name, *parsed);
  return out;
}

Result<std::map<std::int64_t, std::string>> organization_names(
    Connection& c, const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, std::string> out;
  if (ids.empty()) return out;
  GONGDAN_ASSIGN(auto q, query(c, fmt::format("SELECT id, name FROM organizations WHERE id IN ({})",
                                              question_marks(ids.size()))));
  int next = 1;
  for (auto id : ids) q.bind_from(next++, id);
  GONGDAN_ASSIGN(auto rows,
                 read_rows(q, [](const Query& r) { return std::pair(r.integer(0), r.text(1)); }));
  out.insert(rows.begin(), rows.end());
  return out;
}

Result<std::vector<std::int64_t>> agent_ids(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT id FROM users WHERE role <> 'customer'"));
  return read_rows(q, [](const Query& r) { return r.integer(0); });
}

}  // namespace gongdan::store
