#include "jobs/job_runner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "util/request_id.hpp"

namespace gongdan::jobs {
namespace {

double jitter_unit() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

JobRunner::JobRunner(store::Database& db, const Clock& clock, RunnerOptions options)
    : db_(db), clock_(clock), options_(std::move(options)) {
  options_.workers = std::clamp(options_.workers, 1, 64);
}

JobRunner::~JobRunner() { stop(); }

void JobRunner::handle(std::string kind, JobHandler handler, std::optional<RetryPolicy> retry) {
  kinds_[std::move(kind)] = Kind{std::move(handler), std::move(retry)};
}

Result<void> JobRunner::start() {
  if (db_.engine() == store::Engine::kPostgres) {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    scope_.shared = true;
    scope_.node = std::uniform_int_distribution<std::int64_t>(1, INT32_MAX)(engine);
    // On the writer connection, which lives as long as this process: its claims are signed.
    GONGDAN_TRY(
        db_.exclusive([&](store::Connection& c) { return store::hold_node_key(c, scope_.node); }));
  }
  std::int64_t requeued = 0;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(requeued, store::requeue_running_jobs(c, clock_.now_ms(), scope_));
    return {};
  }));
  next_orphan_check_ = clock_.now_ms() + options_.orphan_check_ms;
  if (requeued > 0) spdlog::info("jobs: {} interrupted job(s) queued again", requeued);
  stopping_ = false;
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { worker_loop(); });
  dispatcher_ = std::thread([this] { dispatch_loop(); });
  return {};
}

void JobRunner::wake(Millis run_at) {
  {
    std::lock_guard lock(mutex_);
    // Asleep until before this job is due: it will be found then, no need to look now. (A
    // timer far ahead, which SLA clocks enqueue on most ticket commands, costs no lookup.)
    if (sleeping_until_ != 0 && run_at >= sleeping_until_) return;
    woken_ = true;
  }
  dispatcher_cv_.notify_one();
}

void JobRunner::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  dispatcher_cv_.notify_all();
  workers_cv_.notify_all();
  if (dispatcher_.joinable()) dispatcher_.join();
  for (auto& w : workers_)
    if (w.joinable()) w.join();
  workers_.clear();
}

void JobRunner::dispatch_loop() {
  while (!stopping_) {
    int free = 0;
    {
      std::lock_guard lock(mutex_);
      woken_ = false;
      free = idle_workers_ - static_cast<int>(handoff_.size());
    }
    Millis wait_ms = options_.idle_check_ms;
    // Sleeps until the clock reads now + `ms`, at the most. A clock that moves only when told
    // (the test clock) cannot be slept on: whoever moves it wakes the runner.
    auto until_clock = [&](Millis ms) {
      if (clock_.moves_by_itself()) wait_ms = std::min(wait_ms, ms);
    };
    if (scope_.shared) {
      const Millis now = clock_.now_ms();
      if (now >= next_orphan_check_) {
        next_orphan_check_ = now + options_.orphan_check_ms;
        std::int64_t requeued = 0;
        auto swept = db_.write([&](store::Connection& c) -> Result<void> {
          GONGDAN_ASSIGN(requeued, store::requeue_running_jobs(c, now, scope_));
          return {};
        });
        if (swept && requeued > 0)
          spdlog::info("jobs: {} job(s) of a stopped node queued again", requeued);
      }
      until_clock(next_orphan_check_ - now);
    }
    if (free > 0) {
      std::vector<JobRecord> claimed;
      std::optional<Millis> due;
      auto done = db_.write([&](store::Connection& c) -> Result<void> {
        GONGDAN_ASSIGN(claimed, store::claim_due_jobs(c, clock_.now_ms(), free, scope_));
        if (claimed.empty()) {
          GONGDAN_ASSIGN(due, store::next_job_due(c));
        }
        return {};
      });
      if (!done) {
        spdlog::warn("jobs: cannot claim work: {}", done.error().message);
        wait_ms = 1000;
      } else if (!claimed.empty()) {
        {
          std::lock_guard lock(mutex_);
          for (auto& row : claimed) handoff_.push_back(std::move(row));
        }
        workers_cv_.notify_all();
        continue;
      } else if (due) {
        if (*due <= clock_.now_ms()) continue;
        until_clock(*due - clock_.now_ms());
      }
    }
    std::unique_lock lock(mutex_);
    sleeping_until_ = clock_.now_ms() + wait_ms;
    dispatcher_cv_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                            [this] { return woken_ || stopping_.load(); });
    sleeping_until_ = 0;
  }
}

void JobRunner::worker_loop() {
  std::unique_lock lock(mutex_);
  ++idle_workers_;
  woken_ = true;
  dispatcher_cv_.notify_one();
  while (true) {
    workers_cv_.wait(lock, [this] { return stopping_.load() || !handoff_.empty(); });
    if (stopping_) break;
    auto row = std::move(handoff_.front());
    handoff_.pop_front();
    --idle_workers_;
    lock.unlock();
    run_one(row);
    lock.lock();
    ++idle_workers_;
    woken_ = true;
    dispatcher_cv_.notify_one();
  }
}

void JobRunner::run_one(const JobRecord& row) {
  RequestIdScope id(row.request_id);
  auto it = kinds_.find(row.kind);
  if (it == kinds_.end()) {
    settle(row, JobResult::dead("no handler for jobs of kind '" + row.kind + "'"));
    return;
  }
  Job job{row.id, row.kind, row.payload, row.idempotency_key, row.attempts, &stopping_};
  JobResult result;
  try {
    result = it->second.handler(job);
  } catch (const std::exception& e) {
    result = JobResult::retry(std::string("the handler failed: ") + e.what());
  }
  // Interrupted by shutdown: leave it running; the next start queues it again.
  if (stopping_ && result.outcome != Outcome::kDone) return;
  settle(row, result);
}

void JobRunner::settle(const JobRecord& row, const JobResult& result) {
  const Millis now = clock_.now_ms();
  auto kind = kinds_.find(row.kind);
  RetryPolicy policy =
      kind != kinds_.end() && kind->second.retry ? *kind->second.retry : options_.retry;
  if (row.max_attempts > 0) policy.max_attempts = row.max_attempts;
  auto done = db_.write([&](store::Connection& c) -> Result<void> {
    switch (result.outcome) {
      case Outcome::kDone:
        return store::finish_job(c, row.id, now);
      case Outcome::kDead:
        return store::bury_job(c, row.id, result.error, now);
      case Outcome::kRetry:
        break;
    }
    if (retries_exhausted(policy, row.attempts))
      return store::bury_job(
          c, row.id, "gave up after " + std::to_string(row.attempts) + " attempts: " + result.error,
          now);
    const Millis delay = retry_delay_ms(policy, row.attempts, jitter_unit());
    return store::reschedule_job(c, row.id, now + delay, result.error, now);
  });
  if (!done)
    spdlog::error("jobs: cannot record the outcome of job {}: {}", row.id, done.error().message);
  else if (result.outcome != Outcome::kDone)
    spdlog::info("jobs: job {} ({}) attempt {} failed: {}", row.id, row.kind, row.attempts,
                 result.error);
}

}  // namespace gongdan::jobs
