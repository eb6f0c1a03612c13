// Report days and months (store/report_folds.hpp), folded from the hourly rollups by a job: a
// day is folded once it ended kDelay ago. fold_job folds every such day not folded yet, a batch
// of days a write so that ticket writes go on between them, and queues itself for the end of
// the coming day; start_folding queues it now (the server at start-up, catching up after
// downtime); fold_all folds at once (`gongdan reports fold`) and returns the days folded.
#pragma once

#include <cstdint>

#include "services/store_fwd.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan::services {

class JobQueue;

class ReportFolding {
 public:
  ReportFolding(store::Database& db, const Clock& clock, JobQueue& jobs)
      : db_(db), clock_(clock), jobs_(jobs) {}

  // A ticket write started before midnight may commit after it (on PostgreSQL, beside the
  // fold): the fold waits this long. Writes to hours of days folded already move the fold back
  // (store::unfold_from), whatever the delay.
  static constexpr Millis kDelay = 15 * 60'000;
  // Days folded per write by the job: a month of a million tickets' hours is about a second of
  // work, so ticket writes wait no longer. fold_all (the command, no server) takes a year.
  static constexpr std::int64_t kBatchDays = 31;
  static constexpr std::int64_t kCommandBatchDays = 366;
  // The first day (its first hour) not ended kDelay before `now`.
  static std::int64_t limit(Millis now);

  Result<void> fold_job();
  Result<void> start_folding();
  Result<std::int64_t> fold_all();

 private:
  Result<std::int64_t> fold_until(std::int64_t until, std::int64_t batch_days);

  store::Database& db_;
  const Clock& clock_;
  JobQueue& jobs_;
};

}  // namespace gongdan::services
