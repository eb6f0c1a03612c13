// Time comes in through this interface so that SLA timers, throttles and session expiry can be
// tested with a clock the test moves by hand. All times are UTC milliseconds since the epoch.
#pragma once

#include <atomic>
#include <cstdint>

namespace gongdan {

using Millis = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Millis now_ms() const = 0;
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
  void advance(Millis by) { now_ += by; }
  void set(Millis to) { now_ = to; }

 private:
  std::atomic<Millis> now_;
};

}  // namespace gongdan
