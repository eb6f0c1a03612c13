// When a ticket entered its current status: the anchor from which time-based automations count
// ("pending for 3 days"), kept per ticket because a ticket's own times do not say it.
#pragma once

#include <cstdint>

#include "util/clock.hpp"

namespace gongdan {

struct StatusSince {
  std::int64_t status_id = 0;
  Millis since = 0;
};

}  // namespace gongdan
