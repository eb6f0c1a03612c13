#include "services/report_folding.hpp"

#include <fmt/format.h>

#include "domain/job.hpp"
#include "domain/report_rollup.hpp"
#include "services/job_kinds.hpp"
#include "services/job_queue.hpp"
#include "store/database.hpp"
#include "store/report_folds.hpp"

namespace gongdan::services {
namespace {

NewJob fold_job_at(std::int64_t day, Millis run_at) {
  NewJob job;
  job.kind = std::string(kReportFoldJob);
  job.run_at = run_at;
  job.idempotency_key = fmt::format("report-fold-{}", day);
  return job;
}

}  // namespace

std::int64_t ReportFolding::limit(Millis now) {
  const Millis at = now - kDelay;
  const auto hour = at >= 0 ? at / kMillisPerHour : (at - kMillisPerHour + 1) / kMillisPerHour;
  return day_of_hour(hour);
}

Result<std::int64_t> ReportFolding::fold_until(std::int64_t until, std::int64_t batch_days) {
  std::int64_t days = 0;
  for (bool more = true; more;) {
    GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(const auto folded, store::fold_days(c, until, batch_days));
      days += (folded.to - folded.from) / 24;
      more = folded.more;
      return {};
    }));
  }
  return days;
}

Result<std::int64_t> ReportFolding::fold_all() {
  return fold_until(limit(clock_.now_ms()), kCommandBatchDays);
}

Result<void> ReportFolding::fold_job() {
  const auto until = limit(clock_.now_ms());
  GONGDAN_TRY(fold_until(until, kBatchDays));
  // The next: once the coming day has ended.
  const auto next = until + 24;
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(jobs_.enqueue(c, fold_job_at(next, next * kMillisPerHour + kDelay)));
    return {};
  });
}

Result<void> ReportFolding::start_folding() {
  const auto until = limit(clock_.now_ms());
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(jobs_.enqueue(c, fold_job_at(until, clock_.now_ms())));
    return {};
  });
}

}  // namespace gongdan::services
