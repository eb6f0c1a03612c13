// Triage: applying the models' confident predictions to a new ticket (triage), and training
// the models (triage_train, which queues its own next run).
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {

void add_triage_jobs(JobRunner& runner, services::TriageService& triage) {
  runner.handle(std::string(services::kTriageJob),
                [&triage](const Job& job) { return job_result(triage.apply(job.payload)); });
  runner.handle(std::string(services::kTriageTrainJob),
                [&triage](const Job& job) { return job_result(triage.train_job(job.payload)); });
}

}  // namespace gongdan::jobs
