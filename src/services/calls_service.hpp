// Phone calls agents log on a ticket (the CTI webhook logs its own through inbound_service):
// direction, the other party's number, duration, outcome and notes. A logged call is also a line
// in the ticket's history ("call").
#pragma once

#include <vector>

#include "domain/call_log.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "services/tickets_service.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

class CallsService {
 public:
  CallsService(store::Database& db, const Clock& clock, TicketsService& tickets)
      : db_(db), clock_(clock), tickets_(tickets) {}

  // Agents who see ticket `number` log calls on it (kNotFound for anyone else); `call`'s
  // fields are checked (kInvalidArgument naming the field). started_at 0: now.
  Result<CallLog> log(const Principal& who, std::int64_t number, CallLog call);
  // The ticket's calls, oldest first (agents who see it).
  Result<std::vector<CallLog>> of_ticket(const Principal& who, std::int64_t number);

 private:
  store::Database& db_;
  const Clock& clock_;
  TicketsService& tickets_;
};

}  // namespace gongdan::services
