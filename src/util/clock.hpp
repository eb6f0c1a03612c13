// Time comes in through this interface so that SLA timers, throttles and session expiry can be
// tested with a clock the test moves by hand (ManualClock: the unit tests, and `serve` on a test
// clock, see docs/testing.md). All times are UTC milliseconds since the epoch.
#pragma once

#include <atomic>
#include <cstdint>

namespace gongdan {

using Millis = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Millis now_ms() const = 0;
  // False for a clock that moves only when told: a waiter cannot sleep "until it reads T"
  // on a timer and relies on whoever moves the clock to wake it.
  virtual bool moves_by_itself() const { return true; }
};

class SystemClock final : public Clock {
 public:
  Millis now_ms() const override;
  static SystemClock& instance();
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Millis start) : now_(start) {}
  Millis now_ms() const override { return now_.load(); }
  bool moves_by_itself() const override { return false; }
  void advance(Millis by) { now_ += by; }
  void set(Millis to) { now_ = to; }

 private:
  std::atomic<Millis> now_;
};

}  // namespace gongdan
