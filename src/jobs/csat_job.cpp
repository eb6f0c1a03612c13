// Mailing a solved ticket's satisfaction survey, after the survey's delay.
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {

void add_csat_job(JobRunner& runner, services::CsatService& csat) {
  runner.handle(std::string(services::kCsatSurveyJob),
                [&csat](const Job& job) { return job_result(csat.send(job.payload)); });
}

}  // namespace gongdan::jobs
