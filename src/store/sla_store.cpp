#include "store/sla_store.hpp"

#include "store/column_table.hpp"

namespace gongdan::store {
namespace {

// Read by ticket_id, which the row leaves out.
const ColumnTable kEvents("ticket_sla_events", column("at", &SlaEventRow::at),
                          column("kind", &SlaEventRow::kind),
                          column("policy_id", &SlaEventRow::policy_id));

}  // namespace

Result<std::vector<SlaEventRow>> list_sla_events(Connection& c, std::int64_t ticket_id) {
  static const std::string sql = kEvents.select("WHERE ticket_id = ? ORDER BY id");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(ticket_id), kEvents);
}

Result<void> insert_sla_event(Connection& c, std::int64_t ticket_id, const SlaEventRow& e) {
  return run(c,
             "INSERT INTO ticket_sla_events (ticket_id, at, kind, policy_id) VALUES (?, ?, ?, ?)",
             ticket_id, e.at, e.kind, e.policy_id);
}

Result<void> set_ticket_sla(Connection& c, std::int64_t ticket_id,
                            std::optional<std::int64_t> policy_id,
                            std::optional<Millis> first_response_due,
                            std::optional<Millis> next_response_due,
                            std::optional<Millis> resolution_due) {
  return run(c,
             "UPDATE tickets SET sla_policy_id = ?, first_response_due_at = ?, "
             "next_response_due_at = ?, resolution_due_at = ? WHERE id = ?",
             policy_id, first_response_due, next_response_due, resolution_due, ticket_id);
}

Result<bool> mark_sla_timer_fired(Connection& c, std::string_view key, Millis at) {
  return run_changed(
      c, "INSERT INTO sla_timers_fired (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", key,
      at);
}

Result<void> lock_ticket_row(Connection& c, std::int64_t ticket_id) {
  if (c.engine() != Engine::kPostgres) return {};
  return run(c, "SELECT id FROM tickets WHERE id = ? FOR UPDATE", ticket_id);
}

}  // namespace gongdan::store
