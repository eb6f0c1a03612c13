#include "store/triggers_store.hpp"

namespace gongdan::store {

Result<std::vector<TriggerRow>> list_triggers(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, name, position, definition, active, created_at, "
                               "updated_at FROM triggers ORDER BY position, id"));
  std::vector<TriggerRow> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    out.push_back({q.integer(0), q.text(1), static_cast<int>(q.integer(2)), q.text(3),
                   q.integer(4) != 0, q.integer(5), q.integer(6)});
  }
  return out;
}

Result<std::int64_t> insert_trigger(Connection& c, const TriggerRow& r) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO triggers (name, position, definition, active, "
                               "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id"));
  GONGDAN_ASSIGN(
      bool row,
      q.bind(r.name, r.position, r.definition, r.active, r.created_at, r.updated_at).next());
  if (!row) return fail(ErrorCode::kInternal, "insert returned no id");
  return q.integer(0);
}

Result<bool> update_trigger(Connection& c, const TriggerRow& r) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE triggers SET name = ?, position = ?, definition = ?, "
                               "active = ?, updated_at = ? WHERE id = ?"));
  GONGDAN_TRY(q.bind(r.name, r.position, r.definition, r.active, r.updated_at, r.id).run());
  return c.changes() > 0;
}

Result<bool> delete_trigger(Connection& c, std::int64_t id) {
  GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM triggers WHERE id = ?"));
  GONGDAN_TRY(q.bind(id).run());
  return c.changes() > 0;
}

}  // namespace gongdan::store
