#include "store/assignment_store.hpp"

namespace gongdan::store {

Result<std::vector<AssignmentRow>> list_assignment_settings(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT department_id, mode, max_open_per_agent, last_agent_id, "
                               "updated_at FROM department_assignment ORDER BY department_id"));
  std::vector<AssignmentRow> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    out.push_back(
        {q.integer(0), q.text(1), q.optional_integer(2), q.optional_integer(3), q.integer(4)});
  }
  return out;
}

Result<void> put_assignment_setting(Connection& c, const AssignmentRow& r) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO department_assignment (department_id, mode, "
                               "max_open_per_agent, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT "
                               "(department_id) DO UPDATE SET mode = excluded.mode, "
                               "max_open_per_agent = excluded.max_open_per_agent, "
                               "updated_at = excluded.updated_at"));
  return q.bind(r.department_id, r.mode, r.max_open_per_agent, r.updated_at).run();
}

Result<void> set_last_assigned(Connection& c, std::int64_t department_id, std::int64_t agent_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE department_assignment SET last_agent_id = ? WHERE "
                               "department_id = ?"));
  return q.bind(agent_id, department_id).run();
}

Result<std::vector<AgentLoad>> department_agent_loads(Connection& c, std::int64_t department_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT u.id, (SELECT COUNT(*) FROM tickets t WHERE t.assignee_id "
                               "= u.id AND t.category NOT IN ('solved', 'closed')) FROM "
                               "agent_departments ad JOIN users u ON u.id = ad.agent_id WHERE "
                               "ad.department_id = ? AND u.active = 1 AND u.role IN ('admin', "
                               "'supervisor', 'agent') ORDER BY u.id"));
  q.bind(department_id);
  std::vector<AgentLoad> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    out.push_back({q.integer(0), q.integer(1)});
  }
  return out;
}

}  // namespace gongdan::store
