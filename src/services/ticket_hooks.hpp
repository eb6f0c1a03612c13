// Work that must commit with a ticket change (webhook deliveries to enqueue, later SLA timers and
// triggers): called inside the command's write, after the change is stored. A hook with nothing
// configured must return without touching the database, so ticket commands stay cheap.
#pragma once

#include "services/directory.hpp"
#include "services/ticket_events_bus.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

class TicketHook {
 public:
  virtual ~TicketHook() = default;
  virtual Result<void> on_change(store::Connection& c, const TicketChange& change,
                                 const Catalog& catalog, Millis now) = 0;
};

}  // namespace gongdan::services
