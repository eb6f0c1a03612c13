#include "services/test_clock.hpp"

#include <chrono>
#include <thread>

#include "store/jobs_store.hpp"

namespace gongdan::services {

Result<Millis> TestClockService::now(const Principal& who) const {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "read the test clock"));
  return clock_.now_ms();
}

Result<Millis> TestClockService::advance(const Principal& who, Millis by) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "move the test clock"));
  if (by < 0) return fail(ErrorCode::kInvalidArgument, "the clock only moves forward", "advance");
  clock_.advance(by);
  jobs_.notify();
  return clock_.now_ms();
}

Result<Millis> TestClockService::set(const Principal& who, Millis to) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "move the test clock"));
  if (to < clock_.now_ms())
    return fail(ErrorCode::kInvalidArgument, "the clock only moves forward", "set");
  clock_.set(to);
  jobs_.notify();
  return clock_.now_ms();
}

Result<std::string> TestClockService::busy() {
  if (const auto stats = db_.stats(); stats.write_queue + stats.writes_in_flight > 0)
    return std::string("writes are waiting to commit");
  const Millis now = clock_.now_ms();
  std::string what;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    // Outgoing mail is a job too (jobs/mail_job), so this covers it.
    GONGDAN_ASSIGN(bool jobs, store::jobs_pending(c, now));
    if (jobs) what = "jobs are due or running";
    return {};
  }));
  return what;
}

Result<void> TestClockService::wait_idle(const Principal& who, Millis timeout_ms) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "wait for the job queue"));
  using namespace std::chrono;
  const auto deadline = steady_clock::now() + milliseconds(timeout_ms);
  jobs_.notify();  // whatever is due now runs now
  for (;;) {
    GONGDAN_ASSIGN(auto what, busy());
    if (what.empty()) return {};
    if (steady_clock::now() >= deadline)
      return fail(ErrorCode::kUnavailable,
                  "not idle after " + std::to_string(timeout_ms / 1000) + " s: " + what);
    std::this_thread::sleep_for(milliseconds(5));
  }
}

}  // namespace gongdan::services
