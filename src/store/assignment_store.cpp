#include "store/assignment_store.hpp"

namespace gongdan::store {

Result<std::optional<std::int64_t>> lock_assignment_pointer(Connection& c,
                                                            std::int64_t department_id) {
  static constexpr std::string_view kRead =
      "SELECT last_agent_id FROM department_assignment WHERE department_id = ?";
  static const std::string locked = std::string(kRead) + " FOR UPDATE";
  GONGDAN_ASSIGN(auto q, query(c, c.engine() == Engine::kPostgres ? locked : std::string(kRead)));
  GONGDAN_ASSIGN(bool row, q.bind(department_id).next());
  if (!row) return std::optional<std::int64_t>{};
  return q.optional_integer(0);
}

Result<void> set_last_assigned(Connection& c, std::int64_t department_id, std::int64_t agent_id,
                               Millis now) {
  return run(c,
             "INSERT INTO department_assignment (department_id, mode, last_agent_id, updated_at) "
             "VALUES (?, 'manual', ?, ?) ON CONFLICT (department_id) DO UPDATE SET last_agent_id = "
             "excluded.last_agent_id",
             department_id, agent_id, now);
}

Result<std::vector<AgentLoad>> department_agent_loads(Connection& c, std::int64_t department_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT u.id, (SELECT COUNT(*) FROM tickets t WHERE t.assignee_id "
                               "= u.id AND t.category NOT IN ('solved', 'closed')), "
                               "COALESCE(av.status, 'online'), av.calendar_id FROM "
                               "agent_departments ad JOIN users u ON u.id = ad.agent_id LEFT JOIN "
                               "agent_availability av ON av.agent_id = u.id WHERE "
                               "ad.department_id = ? AND u.active = 1 AND u.role IN ('admin', "
                               "'supervisor', 'agent') ORDER BY u.id"));
  q.bind(department_id);
  return read_rows(q, [](const Query& r) {
    return AgentLoad{r.integer(0), r.integer(1), r.text(2), r.optional_integer(3)};
  });
}

Result<std::vector<std::pair<std::int64_t, std::string>>> department_skills(
    Connection& c, std::int64_t department_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT s.agent_id, s.skill FROM agent_departments ad JOIN "
                               "agent_skills s ON s.agent_id = ad.agent_id JOIN users u ON u.id = "
                               "ad.agent_id WHERE ad.department_id = ? AND u.active = 1 ORDER BY "
                               "s.agent_id, s.skill"));
  q.bind(department_id);
  return read_rows(q, [](const Query& r) { return std::pair{r.integer(0), r.text(1)}; });
}

Result<std::vector<std::string>> agent_skills(Connection& c, std::int64_t agent_id) {
  GONGDAN_ASSIGN(auto q,
                 query(c, "SELECT skill FROM agent_skills WHERE agent_id = ? ORDER BY skill"));
  q.bind(agent_id);
  return read_texts(q);
}

Result<void> replace_agent_skills(Connection& c, std::int64_t agent_id,
                                  const std::vector<std::string>& skills) {
  {
    GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM agent_skills WHERE agent_id = ?"));
    GONGDAN_TRY(q.bind(agent_id).run());
  }
  for (const auto& skill : skills) {
    GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO agent_skills (agent_id, skill) VALUES (?, ?)"));
    GONGDAN_TRY(q.bind(agent_id, skill).run());
  }
  return {};
}

Result<AvailabilityRow> find_availability(Connection& c, std::int64_t agent_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT status, calendar_id, updated_at FROM agent_availability "
                               "WHERE agent_id = ?"));
  GONGDAN_ASSIGN(bool row, q.bind(agent_id).next());
  AvailabilityRow out;
  out.agent_id = agent_id;
  if (row) {
    out.status = q.text(0);
    out.calendar_id = q.optional_integer(1);
    out.updated_at = q.integer(2);
  }
  return out;
}

Result<void> put_availability(Connection& c, const AvailabilityRow& r) {
  return run(c,
             "INSERT INTO agent_availability (agent_id, status, calendar_id, updated_at) VALUES "
             "(?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET status = excluded.status, "
             "calendar_id = excluded.calendar_id, updated_at = excluded.updated_at",
             r.agent_id, r.status, r.calendar_id, r.updated_at);
}

Result<std::vector<std::int64_t>> agents_working_by(Connection& c, std::int64_t calendar_id) {
  const char* sql =
      "SELECT agent_id FROM agent_availability WHERE calendar_id = ? ORDER BY agent_id";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_ids(q.bind(calendar_id));
}

Result<std::vector<std::int64_t>> agent_department_ids(Connection& c, std::int64_t agent_id) {
  return select_ids(
      c, "SELECT department_id FROM agent_departments WHERE agent_id = ? ORDER BY department_id",
      agent_id);
}

Result<std::vector<std::int64_t>> waiting_ticket_ids(Connection& c, std::int64_t department_id,
                                                     int limit) {
  return select_ids(c,
                    "SELECT id FROM tickets WHERE department_id = ? AND assignee_id IS NULL AND "
                    "category NOT IN ('solved', 'closed') ORDER BY created_at, id LIMIT ?",
                    department_id, limit);
}

Result<bool> has_waiting_tickets(Connection& c, std::int64_t department_id) {
  GONGDAN_ASSIGN(auto ids, waiting_ticket_ids(c, department_id, 1));
  return !ids.empty();
}

Result<std::vector<std::int64_t>> agent_open_ticket_ids(Connection& c, std::int64_t agent_id,
                                                        std::int64_t department_id, int limit) {
  return select_ids(c,
                    "SELECT id FROM tickets WHERE assignee_id = ? AND department_id = ? AND "
                    "category NOT IN ('solved', 'closed') ORDER BY created_at, id LIMIT ?",
                    agent_id, department_id, limit);
}

}  // namespace gongdan::store
