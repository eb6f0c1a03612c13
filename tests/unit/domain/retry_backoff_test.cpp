#include "domain/retry_backoff.hpp"

#include <gtest/gtest.h>

namespace gongdan {
namespace {

TEST(RetryBackoff, GrowsExponentiallyWithinJitterBounds) {
  const RetryPolicy p{.base_ms = 1000, .cap_ms = 60'000, .max_attempts = 5};
  EXPECT_EQ(retry_delay_ms(p, 1, 0.0), 500);
  EXPECT_EQ(retry_delay_ms(p, 1, 0.999999), 999);
  EXPECT_EQ(retry_delay_ms(p, 2, 0.0), 1000);
  EXPECT_EQ(retry_delay_ms(p, 3, 0.0), 2000);
  EXPECT_EQ(retry_delay_ms(p, 4, 0.5), 6000);
}

TEST(RetryBackoff, NeverExceedsTheCapEvenAfterManyAttempts) {
  const RetryPolicy p{.base_ms = 1000, .cap_ms = 60'000, .max_attempts = 100};
  for (int attempt = 1; attempt < 100; ++attempt) {
    EXPECT_LE(retry_delay_ms(p, attempt, 0.999), 60'000);
    EXPECT_GE(retry_delay_ms(p, attempt, 0.0), 500);
  }
  EXPECT_EQ(retry_delay_ms(p, 90, 0.0), 30'000);
}

TEST(RetryBackoff, ExhaustedAfterMaxAttempts) {
  const RetryPolicy p{.base_ms = 1000, .cap_ms = 60'000, .max_attempts = 3};
  EXPECT_FALSE(retries_exhausted(p, 2));
  EXPECT_TRUE(retries_exhausted(p, 3));
}

}  // namespace
}  // namespace gongdan
