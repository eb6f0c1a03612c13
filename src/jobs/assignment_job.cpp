// Assigning a ticket to an agent by round robin or load, after the command that queued it.
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {

void add_assignment_job(JobRunner& runner, services::AssignmentService& assignment) {
  runner.handle(std::string(services::kAssignmentJob), [&assignment](const Job& job) {
    return job_result(assignment.run_job(job.payload));
  });
}

}  // namespace gongdan::jobs
