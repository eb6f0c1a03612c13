#include "store/schema.hpp"

#include <string>

namespace gongdan::store {
namespace {

// The hourly counters' columns and key: migration 17 created the table with them, and migration
// 53 rebuilt it WITHOUT ROWID with the same ones.
constexpr std::string_view kHourlyColumns = R"sql(
  metric TEXT NOT NULL,
  hour INTEGER NOT NULL,
  department_id INTEGER NOT NULL,
  agent_id INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  type TEXT NOT NULL,
  channel TEXT NOT NULL,
  shard INTEGER NOT NULL DEFAULT 0,
  n INTEGER NOT NULL,
  PRIMARY KEY (metric, hour, department_id, agent_id, priority, type, channel, shard)
)sql";

// The folded tiers' columns and key: days and months are the same table at two widths.
constexpr std::string_view kFoldColumns = R"sql(
  metric TEXT NOT NULL,
  dimension TEXT NOT NULL,
  hour INTEGER NOT NULL,
  value TEXT NOT NULL,
  department_id INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (metric, dimension, hour, value, department_id)
)sql";

constexpr std::string_view kWithoutRowid = "{{without_rowid}}";

// "CREATE TABLE <name> (<columns>)<options>;", as the migrations wrote it.
std::string create_table(std::string_view name, std::string_view columns,
                         std::string_view options = "") {
  return "CREATE TABLE " + std::string(name) + " (" + std::string(columns) + ")" +
         std::string(options) + ";";
}

}  // namespace

// Report rollups: hourly counters per metric and ticket dimensions (domain/report_rollup.hpp),
// with departments' and grand totals in rows whose other dimensions are -1 (read through the
// second index: agent_id -1, then the department),
// added to in the write of each ticket change, in shards like view_counts (a hot hour's row
// would otherwise queue PostgreSQL's writers behind each other). A merge moves the source's
// history onto the target; origin_id keeps whose it was, so `gongdan reports rebuild` can
// replay each ticket's own history.
std::string_view reports_schema_sql() {
  static const std::string sql = "\n" + create_table("report_rollups", kHourlyColumns) +
                                 R"sql(
CREATE INDEX report_rollups_by_total ON report_rollups (metric, agent_id, department_id, hour);

ALTER TABLE ticket_events ADD COLUMN origin_id INTEGER;
CREATE INDEX ticket_events_by_origin ON ticket_events (origin_id) WHERE origin_id IS NOT NULL;
)sql";
  return sql;
}

// The extra dimensions' counters (domain/report_rollup.hpp): one row per metric, hour, dimension
// ("tag", "organization", "field:<key>"), its value, department and agent, in shards. Reports
// filter on one value or group by one dimension, so the key starts with both.
std::string_view report_dimensions_schema_sql() {
  return R"sql(
CREATE TABLE report_dimension_rollups (
  metric TEXT NOT NULL,
  dimension TEXT NOT NULL,
  value TEXT NOT NULL,
  hour INTEGER NOT NULL,
  department_id INTEGER NOT NULL,
  agent_id INTEGER NOT NULL,
  shard INTEGER NOT NULL DEFAULT 0,
  n INTEGER NOT NULL,
  PRIMARY KEY (metric, dimension, value, hour, department_id, agent_id, shard)
);
)sql";
}

// The daily tier (domain/report_rollup.hpp): one counter per metric, day (its first UTC hour,
// kDayStartHour), dimension ("" for the total, "agent", "priority", "type", "channel", "tag",
// "organization", "field:<key>"), value and department (-1: all; the total and the extra
// dimensions are kept per department too), in shards; the backlog's are running counts (hour
// kAllTime). The key starts with the metric and the day, so the counters one write batch adds
// to (one day, few metrics) share a few B-tree pages: each page a commit dirties is written to
// the WAL, and with the dimension before the day a batch touched a dozen pages more (creation
// with rollups measured 0.86 of main's hourly-only rollups that way, 0.96 this way; see
// bench/RESULTS.md). A report reads one dimension's days in a range and passes over the other
// dimensions' rows of those days. {{without_rowid}}: SQLite keeps the rows in the key's order
// and the count in them. Filled here from the hourly counters, with the same day arithmetic as
// day_of_hour.
std::string_view report_daily_schema_sql() {
  return R"sql(
CREATE TABLE report_daily_rollups (
  metric TEXT NOT NULL,
  dimension TEXT NOT NULL,
  hour INTEGER NOT NULL,
  value TEXT NOT NULL,
  department_id INTEGER NOT NULL,
  shard INTEGER NOT NULL DEFAULT 0,
  n INTEGER NOT NULL,
  PRIMARY KEY (metric, hour, dimension, value, department_id, shard)
){{without_rowid}};
INSERT INTO report_daily_rollups (metric, hour, dimension, value, department_id, shard, n)
SELECT metric, day, dimension, value, department_id, 0, SUM(n) FROM (
  SELECT metric, dimension, value, department_id, n, CASE WHEN metric = 'backlog'
    THEN -2147483647 ELSE hour - (((hour - 16) % 24) + 24) % 24 END AS day FROM (
    SELECT metric, '' AS dimension, '' AS value, department_id, hour, n FROM report_rollups
      WHERE agent_id = -1
    UNION ALL SELECT metric, 'agent', CAST(agent_id AS TEXT), -1, hour, n
      FROM report_rollups WHERE agent_id >= 0
    UNION ALL SELECT metric, 'priority', CAST(priority AS TEXT), -1, hour, n
      FROM report_rollups WHERE agent_id >= 0
    UNION ALL SELECT metric, 'type', type, -1, hour, n FROM report_rollups WHERE agent_id >= 0
    UNION ALL SELECT metric, 'channel', channel, -1, hour, n FROM report_rollups
      WHERE agent_id >= 0
    UNION ALL SELECT metric, dimension, value, department_id, hour, n
      FROM report_dimension_rollups
    UNION ALL SELECT metric, dimension, value, -1, hour, n FROM report_dimension_rollups
  ) AS hourly_rows
) AS daily_rows
GROUP BY metric, day, dimension, value, department_id
HAVING SUM(n) <> 0;
)sql";
}

