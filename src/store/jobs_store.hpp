// Persistence of the durable job queue (table jobs). A job is enqueued inside the write of the
// change that causes it, so the change and its jobs commit together or not at all; the
// idempotency key makes a second enqueue of the same work a no-op.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/job.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

// How a node claims jobs. Alone (SQLite: one node, whose single writer already serialises
// claims) a plain UPDATE does. Beside other nodes (PostgreSQL) the due rows are locked
// FOR UPDATE SKIP LOCKED, so two nodes claiming at once never take the same job, and each claim
// is signed with the node's key, which the node holds as an advisory lock while it lives.
struct ClaimScope {
  bool shared = false;
  std::int64_t node = 0;  // 1 .. 2^31-1 when shared
};

// Takes the node's key for the life of the connection (PostgreSQL only: call on the writer).
Result<void> hold_node_key(Connection& c, std::int64_t node);
// Inserts the job unless one with the same idempotency key exists; true when inserted.
Result<bool> insert_job(Connection& c, const NewJob& job, Millis now);
// The earliest run_at of a queued job (one lookup in the jobs_due index).
Result<std::optional<Millis>> next_job_due(Connection& c);
// Whether any job is due at `now` and still queued, or running (on any node): the queue is idle
// when neither is so (the test clock's idle call; see services/test_clock.hpp).
Result<bool> jobs_pending(Connection& c, Millis now);
// Marks up to `limit` due queued jobs running, counting the attempt, and returns them.
Result<std::vector<JobRecord>> claim_due_jobs(Connection& c, Millis now, int limit,
                                              const ClaimScope& scope = {});
Result<void> finish_job(Connection& c, std::int64_t id, Millis now);
Result<void> reschedule_job(Connection& c, std::int64_t id, Millis run_at, std::string_view error,
                            Millis now);
Result<void> bury_job(Connection& c, std::int64_t id, std::string_view error, Millis now);
// Jobs left running by a process that died go back to the queue (at-least-once). Alone: every
// running job (the one process is starting again). Shared: the running jobs of nodes that no
// longer hold their key (dead), never this node's own.
Result<std::int64_t> requeue_running_jobs(Connection& c, Millis now, const ClaimScope& scope = {});
// Newest first; `state` empty means every state.
// Counts by kind and state of the jobs not yet done (/metrics).
Result<std::vector<JobStat>> job_stats(Connection& c, Millis now);

Result<std::vector<JobRecord>> list_jobs(Connection& c, std::string_view state,
                                         std::int64_t before_id, int limit);
Result<std::optional<JobRecord>> find_job(Connection& c, std::int64_t id);
// A dead job back to the queue with a fresh count of attempts; false when it is not dead.
Result<bool> revive_job(Connection& c, std::int64_t id, Millis now);

}  // namespace gongdan::store
