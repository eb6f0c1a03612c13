// One batch of a retention policy's daily run (services/retention_service), which queues the
// next batch or tomorrow's run.
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {

void add_retention_job(JobRunner& runner, services::RetentionService& retention) {
  handle_row_job(runner, services::kRetentionJob, "policy", "retention policy",
                 [&retention](std::int64_t id) { return retention.run_job(id); });
}

}  // namespace gongdan::jobs
