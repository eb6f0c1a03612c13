// One LDAP directory's sync (deactivates the accounts gone from it), which queues the next.
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {

void add_ldap_sync_job(JobRunner& runner, services::LdapService& ldap) {
  runner.handle(std::string(services::kLdapSyncJob), [&ldap](const Job& job) {
    const auto id = payload_int(job.payload, "directory");
    if (!id) return JobResult::dead("the job's payload names no directory");
    return job_result(ldap.run_sync_job(*id));
  });
}

}  // namespace gongdan::jobs
