// The test clock's controls: admins only, forward only, a wake for the runner on every move, and
// "idle" meaning no job due or running.
#include "services/test_clock.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "migrated_database.hpp"
#include "store/jobs_store.hpp"

namespace gongdan::services {
namespace {

constexpr Millis kStart = 1'767'603'600'000;  // 2026-01-05T09:00:00Z
constexpr Millis kDay = 24 * 3600 * 1000;

class TestClockServiceTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    jobs_ = std::make_unique<JobQueue>(*db_, clock_);
    jobs_->set_listener([this](Millis) { ++wakes_; });
    control_ = std::make_unique<TestClockService>(clock_, *db_, *jobs_);
  }
  void enqueue(const std::string& key, Millis run_at) {
    auto done = db_->write([&](store::Connection& c) -> Result<void> {
      GONGDAN_TRY(store::insert_job(c, {"test", "{}", run_at, key, 0}, clock_.now_ms()));
      return {};
    });
    ASSERT_TRUE(done) << done.error().message;
  }
  // What a runner does with a due job: claims it, then (a moment later) finishes it.
  void run_due_jobs() {
    std::vector<JobRecord> claimed;
    ASSERT_TRUE(db_->write([&](store::Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(claimed, store::claim_due_jobs(c, clock_.now_ms(), 10));
      return {};
    }));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(db_->write([&](store::Connection& c) -> Result<void> {
      for (const auto& j : claimed) GONGDAN_TRY(store::finish_job(c, j.id, clock_.now_ms()));
      return {};
    }));
  }

  ManualClock clock_{kStart};
  std::unique_ptr<JobQueue> jobs_;
  std::unique_ptr<TestClockService> control_;
  std::atomic<int> wakes_{0};
  Principal admin_ = Principal::system();
};

TEST_F(TestClockServiceTest, OnlyAdminsMoveTheClockAndOnlyForward) {
  Principal agent;
  agent.user.role = Role::kAgent;
  EXPECT_EQ(control_->advance(agent, 1000).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(control_->wait_idle(agent, 10).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(clock_.now_ms(), kStart);

  EXPECT_EQ(*control_->advance(admin_, 3 * kDay), kStart + 3 * kDay);
  EXPECT_EQ(clock_.now_ms(), kStart + 3 * kDay);
  EXPECT_EQ(*control_->set(admin_, kStart + 4 * kDay), kStart + 4 * kDay);
  auto back = control_->set(admin_, kStart);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(control_->advance(admin_, -1).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(clock_.now_ms(), kStart + 4 * kDay);
  // Each move woke the runner: what became due runs now, not at its next look.
  EXPECT_EQ(wakes_.load(), 2);
}

TEST_F(TestClockServiceTest, IdleWhenNothingIsDueOrRunning) {
  ASSERT_TRUE(control_->wait_idle(admin_, 1000));
  enqueue("in two days", kStart + 2 * kDay);
  ASSERT_TRUE(control_->wait_idle(admin_, 1000));  // not due yet: nothing to wait for

  ASSERT_TRUE(control_->advance(admin_, 2 * kDay));
  auto busy = control_->wait_idle(admin_, 50);
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(busy.error().message.find("jobs are due or running"), std::string::npos);

  // Claimed (running) is still busy; finished is idle.
  std::thread runner([this] { run_due_jobs(); });
  ASSERT_TRUE(control_->wait_idle(admin_, 5000));
  runner.join();
  std::vector<JobRecord> done;
  ASSERT_TRUE(db_->read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(done, store::list_jobs(c, "done", 0, 10));
    return {};
  }));
  EXPECT_EQ(done.size(), 1u);
}

}  // namespace
}  // namespace gongdan::services
