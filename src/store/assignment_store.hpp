// Persistence of automatic assignment: each department's mode and cap, the round-robin pointer,
// and the candidates (active agents of the department with their open-ticket counts).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct AssignmentRow {
  std::int64_t department_id = 0;
  std::string mode = "manual";  // manual, round_robin, least_loaded
  std::optional<std::int64_t> max_open_per_agent;
  std::optional<std::int64_t> last_agent_id;
  Millis updated_at = 0;
};

Result<std::vector<AssignmentRow>> list_assignment_settings(Connection& c);
Result<void> put_assignment_setting(Connection& c, const AssignmentRow& row);
Result<void> set_last_assigned(Connection& c, std::int64_t department_id, std::int64_t agent_id);

struct AgentLoad {
  std::int64_t agent_id = 0;
  std::int64_t open_tickets = 0;  // assigned tickets not solved or closed
};
// Active agents (not light agents) who are members of the department, by id, with their load.
Result<std::vector<AgentLoad>> department_agent_loads(Connection& c, std::int64_t department_id);

}  // namespace gongdan::store
