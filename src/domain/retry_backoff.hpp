// How long to wait before the next try of work that failed (a job, an outgoing mail, a webhook
// delivery): exponential backoff with "full jitter", so many failures at once do not retry in
// lock-step and hammer a recovering server together. Pure: the random draw is passed in.
#pragma once

#include <cstdint>

namespace gongdan {

struct RetryPolicy {
  std::int64_t base_ms = 30'000;    // the first retry waits up to this long
  std::int64_t cap_ms = 3'600'000;  // no wait is ever longer than this
  int max_attempts = 10;            // after this many failed tries the work is dead-lettered
};

// Delay before try number `attempt + 1`, given that `attempt` tries (>= 1) have failed.
// `unit` is a uniform random number in [0, 1); the delay lies in [ceiling / 2, ceiling] where
// ceiling = min(cap, base * 2^(attempt - 1)), so a retry never comes back almost at once.
std::int64_t retry_delay_ms(const RetryPolicy& policy, int attempt, double unit);

// True when `attempt` failed tries mean the work should be given up (dead-lettered).
bool retries_exhausted(const RetryPolicy& policy, int attempt);

}  // namespace gongdan
