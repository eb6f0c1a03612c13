// What /metrics shows of the work waiting in the database: the job queue by kind and state
// (outgoing mail and SLA timers are job kinds) and each mailbox's last IMAP poll. One read per
// scrape.
#pragma once

#include <vector>

#include "domain/job.hpp"
#include "domain/mailbox.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan::services {

struct QueueStats {
  std::vector<JobStat> jobs;
  std::vector<MailboxPoll> mailboxes;
};

Result<QueueStats> read_queue_stats(store::Database& db, Millis now);

}  // namespace gongdan::services