// Days and months folded from finished hours by a job (store/report_folds.hpp), so ticket writes
// add to their hour alone: one counter per metric, dimension ("" for the total, "agent",
// "priority", "type", "channel", "tag", "organization", "field:<key>"), day or month (its first
// UTC hour), value and department (-1: all; every dimension is kept per department too, so a
// supervisor's numbers read days). One writer (the job) and no shards; the key starts with the
// metric and the dimension, so a report reads one dimension's run of days. report_folds holds
// the first day not folded (`next_day`; days before it are in report_days, months that end by
// it in report_months) and the end of what was ever folded (`folded_to`: rows from next_day up
// to it are stale and are deleted before they are folded again). A write to an hour before
// next_day (an import, a back-dated ticket) moves next_day back to that hour's day. The daily
// tier of migration 43 keeps only the backlog's running counts.
std::string_view report_folds_schema_sql() {
  static const std::string sql = "\n" + create_table("report_days", kFoldColumns, kWithoutRowid) +
                                 "\n" + create_table("report_months", kFoldColumns, kWithoutRowid) +
                                 R"sql(
CREATE TABLE report_folds (
  id INTEGER PRIMARY KEY,
  next_day INTEGER NOT NULL,
  folded_to INTEGER NOT NULL
);
INSERT INTO report_folds (id, next_day, folded_to) VALUES (1, -2147483647, -2147483647);
DELETE FROM report_daily_rollups WHERE metric <> 'backlog';
)sql";
  return sql;
}

// The hourly counters' tables rebuilt WITHOUT ROWID (SQLite keeps each row in its key's B-tree
// instead of a row table beside a key index: a new counter writes one B-tree fewer, and reads
// find the count in the key's page), and the extra dimensions' key ordered by the hour before
// the value: the rows a ticket write adds to (this hour, any value) lie together, and a report
// grouped by a dimension's values reads the hours of its range rather than every hour of every
// value (a tag grouping read all of a metric's tag rows for today's hours: 350 ms at a million
// tickets). A report filtered by one value passes over the other values of its hours. The index
// of totals keeps the totals' rows alone (agent -1): the rows with every dimension, one per
// ticket at a million tickets, each added an entry at its agent's place in it, so a batch of
// new tickets dirtied a page of the index per agent (reads of those rows go by the hour).
std::string_view report_hourly_keys_schema_sql() {
  static const std::string sql =
      "\n" + create_table("report_rollups_keyed", kHourlyColumns, kWithoutRowid) +
      R"sql(
INSERT INTO report_rollups_keyed (metric, hour, department_id, agent_id, priority, type, channel,
  shard, n)
SELECT metric, hour, department_id, agent_id, priority, type, channel, shard, n
FROM report_rollups;
DROP TABLE report_rollups;
ALTER TABLE report_rollups_keyed RENAME TO report_rollups;
CREATE INDEX report_rollups_by_total ON report_rollups (metric, department_id, hour)
  WHERE agent_id = -1;
CREATE TABLE report_dimension_rollups_keyed (
  metric TEXT NOT NULL,
  dimension TEXT NOT NULL,
  hour INTEGER NOT NULL,
  value TEXT NOT NULL,
  department_id INTEGER NOT NULL,
  agent_id INTEGER NOT NULL,
  shard INTEGER NOT NULL DEFAULT 0,
  n INTEGER NOT NULL,
  PRIMARY KEY (metric, dimension, hour, value, department_id, agent_id, shard)
){{without_rowid}};
INSERT INTO report_dimension_rollups_keyed (metric, dimension, hour, value, department_id,
  agent_id, shard, n)
SELECT metric, dimension, hour, value, department_id, agent_id, shard, n
FROM report_dimension_rollups;
DROP TABLE report_dimension_rollups;
ALTER TABLE report_dimension_rollups_keyed RENAME TO report_dimension_rollups;
)sql";
  return sql;
}

// Scheduled report mails (domain/report_schedule.hpp): lists are stored as text joined by
// spaces (metrics, recipients' addresses).
std::string_view report_schedules_schema_sql() {
  return R"sql(
CREATE TABLE report_schedules (
  id {{id}},
  name TEXT NOT NULL,
  frequency TEXT NOT NULL DEFAULT 'daily',
  weekday INTEGER NOT NULL DEFAULT 1,
  hour INTEGER NOT NULL DEFAULT 8,
  time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  metrics TEXT NOT NULL DEFAULT '',
  group_by TEXT NOT NULL DEFAULT '',
  attachment TEXT NOT NULL DEFAULT 'csv',
  recipients TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";
}

// Handle time (domain/work_time.hpp, store/work_time_store.hpp): what the desk's heartbeats
// added, per ticket, agent, hour and the ticket's last event id then (where the rebuild replays
// it), with the latest heartbeat's time, which caps what the next one adds.
std::string_view ticket_work_schema_sql() {
  return R"sql(
CREATE TABLE ticket_work (
  ticket_id INTEGER NOT NULL REFERENCES tickets (id),
  user_id INTEGER NOT NULL,
  hour INTEGER NOT NULL,
  after_event INTEGER NOT NULL,
  ms INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, user_id, hour, after_event)
);
)sql";
}

}  // namespace gongdan::store
