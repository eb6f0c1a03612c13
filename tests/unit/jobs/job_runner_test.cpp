#include "jobs/job_runner.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "store/jobs_store.hpp"
#include "store/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace gongdan::jobs {
namespace {

class JobsDb {
 public:
  JobsDb() {
    dir_ = std::filesystem::temp_directory_path() /
           ("gongdan-jobs-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    store::SqliteOptions options;
    options.path = (dir_ / "jobs.db").string();
    auto opened = store::SqliteDatabase::open(options);
    EXPECT_TRUE(opened);
    db = std::move(*opened);
    EXPECT_TRUE(store::migrate(*db));
  }
  ~JobsDb() {
    db->close();
    std::filesystem::remove_all(dir_);
  }
  void enqueue(const std::string& key, Millis run_at, const std::string& kind = "test") {
    auto done = db->write([&](store::Connection& c) -> Result<void> {
      NewJob job{kind, "{}", run_at, key, 0};
      GONGDAN_TRY(store::insert_job(c, job, run_at));
      return {};
    });
    ASSERT_TRUE(done) << done.error().message;
  }
  std::vector<JobRecord> all(std::string_view state = "") {
    std::vector<JobRecord> out;
    EXPECT_TRUE(db->read([&](store::Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(out, store::list_jobs(c, state, 0, 1000));
      return {};
    }));
    return out;
  }
  std::unique_ptr<store::SqliteDatabase> db;

 private:
  static inline std::atomic<int> counter_{0};
  std::filesystem::path dir_;
};

template <class F>
bool eventually(F predicate, int ms = 5000) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < until) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return predicate();
}

RunnerOptions fast(int max_attempts = 3) {
  RunnerOptions o;
  o.workers = 3;
  o.retry = {10, 40, max_attempts};
  return o;
}

TEST(JobStore, IdempotencyKeyMakesASecondEnqueueANoOp) {
  JobsDb t;
  bool first = false, second = true;
  ASSERT_TRUE(t.db->write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(first, store::insert_job(c, {"k", "{}", 5, "same", 0}, 1));
    GONGDAN_ASSIGN(second, store::insert_job(c, {"k", "{}", 9, "same", 0}, 1));
    return {};
  }));
  EXPECT_TRUE(first);
  EXPECT_FALSE(second);
  ASSERT_EQ(t.all().size(), 1u);
  EXPECT_EQ(t.all()[0].run_at, 5);
}

TEST(JobStore, ClaimTakesOnlyDueJobsInOrderAndNextDueIsTheEarliest) {
  JobsDb t;
  t.enqueue("late", 300);
  t.enqueue("early", 100);
  t.enqueue("middle", 200);
  std::vector<JobRecord> claimed;
  std::optional<Millis> due;
  ASSERT_TRUE(t.db->write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(claimed, store::claim_due_jobs(c, 250, 10));
    GONGDAN_ASSIGN(due, store::next_job_due(c));
    return {};
  }));
  std::set<std::string> keys;
  for (const auto& j : claimed) {
    keys.insert(j.idempotency_key);
    EXPECT_EQ(j.state, "running");
    EXPECT_EQ(j.attempts, 1);
  }
  EXPECT_EQ(keys, (std::set<std::string>{"early", "middle"}));
  ASSERT_TRUE(due);
  EXPECT_EQ(*due, 300);
}

