// Publishing an article translation at the time it was scheduled for.
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {

void add_kb_publish_job(JobRunner& runner, services::KbService& kb) {
  runner.handle(std::string(services::kKbPublishJob),
                [&kb](const Job& job) { return job_result(kb.publish_scheduled(job.payload)); });
}

}  // namespace gongdan::jobs
