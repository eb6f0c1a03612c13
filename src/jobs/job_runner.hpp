// The worker pool of the durable job queue. One dispatcher thread is the scheduler: it asks the
// jobs_due index for the earliest queued job, sleeps until then (or until an enqueue wakes it),
// claims due jobs as workers free up and hands them to the workers. A handler's failure
// reschedules the job after retry_delay_ms (exponential backoff with full jitter); after the
// policy's last attempt the job is dead-lettered for an admin to inspect and retry. Jobs that
// were running when the process died are queued again at start (at-least-once): handlers get
// the job's idempotency key so the far side can recognise a repeat.
// Several nodes on one PostgreSQL each run a runner: claims skip rows another node has locked,
// so each job runs once, and a job a dead node left running is queued again by a survivor.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "domain/retry_backoff.hpp"
#include "store/database.hpp"
#include "store/jobs_store.hpp"
#include "util/clock.hpp"

namespace gongdan::jobs {

struct Job {
  std::int64_t id = 0;
  std::string kind;
  std::string payload;
  std::string idempotency_key;
  int attempt = 1;  // this try's number, from 1
  // Set when the server is stopping: long handlers should give up (the job runs again later).
  const std::atomic<bool>* stopping = nullptr;
};

// What a handler reports. kDone and kSkip finish the job; kRetry reschedules it (or
// dead-letters it after the last attempt); kDead dead-letters it at once (it can never succeed).
enum class Outcome { kDone, kRetry, kDead };
struct JobResult {
  Outcome outcome = Outcome::kDone;
  std::string error;
  static JobResult done() { return {}; }
  static JobResult retry(std::string why) { return {Outcome::kRetry, std::move(why)}; }
  static JobResult dead(std::string why) { return {Outcome::kDead, std::move(why)}; }
};

using JobHandler = std::function<JobResult(const Job&)>;

struct RunnerOptions {
  int workers = 4;
  RetryPolicy retry;
  // The longest the dispatcher sleeps without looking (guards against a lost wake-up).
  Millis idle_check_ms = 60'000;
  // On a database shared by several nodes: how often to look for jobs a dead node left running.
  Millis orphan_check_ms = 10'000;
};

class JobRunner {
 public:
  JobRunner(store::Database& db, const Clock& clock, RunnerOptions options);
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Register before start(). `retry`: this kind's own policy (outgoing mail has its own
  // settings); the runner's when absent.
  void handle(std::string kind, JobHandler handler, std::optional<RetryPolicy> retry = {});
  // Requeues jobs a dead process left running, then starts the threads.
  Result<void> start();
  // Something due at `run_at` was enqueued (after its commit): look at the queue now, unless
  // the dispatcher already sleeps until before `run_at` (0: look now).
  void wake(Millis run_at = 0);
  // Stops claiming, tells running handlers to give up, joins the threads. Jobs interrupted
  // stay running in the database and are queued again by the next start().
  void stop();

 private:
  void dispatch_loop();
  void worker_loop();
  void run_one(const JobRecord& row);
  void settle(const JobRecord& row, const JobResult& result);

  store::Database& db_;
  const Clock& clock_;
  RunnerOptions options_;
  struct Kind {
    JobHandler handler;
    std::optional<RetryPolicy> retry;
  };
  std::map<std::string, Kind, std::less<>> kinds_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable dispatcher_cv_;
  std::condition_variable workers_cv_;
  bool woken_ = false;             // guarded by mutex_
  Millis sleeping_until_ = 0;      // guarded by mutex_; 0 while the dispatcher looks
  int idle_workers_ = 0;           // guarded by mutex_
  std::deque<JobRecord> handoff_;  // guarded by mutex_
  store::ClaimScope scope_;        // set by start()
  Millis next_orphan_check_ = 0;   // dispatcher thread only
  std::thread dispatcher_;
  std::vector<std::thread> workers_;
};

}  // namespace gongdan::jobs
