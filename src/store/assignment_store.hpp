// Persistence of automatic assignment (each department's settings are a declared resource,
// services/assignment_settings.cpp): the round-robin pointer, the candidates (active agents of
// the department with their open-ticket counts, availability and skills), agents' skills and
// availability, and the tickets waiting for an agent (read through the tickets_waiting index,
// never by scanning all tickets).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

// The department's round-robin pointer; on PostgreSQL its row stays locked until the write
// commits, so writers side by side assign one after another. A department without assignment
// settings gets a 'manual' row that only carries it (a trigger may assign by round robin there).
Result<std::optional<std::int64_t>> lock_assignment_pointer(Connection& c,
                                                            std::int64_t department_id);
Result<void> set_last_assigned(Connection& c, std::int64_t department_id, std::int64_t agent_id,
                               Millis now);

struct AgentLoad {
  std::int64_t agent_id = 0;
  std::int64_t open_tickets = 0;  // assigned tickets not solved or closed
  std::string availability = "online";
  std::optional<std::int64_t> calendar_id;
};
// Active agents (not light agents) who are members of the department, by id, with their load.
Result<std::vector<AgentLoad>> department_agent_loads(Connection& c, std::int64_t department_id);

// Skills of the department's active members, as (agent id, skill), by agent then skill.
Result<std::vector<std::pair<std::int64_t, std::string>>> department_skills(
    Connection& c, std::int64_t department_id);
Result<std::vector<std::string>> agent_skills(Connection& c, std::int64_t agent_id);
Result<void> replace_agent_skills(Connection& c, std::int64_t agent_id,
                                  const std::vector<std::string>& skills);

struct AvailabilityRow {
  std::int64_t agent_id = 0;
  std::string status = "online";  // no row: online, no working hours
  std::optional<std::int64_t> calendar_id;
  Millis updated_at = 0;
};
Result<AvailabilityRow> find_availability(Connection& c, std::int64_t agent_id);
Result<void> put_availability(Connection& c, const AvailabilityRow& row);
// The agents whose working hours are this business calendar, by id.
Result<std::vector<std::int64_t>> agents_working_by(Connection& c, std::int64_t calendar_id);

// The departments an agent is a member of.
Result<std::vector<std::int64_t>> agent_department_ids(Connection& c, std::int64_t agent_id);
// Ids of the oldest unassigned, unsolved tickets of a department, oldest first.
Result<std::vector<std::int64_t>> waiting_ticket_ids(Connection& c, std::int64_t department_id,
                                                     int limit);
Result<bool> has_waiting_tickets(Connection& c, std::int64_t department_id);
// Ids of an agent's unsolved tickets in a department, oldest first.
Result<std::vector<std::int64_t>> agent_open_ticket_ids(Connection& c, std::int64_t agent_id,
                                                        std::int64_t department_id, int limit);

}  // namespace gongdan::store
