// The /metrics families read from the database at each scrape: the job queue (its depth, what
// is due, the age of the oldest overdue job — outgoing mail and SLA timers among them) and each
// mailbox's last IMAP poll; deploy/prometheus/gongdan-alerts.yml alerts on them.
#pragma once

#include <string>

#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::cli {

void append_queue_metrics(std::string& out, store::Database& db, const Clock& clock);

}  // namespace gongdan::cli
