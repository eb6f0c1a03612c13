// Handle time (docs/metrics.md): the desk's heartbeats while an agent has a ticket's page open
// in a visible tab and was active within the idle cut-off, added per ticket, agent and hour,
// and to the report rollups (metric handle_ms) in the same write; and a ticket's time spent, per
// agent, for staff who may see the ticket.
#pragma once

#include <vector>

#include "domain/user.hpp"
#include "services/directory.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "services/tickets_service.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

struct WorkBeat {
  Millis added_ms = 0;  // what this heartbeat counted (domain/work_time.hpp's counted_work)
  Millis total_ms = 0;  // the caller's time on the ticket so far
};

struct TicketWork {
  Millis total_ms = 0;
  std::vector<std::pair<User, Millis>> people;  // most time first
};

class WorkTimeService {
 public:
  WorkTimeService(store::Database& db, const Clock& clock, Directory& directory,
                  TicketsService& tickets)
      : db_(db), clock_(clock), directory_(directory), tickets_(tickets) {}

  // One heartbeat of the caller (staff only: permission_denied for customers) on a ticket they
  // may see (not_found otherwise), claiming `claimed_ms` of work since their previous one.
  Result<WorkBeat> beat(const Principal& who, std::int64_t number, Millis claimed_ms);
  // The time staff spent on a ticket the caller (staff) may see.
  Result<TicketWork> of_ticket(const Principal& who, std::int64_t number);

 private:
  Result<void> staff_only(const Principal& who);

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  TicketsService& tickets_;
};

}  // namespace gongdan::services
