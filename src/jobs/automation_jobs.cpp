// Time-based automations: the scan that finds tickets whose conditions hold (automation_scan,
// which queues its own next run), and one automation applied to one ticket (automation).
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {

void add_automation_jobs(JobRunner& runner, services::AutomationsService& automations) {
  runner.handle(std::string(services::kAutomationJob), [&automations](const Job& job) {
    return job_result(automations.run(job.payload));
  });
  runner.handle(std::string(services::kAutomationScanJob), [&automations](const Job& job) {
    return job_result(automations.scan(job.payload));
  });
}

}  // namespace gongdan::jobs
