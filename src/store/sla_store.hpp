// Persistence of each ticket's SLA clock (the calendars and policies are declared resources:
// services/sla_resources.hpp): the events the clock is computed from, the due times on the
// ticket row, and the timers that already fired (so a timer job that runs twice records its
// breach once).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct SlaEventRow {
  Millis at = 0;
  std::string kind;  // created, paused, resumed, agent_reply, customer_reply, solved, ...
  std::optional<std::int64_t> policy_id;
};

Result<std::vector<SlaEventRow>> list_sla_events(Connection& c, std::int64_t ticket_id);
Result<void> insert_sla_event(Connection& c, std::int64_t ticket_id, const SlaEventRow& e);
// The policy and due times on the ticket row (no new version: this is derived data).
Result<void> set_ticket_sla(Connection& c, std::int64_t ticket_id,
                            std::optional<std::int64_t> policy_id,
                            std::optional<Millis> first_response_due,
                            std::optional<Millis> next_response_due,
                            std::optional<Millis> resolution_due);
// Waits for (then holds until commit) the ticket's row lock on PostgreSQL, so a timer's breach
// is recorded after, or before, a concurrent change of the ticket, never amid it: the history's
// order is then the order the report rollups were added in. SQLite has one writer already.
Result<void> lock_ticket_row(Connection& c, std::int64_t ticket_id);
// True the first time `key` is marked.
Result<bool> mark_sla_timer_fired(Connection& c, std::string_view key, Millis at);

}  // namespace gongdan::store
