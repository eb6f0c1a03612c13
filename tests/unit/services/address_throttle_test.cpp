#include <gtest/gtest.h>

#include "services/self_service.hpp"

namespace gongdan::services {
namespace {

TEST(AddressThrottle, AllowsUpToTheLimitPerAddressWithinTheWindow) {
  ManualClock clock(1'000'000);
  AddressThrottle throttle(clock, 3, 60'000);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(throttle.allow("10.0.0.1")) << i;
  EXPECT_FALSE(throttle.allow("10.0.0.1"));
  EXPECT_TRUE(throttle.allow("10.0.0.2"));  // another address has its own count
  clock.advance(59'999);
  EXPECT_FALSE(throttle.allow("10.0.0.1"));
  clock.advance(1);  // the first attempts leave the window
  EXPECT_TRUE(throttle.allow("10.0.0.1"));
}

TEST(AddressThrottle, RefusedAttemptsDoNotExtendTheWait) {
  ManualClock clock(0);
  AddressThrottle throttle(clock, 1, 1000);
  EXPECT_TRUE(throttle.allow("a"));
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(throttle.allow("a"));
  clock.advance(1000);
  EXPECT_TRUE(throttle.allow("a"));
}

}  // namespace
}  // namespace gongdan::services
