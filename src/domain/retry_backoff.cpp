#include "domain/retry_backoff.hpp"

#include <algorithm>

namespace gongdan {

std::int64_t retry_delay_ms(const RetryPolicy& policy, int attempt, double unit) {
  const std::int64_t base = std::max<std::int64_t>(policy.base_ms, 1);
  const std::int64_t cap = std::max(policy.cap_ms, base);
  std::int64_t ceiling = base;
  for (int i = 1; i < attempt && ceiling < cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  const double u = std::clamp(unit, 0.0, 1.0);
  const std::int64_t half = ceiling / 2;
  return half + static_cast<std::int64_t>(static_cast<double>(ceiling - half) * u);
}

bool retries_exhausted(const RetryPolicy& policy, int attempt) {
  return attempt >= policy.max_attempts;
}

}  // namespace gongdan
