// Retention policies (issue 21): a declared resource (retention_policies) whose items delete or
// anonymise closed tickets some months after their last change, per department or for all.
// Each active policy has a daily job (jobs/retention_job): a run works in batches of kBatch
// tickets, one write each, queueing the next batch at once while there is more, and otherwise
// tomorrow's run. Time is the services' clock (a test clock in tests). The answer of every
// policy shows `matching_now`, how many tickets it would act on today: the dry run an admin reads
// before switching it on (policies start switched off).
#pragma once

#include "domain/retention_policy.hpp"
#include "services/job_queue.hpp"
#include "services/privacy_service.hpp"
#include "services/resource_service.hpp"

namespace gongdan::services {

class Directory;
const Resource<RetentionPolicy>& retention_policy_resource();

class RetentionService {
 public:
  static constexpr int kBatch = 200;
  RetentionService(store::Database& db, const Clock& clock, Directory& directory, JobQueue& jobs,
                   PrivacyService& privacy)
      : db_(db), clock_(clock), directory_(directory), jobs_(jobs), privacy_(privacy) {}

  void add_to(Resources& resources);
  // One batch of policy `id`'s run (the job's work); a policy gone or switched off does nothing.
  Result<void> run_job(std::int64_t policy_id);
  // How many tickets the policy would act on now.
  Result<std::int64_t> matching_now(const RetentionPolicy& policy);

 private:
  Result<void> anonymise(store::Connection& c, std::int64_t ticket_id, Millis now);
  Result<void> remove(store::Connection& c, std::int64_t ticket_id, Millis now);

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  JobQueue& jobs_;
  PrivacyService& privacy_;
};

}  // namespace gongdan::services
