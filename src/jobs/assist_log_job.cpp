// The drafts-and-summaries request log's daily pruning (services/assist_service), which queues
// the next day's while the log holds requests.
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {

void add_assist_log_job(JobRunner& runner, services::AssistService& assist) {
  runner.handle(std::string(services::kAssistLogJob),
                [&assist](const Job&) { return job_result(assist.prune_log()); });
}

}  // namespace gongdan::jobs
