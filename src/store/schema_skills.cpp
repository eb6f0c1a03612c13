#include "store/schema.hpp"

namespace gongdan::store {

// Skill-based assignment and agent availability. department_assignment is rebuilt (the portable
// way to widen its CHECK) to allow 'skill_based' and to carry the reassign-when-offline option.
// An agent without an agent_availability row is online around the clock. tickets_waiting
// indexes exactly the unassigned, unsolved tickets, so a pickup reads the oldest waiting tickets
// of a department without scanning the others.
std::string_view skills_schema_sql() {
  return R"sql(
CREATE TABLE department_assignment_v6 (
  department_id INTEGER PRIMARY KEY REFERENCES departments (id) ON DELETE CASCADE,
  mode TEXT NOT NULL CHECK (mode IN ('manual', 'round_robin', 'least_loaded', 'skill_based')),
  max_open_per_agent INTEGER,
  last_agent_id INTEGER,
  reassign_offline INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);
INSERT INTO department_assignment_v6 (department_id, mode, max_open_per_agent, last_agent_id,
  updated_at)
  SELECT department_id, mode, max_open_per_agent, last_agent_id, updated_at
  FROM department_assignment;
DROP TABLE department_assignment;
ALTER TABLE department_assignment_v6 RENAME TO department_assignment;

CREATE TABLE agent_skills (
  agent_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  skill TEXT NOT NULL,
  PRIMARY KEY (agent_id, skill)
);

CREATE TABLE agent_availability (
  agent_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('online', 'away', 'offline')),
  calendar_id INTEGER REFERENCES business_calendars (id) ON DELETE SET NULL,
  updated_at INTEGER NOT NULL
);

CREATE INDEX tickets_waiting ON tickets (department_id, created_at, id)
  WHERE assignee_id IS NULL AND category NOT IN ('solved', 'closed');
)sql";
}

}  // namespace gongdan::store
