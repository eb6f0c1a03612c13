// Folding the report rollups' finished days into days and months (services/report_folding),
// which queues the next fold for the end of the coming day.
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {

void add_report_fold_job(JobRunner& runner, services::ReportFolding& folding) {
  runner.handle(std::string(services::kReportFoldJob),
                [&folding](const Job&) { return job_result(folding.fold_job()); });
}

}  // namespace gongdan::jobs
