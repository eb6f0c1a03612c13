// SLA timers: a warning or a breach due at a moment (sla_timer), and the first timers of one
// batch's tickets together (sla_timers). The SLA service checks the ticket is still due.
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {

void add_sla_jobs(JobRunner& runner, services::SlaService& sla) {
  runner.handle(std::string(services::kSlaTimerJob), [&sla](const Job& job) {
    return job_result(sla.run_timer(job.payload, job.idempotency_key));
  });
  runner.handle(std::string(services::kSlaTimersJob),
                [&sla](const Job& job) { return job_result(sla.run_timers(job.payload)); });
}

}  // namespace gongdan::jobs
