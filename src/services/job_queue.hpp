// The services' side of the durable job queue: enqueue inside a command's write (the job commits
// with the change that causes it) and wake the runner once that write is durable; and the admin
// view of the queue (list, dead letters, retry). The runner itself lives in jobs/.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>

#include "domain/job.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

class JobQueue {
 public:
  JobQueue(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Inside a write: adds the job (a second job with the same idempotency key is ignored) and,
  // after the commit, tells the runner that work may be due. True when the job was new.
  Result<bool> enqueue(store::Connection& c, const NewJob& job);

  // Set once at start-up by the runner; called after a write that enqueued work commits.
  // The listener gets the earliest run_at of the work just committed (0: now), so a runner that
  // sleeps until an earlier job need not wake for timers due later.
  void set_listener(std::function<void(Millis)> listener);

  Result<std::vector<JobRecord>> list(const Principal& who, std::string_view state,
                                      std::int64_t before_id, int limit);
  Result<JobRecord> get(const Principal& who, std::int64_t id);
  // Puts a dead job back in the queue with its attempts reset.
  Result<JobRecord> retry(const Principal& who, std::int64_t id);

  void notify(Millis run_at = 0);

  // Cleaning: finished (done) jobs older than the retention are deleted, in batches; dead
  // letters stay until an admin retries them. `prune` is the admin's "now" (POST
  // /api/v1/jobs/prune); the server runs prune_finished every hour.
  void set_retention(Millis retention) { retention_ = retention; }
  Result<std::int64_t> prune(const Principal& who);
  Result<std::int64_t> prune_finished();

 private:
  store::Database& db_;
  const Clock& clock_;
  std::mutex mutex_;
  std::function<void(Millis)> listener_;  // guarded by mutex_
  std::atomic<Millis> retention_{7LL * 24 * 3600 * 1000};
};

}  // namespace gongdan::services
