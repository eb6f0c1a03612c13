// Reports: the metrics of docs/metrics.md read from the hourly rollups (never from the tickets
// themselves), over a range of the viewer's days, in their time zone, grouped by a time step or
// a dimension; and the rebuild of every rollup from the tickets' history.
// Who sees what: agents their own numbers (their tickets, their replies), supervisors their
// departments (all, when granted every department), admins everything.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/directory.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

struct ReportRequest {
  std::string metric;
  std::string from;      // a date in the viewer's zone, YYYY-MM-DD (inclusive)
  std::string to;        // inclusive; with `from` empty: the last 30 days
  std::string group_by;  // hour, day, week, month, department, agent, priority, type, channel,
                         // or empty (one total); backlog: age (its default)
  std::string tz;        // IANA name; empty: the viewer's own
  // group_by may also be tag, organization or field:<key> (a select-type custom field); or one
  // of these filters narrows the report to a tag, an organization id or a field's value
  // ("<key>:<value>"). One extra dimension at a time, with a period, department or agent.
  std::string tag;
  std::string organization;
  std::string field;
};

struct ReportRow {
  std::string key;         // the period's label or the dimension's value ("" for none)
  std::string label;       // a name for the key (department, agent), else the key
  double value = 0;        // the metric: a count, milliseconds, or a share in [0, 1]
  std::int64_t count = 0;  // what the value is over (the count, the number timed, the answers)
  std::int64_t part = 0;   // ratios: how many of `count` the share counts (met, satisfied)
};

struct Report {
  std::string metric;
  std::string unit;  // "count", "milliseconds" or "ratio"
  std::string from;  // the range actually read, UTC
  std::string to;
  std::string time_zone;
  bool whole_hour_zone = true;  // false: days start at the next whole UTC hour
  std::string group_by;
  std::string scope;  // "all", "departments" or "own"
  ReportRow total;
  std::vector<ReportRow> rows;
};

// The metrics reports know, in the order the desk lists them.
const std::vector<std::string>& report_metrics();

class ReportsService {
 public:
  ReportsService(store::Database& db, const Clock& clock, Directory& directory)
      : db_(db), clock_(clock), directory_(directory) {}

  Result<Report> run(const Principal& who, const ReportRequest& request);
  // Recomputes every rollup from the tickets' history (exclusive of other writes); returns the
  // number of tickets replayed.
  Result<std::int64_t> rebuild();

 private:
  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
};

}  // namespace gongdan::services
