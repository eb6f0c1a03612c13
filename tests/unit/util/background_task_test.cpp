#include "util/background_task.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace gongdan {
namespace {

// Counts runs; a run can be held until the test lets it finish.
struct Work {
  std::mutex mutex;
  std::condition_variable changed;
  int started = 0, finished = 0;
  bool hold = false;

  void run() {
    std::unique_lock lock(mutex);
    ++started;
    changed.notify_all();
    changed.wait(lock, [&] { return !hold; });
    ++finished;
    changed.notify_all();
  }
  void wait_finished(int n) {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return finished >= n; });
  }
  void wait_started(int n) {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return started >= n; });
  }
  void release() {
    std::lock_guard lock(mutex);
    hold = false;
    changed.notify_all();
  }
};

TEST(BackgroundTask, RunsNothingUntilPokedThenRunsOnItsThread) {
  Work work;
  {
    BackgroundTask task("test-task", [&] { work.run(); });
    EXPECT_FALSE(task.stopping());
  }
  EXPECT_EQ(work.started, 0);  // never poked: no thread, no run
  BackgroundTask task("test-task", [&] { work.run(); });
  task.poke();
  work.wait_finished(1);
  EXPECT_EQ(work.started, 1);
}

TEST(BackgroundTask, PokesDuringARunMakeOneMoreRun) {
  Work work;
  work.hold = true;
  BackgroundTask task("test-task", [&] { work.run(); });
  task.poke();
  work.wait_started(1);
  task.poke();
  task.poke();
  task.poke();
  work.release();
  work.wait_finished(2);
  // The third run would come only from a poke after the second started: none came.
  task.poke();
  work.wait_finished(3);
  std::lock_guard lock(work.mutex);
  EXPECT_EQ(work.started, 3);
}

TEST(BackgroundTask, StopsWaitingForTheRunUnderWay) {
  Work work;
  work.hold = true;
  auto task = std::make_unique<BackgroundTask>("test-task", [&] { work.run(); });
  task->poke();
  work.wait_started(1);
  std::thread stopper([&] { task.reset(); });  // waits for the run under way
  work.release();
  stopper.join();
  EXPECT_EQ(work.finished, 1);
  EXPECT_EQ(work.started, 1);
}

}  // namespace
}  // namespace gongdan
