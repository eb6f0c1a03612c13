// Failed sign-ins of one account from one client address within the throttling window: what
// the sign-in throttle (services/auth_service) decides the wait from.
#pragma once

#include <cstdint>

#include "util/clock.hpp"

namespace gongdan {

struct PairFailures {
  std::int64_t count = 0;
  Millis last_at = 0;  // the latest of them
};

}  // namespace gongdan
