#include "store/audit_store.hpp"

namespace gongdan::store {

Result<void> append_audit(Connection& c, const AuditEntry& e) {
  return run(
      c,
      "INSERT INTO audit_log (at, actor_id, action, target, ip, detail) VALUES (?, ?, ?, ?, ?, ?)",
      e.at, e.actor_id, e.action, e.target, e.ip, e.detail);
}

Result<std::vector<AuditEntry>> list_audit(Connection& c, std::int64_t before_id, int limit) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, at, actor_id, action, target, ip, detail FROM audit_log"
                               " WHERE id < ? ORDER BY id DESC LIMIT ?"));
  q.bind(before_id > 0 ? before_id : INT64_MAX, limit);
  return read_rows(q, [](const Query& r) {
    return AuditEntry{r.integer(0), r.integer(1), r.optional_integer(2), r.text(3), r.text(4),
                      r.text(5),    r.text(6)};
  });
}

}  // namespace gongdan::store
