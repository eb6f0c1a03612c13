#include "services/job_queue.hpp"

#include "services/audit.hpp"
#include "services/cluster_events.hpp"
#include "store/automation_store.hpp"
#include "store/jobs_store.hpp"

namespace gongdan::services {
namespace {}  // namespace

Result<bool> JobQueue::enqueue(store::Connection& c, const NewJob& job) {
  if (job.kind.empty() || job.idempotency_key.empty())
    return fail(ErrorCode::kInternal, "a job needs a kind and an idempotency key");
  GONGDAN_ASSIGN(bool added, store::insert_job(c, job, clock_.now_ms()));
  if (added) {
    c.after_commit([this, at = job.run_at] { notify(at); });
    // Other nodes' runners too (PostgreSQL; sent at commit, one per transaction and channel).
    if (c.notifies()) {
      GONGDAN_TRY(c.notify(kJobsChannel, ""));
    }
  }
  return added;
}

void JobQueue::set_listener(std::function<void(Millis)> listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

void JobQueue::notify(Millis run_at) {
  std::function<void(Millis)> listener;
  {
    std::lock_guard lock(mutex_);
    listener = listener_;
  }
  if (listener) listener(run_at);
}

Result<std::vector<JobRecord>> JobQueue::list(const Principal& who, std::string_view state,
                                              std::int64_t before_id, int limit) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "see the jobs"));
  if (!state.empty() && state != "queued" && state != "running" && state != "done" &&
      state != "dead")
    return fail(ErrorCode::kInvalidArgument, "state must be queued, running, done or dead",
                "state");
  GONGDAN_ASSIGN(auto out, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_jobs(c, state, before_id, limit);
                 }));
  return out;
}

Result<JobRecord> JobQueue::get(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "see the jobs"));
  GONGDAN_ASSIGN(auto job, store::read_value(
                               db_, [&](store::Connection& c) { return store::find_job(c, id); }));
  if (!job) return fail(ErrorCode::kNotFound, "no such job");
  return *job;
}

Result<JobRecord> JobQueue::retry(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "see the jobs"));
  std::optional<JobRecord> job;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    const Millis now = clock_.now_ms();
    GONGDAN_ASSIGN(job, store::find_job(c, id));
    if (!job) return fail(ErrorCode::kNotFound, "no such job");
    GONGDAN_ASSIGN(bool revived, store::revive_job(c, id, now));
    if (!revived)
      return fail(ErrorCode::kConflict,
                  "only a dead job can be retried; this one is " + job->state);
    GONGDAN_TRY(
        record_audit(c, now, actor_id(who), "job.retry", "job:" + std::to_string(id), who.ip));
    GONGDAN_ASSIGN(job, store::find_job(c, id));
    c.after_commit([this] { notify(); });
    return {};
  }));
  return *job;
}

Result<std::int64_t> JobQueue::prune(const Principal& who) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "clean the jobs"));
  return prune_finished();
}

Result<std::int64_t> JobQueue::prune_finished() {
  constexpr int kBatch = 1000;  // short writes: ticket commands wait behind each one
  const Millis before = clock_.now_ms() - retention_.load();
  std::int64_t total = 0;
  for (;;) {
    std::int64_t n = 0;
    GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(n, store::prune_finished_jobs(c, before, kBatch));
      return {};
    }));
    total += n;
    if (n < kBatch) return total;
  }
}

}  // namespace gongdan::services
