#include "services/queue_stats.hpp"

#include "store/jobs_store.hpp"
#include "store/mailboxes_store.hpp"

namespace gongdan::services {

Result<QueueStats> read_queue_stats(store::Database& db, Millis now) {
  QueueStats stats;
  GONGDAN_TRY(db.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(stats.jobs, store::job_stats(c, now));
    GONGDAN_ASSIGN(stats.mailboxes, store::mailbox_polls(c));
    return {};
  }));
  return stats;
}

}  // namespace gongdan::services
