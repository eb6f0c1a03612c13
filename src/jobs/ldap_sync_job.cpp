// One LDAP directory's sync (deactivates the accounts gone from it), which queues the next.
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {

void add_ldap_sync_job(JobRunner& runner, services::LdapService& ldap) {
  handle_row_job(runner, services::kLdapSyncJob, "directory", "directory",
                 [&ldap](std::int64_t id) { return ldap.run_sync_job(id); });
}

}  // namespace gongdan::jobs
