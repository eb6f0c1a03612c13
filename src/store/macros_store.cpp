#include "store/macros_store.hpp"

namespace gongdan::store {
namespace {

Result<std::vector<MacroRow>> read_macros(Query& q) {
  std::vector<MacroRow> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    out.push_back({q.integer(0), q.text(1), q.optional_integer(2), q.text(3), q.text(4),
                   q.integer(5) != 0, q.integer(6), q.integer(7)});
  }
  return out;
}

}  // namespace

Result<std::vector<MacroRow>> list_macros(Connection& c, std::int64_t user_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, name, owner_id, actions, reply, reply_internal, "
                               "created_at, updated_at FROM macros WHERE owner_id IS NULL OR "
                               "owner_id = ? ORDER BY name, id"));
  q.bind(user_id);
  return read_macros(q);
}

Result<std::optional<MacroRow>> find_macro(Connection& c, std::int64_t id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, name, owner_id, actions, reply, reply_internal, "
                               "created_at, updated_at FROM macros WHERE id = ?"));
  q.bind(id);
  GONGDAN_ASSIGN(auto rows, read_macros(q));
  if (rows.empty()) return std::optional<MacroRow>{};
  return std::optional<MacroRow>(std::move(rows.front()));
}

Result<std::int64_t> insert_macro(Connection& c, const MacroRow& r) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO macros (name, owner_id, actions, reply, "
                               "reply_internal, created_at, updated_at) VALUES (?, ?, ?, ?, ?, "
                               "?, ?) RETURNING id"));
  GONGDAN_ASSIGN(bool row, q.bind(r.name, r.owner_id, r.actions, r.reply, r.reply_internal,
                                  r.created_at, r.updated_at)
                               .next());
  if (!row) return fail(ErrorCode::kInternal, "insert returned no id");
  return q.integer(0);
}

Result<bool> update_macro(Connection& c, const MacroRow& r) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE macros SET name = ?, actions = ?, reply = ?, "
                               "reply_internal = ?, updated_at = ? WHERE id = ?"));
  GONGDAN_TRY(q.bind(r.name, r.actions, r.reply, r.reply_internal, r.updated_at, r.id).run());
  return c.changes() > 0;
}

Result<bool> delete_macro(Connection& c, std::int64_t id) {
  GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM macros WHERE id = ?"));
  GONGDAN_TRY(q.bind(id).run());
  return c.changes() > 0;
}

}  // namespace gongdan::store
