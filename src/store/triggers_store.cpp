#include "store/triggers_store.hpp"

#include <fmt/format.h>

namespace gongdan::store {

namespace {

// Triggers and automations are stored alike, each in its own table.
std::string_view rule_table_name(RuleTable table) {
  return table == RuleTable::kTriggers ? "triggers" : "automations";
}

}  // namespace

Result<std::vector<TriggerRow>> list_rules(Connection& c, RuleTable table) {
  GONGDAN_ASSIGN(auto q,
                 query(c, fmt::format("SELECT id, name, position, definition, active, "
                                      "created_at, updated_at FROM {} ORDER BY position, id",
                                      rule_table_name(table))));
  std::vector<TriggerRow> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    out.push_back({q.integer(0), q.text(1), static_cast<int>(q.integer(2)), q.text(3),
                   q.integer(4) != 0, q.integer(5), q.integer(6)});
  }
  return out;
}

Result<std::int64_t> insert_rule(Connection& c, RuleTable table, const TriggerRow& r) {
  GONGDAN_ASSIGN(auto q, query(c, fmt::format("INSERT INTO {} (name, position, definition, "
                                              "active, created_at, updated_at) VALUES (?, ?, ?, "
                                              "?, ?, ?) RETURNING id",
                                              rule_table_name(table))));
  GONGDAN_ASSIGN(
      bool row,
      q.bind(r.name, r.position, r.definition, r.active, r.created_at, r.updated_at).next());
  if (!row) return fail(ErrorCode::kInternal, "insert returned no id");
  return q.integer(0);
}

Result<bool> update_rule(Connection& c, RuleTable table, const TriggerRow& r) {
  GONGDAN_ASSIGN(auto q, query(c, fmt::format("UPDATE {} SET name = ?, position = ?, definition "
                                              "= ?, active = ?, updated_at = ? WHERE id = ?",
                                              rule_table_name(table))));
  GONGDAN_TRY(q.bind(r.name, r.position, r.definition, r.active, r.updated_at, r.id).run());
  return c.changes() > 0;
}

Result<bool> delete_rule(Connection& c, RuleTable table, std::int64_t id) {
  GONGDAN_ASSIGN(auto q,
                 query(c, fmt::format("DELETE FROM {} WHERE id = ?", rule_table_name(table))));
  GONGDAN_TRY(q.bind(id).run());
  return c.changes() > 0;
}

}  // namespace gongdan::store