TEST(JobRunner, RunsEveryJobOnceAndMarksItDone) {
  JobsDb t;
  ManualClock clock(1'000);
  std::mutex m;
  std::multiset<std::string> ran;
  JobRunner runner(*t.db, clock, fast());
  runner.handle("test", [&](const Job& job) {
    std::lock_guard lock(m);
    ran.insert(job.idempotency_key);
    return JobResult::done();
  });
  ASSERT_TRUE(runner.start());
  for (int i = 0; i < 50; ++i) t.enqueue("job" + std::to_string(i), 1'000);
  runner.wake();
  ASSERT_TRUE(eventually([&] { return t.all("done").size() == 50; }));
  runner.stop();
  EXPECT_EQ(ran.size(), 50u);
  for (const auto& key : ran) EXPECT_EQ(ran.count(key), 1u) << key;
}

TEST(JobRunner, WaitsForRunAtAndWakesWhenItIsDue) {
  JobsDb t;
  ManualClock clock(1'000);
  std::atomic<int> ran{0};
  RunnerOptions options = fast();
  options.idle_check_ms = 20;  // the manual clock does not wake anyone: look often
  JobRunner runner(*t.db, clock, options);
  runner.handle("test", [&](const Job&) {
    ++ran;
    return JobResult::done();
  });
  ASSERT_TRUE(runner.start());
  t.enqueue("later", 61'000);
  runner.wake();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(ran.load(), 0);
  clock.set(61'000);
  ASSERT_TRUE(eventually([&] { return ran.load() == 1; }));
}

TEST(JobRunner, AJobDaysAheadRunsAsSoonAsTheClockIsMovedAndTheRunnerWoken) {
  // What the test clock's POST /api/v1/test/clock does: no polling (the default idle check is a
  // minute), the wake after the move is what runs the job.
  JobsDb t;
  constexpr Millis kDay = 24 * 3600 * 1000;
  ManualClock clock(1'000);
  std::atomic<int> ran{0};
  JobRunner runner(*t.db, clock, fast());
  runner.handle("test", [&](const Job&) {
    ++ran;
    return JobResult::done();
  });
  ASSERT_TRUE(runner.start());
  t.enqueue("in three days", 1'000 + 3 * kDay);
  runner.wake(1'000 + 3 * kDay);
  clock.advance(3 * kDay - 1);
  runner.wake();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(ran.load(), 0);  // a millisecond early
  clock.advance(1);
  runner.wake();
  ASSERT_TRUE(eventually([&] { return ran.load() == 1; }, 2000));
  ASSERT_TRUE(eventually([&] { return t.all("done").size() == 1; }, 2000));
}

TEST(JobRunner, RetriesWithBackoffThenDeadLetters) {
  JobsDb t;
  SystemClock& clock = SystemClock::instance();
  std::atomic<int> tries{0};
  JobRunner runner(*t.db, clock, fast(3));
  runner.handle("test", [&](const Job& job) {
    ++tries;
    EXPECT_EQ(job.attempt, (tries.load() - 1) % 3 + 1);  // counted afresh after a revive
    return JobResult::retry("receiver down");
  });
  ASSERT_TRUE(runner.start());
  t.enqueue("flaky", clock.now_ms());
  runner.wake();
  ASSERT_TRUE(eventually([&] { return t.all("dead").size() == 1; }));
  const auto dead = t.all("dead")[0];
  EXPECT_EQ(dead.attempts, 3);
  EXPECT_EQ(tries.load(), 3);
  EXPECT_NE(dead.last_error.find("gave up after 3 attempts: receiver down"), std::string::npos);
  // An admin's retry queues it again with a fresh count.
  bool revived = false;
  ASSERT_TRUE(t.db->write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(revived, store::revive_job(c, dead.id, clock.now_ms()));
    return {};
  }));
  EXPECT_TRUE(revived);
  runner.wake();
  ASSERT_TRUE(eventually([&] { return tries.load() == 6 && t.all("dead").size() == 1; }));
}

TEST(JobRunner, DeadOutcomeAndUnknownKindAreNotRetried) {
  JobsDb t;
  SystemClock& clock = SystemClock::instance();
  std::atomic<int> tries{0};
  JobRunner runner(*t.db, clock, fast(5));
  runner.handle("test", [&](const Job&) {
    ++tries;
    return JobResult::dead("refused");
  });
  ASSERT_TRUE(runner.start());
  t.enqueue("refused", clock.now_ms());
  t.enqueue("orphan", clock.now_ms(), "nobody-handles-this");
  runner.wake();
  ASSERT_TRUE(eventually([&] { return t.all("dead").size() == 2; }));
  EXPECT_EQ(tries.load(), 1);
  for (const auto& j : t.all("dead")) EXPECT_EQ(j.attempts, 1);
}

TEST(JobRunner, JobsLeftRunningByADeadProcessRunAgainOnStart) {
  JobsDb t;
  SystemClock& clock = SystemClock::instance();
  t.enqueue("interrupted", clock.now_ms());
  ASSERT_TRUE(t.db->write([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(store::claim_due_jobs(c, clock.now_ms(), 10));  // "running", then the crash
    return {};
  }));
  ASSERT_EQ(t.all("running").size(), 1u);
  std::atomic<int> attempt{0};
  JobRunner runner(*t.db, clock, fast());
  runner.handle("test", [&](const Job& job) {
    attempt = job.attempt;
    return JobResult::done();
  });
  ASSERT_TRUE(runner.start());
  ASSERT_TRUE(eventually([&] { return t.all("done").size() == 1; }));
  EXPECT_EQ(attempt.load(), 2);
}

}  // namespace
}  // namespace gongdan::jobs
