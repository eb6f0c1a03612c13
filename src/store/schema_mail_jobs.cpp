#include "store/schema.hpp"

namespace gongdan::store {

// Outgoing mail moves onto the job queue: every mail still waiting in the outbox gets its mail
// job, due when the outbox would have tried it next and counting the attempts it has had, so a
// mail near its last attempt is not given a fresh set. The outbox's own schedule index goes: the
// job's run_at is what schedules a mail now.
std::string_view mail_jobs_schema() {
  return R"sql(
INSERT INTO jobs (kind, payload, run_at, attempts, max_attempts, state, idempotency_key,
                  last_error, created_at, updated_at)
SELECT 'mail', '{"outbound_id":' || id || '}', next_attempt_at, attempts, 0, 'queued',
       'mail:' || id, last_error, created_at, created_at
FROM outbound_mail WHERE status = 'queued';
DROP INDEX outbound_mail_due;
)sql";
}

}  // namespace gongdan::store
