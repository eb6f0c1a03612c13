#include "store/sla_store.hpp"

namespace gongdan::store {

Result<std::vector<CalendarRow>> list_calendars(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, name, spec, created_at, updated_at FROM "
                               "business_calendars ORDER BY id"));
  std::vector<CalendarRow> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    out.push_back({q.integer(0), q.text(1), q.text(2), q.integer(3), q.integer(4)});
  }
  return out;
}

Result<std::int64_t> insert_calendar(Connection& c, const CalendarRow& r) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO business_calendars (name, spec, created_at, "
                               "updated_at) VALUES (?, ?, ?, ?) RETURNING id"));
  GONGDAN_ASSIGN(bool row, q.bind(r.name, r.spec, r.created_at, r.updated_at).next());
  if (!row) return fail(ErrorCode::kInternal, "insert returned no id");
  return q.integer(0);
}

Result<bool> update_calendar(Connection& c, const CalendarRow& r) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE business_calendars SET name = ?, spec = ?, updated_at = ? "
                               "WHERE id = ?"));
  GONGDAN_TRY(q.bind(r.name, r.spec, r.updated_at, r.id).run());
  return c.changes() > 0;
}

Result<bool> delete_calendar(Connection& c, std::int64_t id) {
  GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM business_calendars WHERE id = ?"));
  GONGDAN_TRY(q.bind(id).run());
  return c.changes() > 0;
}

Result<std::vector<SlaPolicyRow>> list_sla_policies(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, name, position, calendar_id, conditions, "
                               "first_response_minutes, next_response_minutes, "
                               "resolution_minutes, warning_minutes, active, created_at, "
                               "updated_at FROM sla_policies ORDER BY position, id"));
  std::vector<SlaPolicyRow> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    SlaPolicyRow p;
    p.id = q.integer(0);
    p.name = q.text(1);
    p.position = static_cast<int>(q.integer(2));
    p.calendar_id = q.optional_integer(3);
    p.conditions = q.text(4);
    p.first_response_minutes = q.optional_integer(5);
    p.next_response_minutes = q.optional_integer(6);
    p.resolution_minutes = q.optional_integer(7);
    p.warning_minutes = q.optional_integer(8);
    p.active = q.integer(9) != 0;
    p.created_at = q.integer(10);
    p.updated_at = q.integer(11);
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::int64_t> insert_sla_policy(Connection& c, const SlaPolicyRow& p) {
  GONGDAN_ASSIGN(auto q,
                 query(c,
                       "INSERT INTO sla_policies (name, position, calendar_id, "
                       "conditions, first_response_minutes, next_response_minutes, "
                       "resolution_minutes, warning_minutes, active, created_at, "
                       "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  GONGDAN_ASSIGN(bool row,
                 q.bind(p.name, p.position, p.calendar_id, p.conditions, p.first_response_minutes,
                        p.next_response_minutes, p.resolution_minutes, p.warning_minutes, p.active,
                        p.created_at, p.updated_at)
                     .next());
  if (!row) return fail(ErrorCode::kInternal, "insert returned no id");
  return q.integer(0);
}

Result<bool> update_sla_policy(Connection& c, const SlaPolicyRow& p) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE sla_policies SET name = ?, position = ?, calendar_id = ?, "
                               "conditions = ?, first_response_minutes = ?, "
                               "next_response_minutes = ?, resolution_minutes = ?, "
                               "warning_minutes = ?, active = ?, updated_at = ? WHERE id = ?"));
  GONGDAN_TRY(q.bind(p.name, p.position, p.calendar_id, p.conditions, p.first_response_minutes,
                     p.next_response_minutes, p.resolution_minutes, p.warning_minutes, p.active,
                     p.updated_at, p.id)
                  .run());
  return c.changes() > 0;
}

Result<bool> delete_sla_policy(Connection& c, std::int64_t id) {
  GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM sla_policies WHERE id = ?"));
  GONGDAN_TRY(q.bind(id).run());
  return c.changes() > 0;
}

Result<std::vector<SlaEventRow>> list_sla_events(Connection& c, std::int64_t ticket_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT at, kind, policy_id FROM ticket_sla_events WHERE "
                               "ticket_id = ? ORDER BY id"));
  q.bind(ticket_id);
  std::vector<SlaEventRow> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    out.push_back({q.integer(0), q.text(1), q.optional_integer(2)});
  }
  return out;
}

Result<void> insert_sla_event(Connection& c, std::int64_t ticket_id, const SlaEventRow& e) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO ticket_sla_events (ticket_id, at, kind, policy_id) "
                               "VALUES (?, ?, ?, ?)"));
  return q.bind(ticket_id, e.at, e.kind, e.policy_id).run();
}

Result<void> set_ticket_sla(Connection& c, std::int64_t ticket_id,
                            std::optional<std::int64_t> policy_id,
                            std::optional<Millis> first_response_due,
                            std::optional<Millis> next_response_due,
                            std::optional<Millis> resolution_due) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE tickets SET sla_policy_id = ?, first_response_due_at = ?, "
                               "next_response_due_at = ?, resolution_due_at = ? WHERE id = ?"));
  return q.bind(policy_id, first_response_due, next_response_due, resolution_due, ticket_id).run();
}

Result<bool> mark_sla_timer_fired(Connection& c, std::string_view key, Millis at) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO sla_timers_fired (key, at) VALUES (?, ?) ON CONFLICT "
                               "(key) DO NOTHING"));
  GONGDAN_TRY(q.bind(key, at).run());
  return c.changes() > 0;
}

}  // namespace gongdan::store
