// Which rollups answer a report: the daily tier for the days inside its range and the hourly
// counters at its edges (domain/report_rollup.hpp), or the hourly counters alone when days
// cannot answer (an agent's own numbers, hour rows, a period grouping whose periods the days
// do not tile, an extra dimension grouped by agent, a supervisor's numbers by agent, priority,
// type or channel). The backlog reads the running counts, and for its age bands the hourly
// counters of the last 30 days.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/report_period.hpp"
#include "store/report_store.hpp"

namespace gongdan::store {

struct TierRequest {
  RollupQuery hourly;  // the whole report as hourly counters would answer it
  std::optional<ReportStep> step;
  bool backlog = false;
  bool by_age = false;
  bool extra_grouped = false;  // grouped by the extra dimension's values
};

// Sums as sum_rollups gives them; a daily counter's hour is its day's first, and the
// backlog's running counts have hour kAllTime (the oldest age band), less what the last 30
// days' hourly counters add to the younger bands.
Result<std::vector<RollupSum>> sum_tiers(Connection& c, const TierRequest& r,
                                         const ReportZone& zone, Millis now);

}  // namespace gongdan::store
