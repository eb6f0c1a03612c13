#include "store/jobs_store.hpp"

#include "store/column_table.hpp"
#include "util/request_id.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kJobs(
    "jobs", column("id", &JobRecord::id), column("kind", &JobRecord::kind),
    column("payload", &JobRecord::payload), column("run_at", &JobRecord::run_at),
    column("attempts", &JobRecord::attempts), column("max_attempts", &JobRecord::max_attempts),
    column("state", &JobRecord::state), column("idempotency_key", &JobRecord::idempotency_key),
    column("last_error", &JobRecord::last_error), column("created_at", &JobRecord::created_at),
    column("updated_at", &JobRecord::updated_at), column("request_id", &JobRecord::request_id));

}  // namespace

Result<bool> insert_job(Connection& c, const NewJob& job, Millis now) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO jobs (kind, payload, run_at, max_attempts, "
                               "idempotency_key, created_at, updated_at, request_id) VALUES (?, "
                               "?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING"));
  const std::string& request_id = job.request_id.empty() ? current_request_id() : job.request_id;
  GONGDAN_TRY(q.bind(job.kind, job.payload, job.run_at, job.max_attempts, job.idempotency_key, now,
                     now, request_id)
                  .run());
  return c.changes() > 0;
}

Result<std::vector<JobStat>> job_stats(Connection& c, Millis now) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT kind, state, COUNT(*), SUM(CASE WHEN state = 'queued' AND "
                               "run_at <= ? THEN 1 ELSE 0 END), MIN(run_at) FROM jobs WHERE state "
                               "<> 'done' GROUP BY kind, state ORDER BY kind, state"));
  return read_rows(q.bind(now), [](const Query& r) {
    return JobStat{r.text(0), r.text(1), r.integer(2), r.integer(3), r.optional_integer(4)};
  });
}

Result<std::optional<Millis>> next_job_due(Connection& c) {
  GONGDAN_ASSIGN(
      auto q, query(c, "SELECT run_at FROM jobs WHERE state = 'queued' ORDER BY run_at LIMIT 1"));
  return read_first_id(q);
}

Result<bool> jobs_pending(Connection& c, Millis now) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT 1 FROM jobs WHERE (state = 'queued' AND run_at <= ?) OR "
                               "state = 'running' LIMIT 1"));
  GONGDAN_ASSIGN(bool row, q.bind(now).next());
  return row;
}

Result<void> hold_node_key(Connection& c, std::int64_t node) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT pg_advisory_lock(7510463, CAST(? AS INTEGER))"));
  GONGDAN_ASSIGN(bool row, q.bind(node).next());
  (void)row;
  return {};
}

Result<std::vector<JobRecord>> claim_due_jobs(Connection& c, Millis now, int limit,
                                              const ClaimScope& scope) {
  GONGDAN_ASSIGN(auto q,
                 query(c, std::string("UPDATE jobs SET state = 'running', attempts = attempts + "
                                      "1, updated_at = ?, claimed_by = ? WHERE id IN (SELECT id "
                                      "FROM jobs WHERE state = 'queued' AND run_at <= ? ORDER BY "
                                      "run_at LIMIT ?") +
                              (scope.shared ? " FOR UPDATE SKIP LOCKED" : "") + ") RETURNING " +
                              kJobs.list()));
  return read_rows(q.bind(now, scope.node, now, limit), kJobs);
}

Result<void> finish_job(Connection& c, std::int64_t id, Millis now) {
  return run(c, "UPDATE jobs SET state = 'done', last_error = '', updated_at = ? WHERE id = ?", now,
             id);
}

Result<void> reschedule_job(Connection& c, std::int64_t id, Millis run_at, std::string_view error,
                            Millis now) {
  return run(
      c,
      "UPDATE jobs SET state = 'queued', run_at = ?, last_error = ?, updated_at = ? WHERE id = ?",
      run_at, error, now, id);
}

Result<void> bury_job(Connection& c, std::int64_t id, std::string_view error, Millis now) {
  return run(c, "UPDATE jobs SET state = 'dead', last_error = ?, updated_at = ? WHERE id = ?",
             error, now, id);
}

Result<std::int64_t> requeue_running_jobs(Connection& c, Millis now, const ClaimScope& scope) {
  if (!scope.shared) {
    GONGDAN_ASSIGN(auto q, query(c,
                                 "UPDATE jobs SET state = 'queued', run_at = ?, updated_at = ?, "
                                 "claimed_by = 0 WHERE state = 'running'"));
    GONGDAN_TRY(q.bind(now, now).run());
    return c.changes();
  }
  // The claimer's key is free (the transaction-scoped try succeeds) only when its node is gone.
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE jobs SET state = 'queued', run_at = ?, updated_at = ?, "
                               "claimed_by = 0 WHERE id IN (SELECT id FROM jobs WHERE state = "
                               "'running' AND claimed_by <> ? FOR UPDATE SKIP LOCKED) AND "
                               "pg_try_advisory_xact_lock(7510463, CAST(claimed_by AS INTEGER))"));
  GONGDAN_TRY(q.bind(now, now, scope.node).run());
  return c.changes();
}

Result<std::vector<JobRecord>> list_jobs(Connection& c, std::string_view state,
                                         std::int64_t before_id, int limit) {
  static const std::string sql =
      kJobs.select("WHERE id < ? AND (? = '' OR state = ?) ORDER BY id DESC LIMIT ?");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(before_id > 0 ? before_id : INT64_MAX, state, state, limit), kJobs);
}

Result<std::optional<JobRecord>> find_job(Connection& c, std::int64_t id) {
  return kJobs.find(c, id);
}

Result<bool> revive_job(Connection& c, std::int64_t id, Millis now) {
  return run_changed(c,
                     "UPDATE jobs SET state = 'queued', attempts = 0, run_at = ?, updated_at = ? "
                     "WHERE id = ? AND state = 'dead'",
                     now, now, id);
}

}  // namespace gongdan::store
