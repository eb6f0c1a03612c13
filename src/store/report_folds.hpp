// Days and months of the report rollups, folded from finished hours (domain/report_rollup.hpp):
// each day's hourly counters summed into one counter per metric, dimension, value and
// department (and for all departments), and each month's days into its month. A job does it
// once a day after the day ends (services/reports_service), so a ticket write adds to its hour
// alone; reports read the folded days and months inside their range and hours elsewhere
// (store/report_tiers.hpp), so what they answer never depends on whether the job has run.
// Folding is idempotent: a day is deleted before it is written again, and the first day not
// folded (report_folds.next_day) moves in the same transaction as the rows.
#pragma once

#include <cstdint>

#include "store/database.hpp"

namespace gongdan::store {

// The first day (its first hour) not folded: days before it are in report_days, and months that
// end by it in report_months. kAllTime when nothing is.
Result<std::int64_t> folded_until(Connection& c);

struct Folded {
  std::int64_t from = 0;  // the days folded: [from, to)
  std::int64_t to = 0;
  bool more = false;  // days before `until` are left for the next call
};
// Folds the days from the first not folded up to `until` (a day's first hour, exclusive; days
// that have ended), at most `max_days` of them, and the months those complete.
Result<Folded> fold_days(Connection& c, std::int64_t until, std::int64_t max_days);

// Days from `day` on must be folded again (their hours changed); nothing when none was folded.
Result<void> unfold_from(Connection& c, std::int64_t day);
// Throws every day and month away (the rebuild).
Result<void> clear_folds(Connection& c);

}  // namespace gongdan::store
