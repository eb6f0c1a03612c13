// Persistence of handle time (domain/work_time.hpp): per ticket, agent and hour, the
// milliseconds the desk's heartbeats added, with the ticket's last event id when they came (the
// rebuild's place for them in the history) and the time of the latest heartbeat.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "domain/report_rollup.hpp"
#include "store/database.hpp"

namespace gongdan::store {

// The time of the agent's latest heartbeat on the ticket, if any.
Result<std::optional<Millis>> last_work_at(Connection& c, std::int64_t ticket_id,
                                           std::int64_t user_id);
// The id of the latest event of the ticket's own history (0: none), wherever a merge moved it.
Result<std::int64_t> last_event_id(Connection& c, std::int64_t ticket_id);
// Adds `ms` to the agent's row of that hour and event, and records `at` as the latest heartbeat.
Result<void> add_work(Connection& c, std::int64_t ticket_id, std::int64_t user_id,
                      std::int64_t after_event, Millis ms, Millis at);
// The time each agent spent on the ticket, by user id (agents with a heartbeat only).
Result<std::map<std::int64_t, Millis>> work_by_user(Connection& c, std::int64_t ticket_id);
// The spans of these tickets for a replay, by ticket id, ordered by after_event.
Result<std::map<std::int64_t, std::vector<WorkSpan>>> work_spans(
    Connection& c, const std::vector<std::int64_t>& ticket_ids);

}  // namespace gongdan::store
