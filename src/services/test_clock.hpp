// The test clock's controls, present only when `serve` runs on a test clock (see
// docs/testing.md): move the server's time forward, and wait until the background work due by
// then has finished, so a test can say "three business days later", wait, and assert, with no
// sleeping. Admins only; the routes do not exist on a server with a real clock.
//
// Idle means: no job queued and due, none running (the queue is in the database, so on
// PostgreSQL this covers every node sharing it; outgoing mail is a job too), and no write
// waiting for this node's writer. Each node has its own clock: a test with several nodes moves each
// of them.
#pragma once

#include "services/job_queue.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

class TestClockService {
 public:
  TestClockService(ManualClock& clock, store::Database& db, JobQueue& jobs)
      : clock_(clock), db_(db), jobs_(jobs) {}

  Result<Millis> now(const Principal& who) const;
  // Moves the clock forward by `by`, or to `to` (never back: what is stored already would be
  // in the future), and wakes the job runner so that whatever became due runs. Returns the new
  // time.
  Result<Millis> advance(const Principal& who, Millis by);
  Result<Millis> set(const Principal& who, Millis to);
  // Returns once idle; kUnavailable naming what is still busy when `timeout_ms` (real time)
  // passes first.
  Result<void> wait_idle(const Principal& who, Millis timeout_ms);

 private:
  // What keeps the server busy now; empty when idle.
  Result<std::string> busy();

  ManualClock& clock_;
  store::Database& db_;
  JobQueue& jobs_;
};

}  // namespace gongdan::services
