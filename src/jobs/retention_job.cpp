// One batch of a retention policy's daily run (services/retention_service), which queues the
// next batch or tomorrow's run.
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {

void add_retention_job(JobRunner& runner, services::RetentionService& retention) {
  runner.handle(std::string(services::kRetentionJob), [&retention](const Job& job) {
    const auto id = payload_int(job.payload, "policy");
    if (!id) return JobResult::dead("the job's payload names no retention policy");
    return job_result(retention.run_job(*id));
  });
}

}  // namespace gongdan::jobs
