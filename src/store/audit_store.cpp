#include "store/audit_store.hpp"

namespace gongdan::store {
namespace {

constexpr std::string_view kColumns = "id, at, actor_id, action, target, ip, detail, hash";

AuditEntry read_entry(const Query& r) {
  return AuditEntry{r.integer(0), r.integer(1), r.optional_integer(2),
                    r.text(3),    r.text(4),    r.text(5),
                    r.text(6),    r.text(7)};
}

AuditHead read_head(const Query& r) {
  return AuditHead{r.integer(0), r.integer(1), r.text(2), r.text(3)};
}

}  // namespace

Result<AuditHead> lock_audit_head(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE audit_head SET last_id = last_id WHERE id = 1 RETURNING "
                               "first_id, last_id, hash, mac"));
  GONGDAN_ASSIGN(auto head, read_first(q, read_head));
  if (!head) return fail(ErrorCode::kInternal, "the audit log's head row is missing");
  return *head;
}

Result<AuditHead> read_audit_head(Connection& c) {
  GONGDAN_ASSIGN(auto q,
                 query(c, "SELECT first_id, last_id, hash, mac FROM audit_head WHERE id = 1"));
  GONGDAN_ASSIGN(auto head, read_first(q, read_head));
  if (!head) return fail(ErrorCode::kInternal, "the audit log's head row is missing");
  return *head;
}

Result<void> set_audit_head(Connection& c, const AuditHead& h) {
  return run(c, "UPDATE audit_head SET first_id = ?, last_id = ?, hash = ?, mac = ? WHERE id = 1",
             h.first_id, h.last_id, h.hash, h.mac);
}

Result<std::int64_t> append_audit(Connection& c, const AuditEntry& e) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO audit_log (at, actor_id, action, target, ip, detail, "
                               "hash) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  return inserted_id(q.bind(e.at, e.actor_id, e.action, e.target, e.ip, e.detail, e.hash),
                     "audit entry");
}

Result<std::vector<AuditEntry>> list_audit(Connection& c, std::int64_t before_id, int limit,
                                           const AuditFilter& f) {
  std::string sql = "SELECT " + std::string(kColumns) + " FROM audit_log WHERE id < ?";
  const bool prefix = !f.action.empty() && f.action.back() == '.';
  if (!f.action.empty())
    sql += prefix ? " AND substr(action, 1, CAST(? AS INTEGER)) = ?" : " AND action = ?";
  if (f.actor_id) sql += " AND actor_id = ?";
  if (!f.target.empty()) sql += " AND target = ?";
  if (f.from) sql += " AND at >= ?";
  if (f.until) sql += " AND at < ?";
  sql += " ORDER BY id DESC LIMIT ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  int i = 1;
  q.bind_from(i++, before_id > 0 ? before_id : INT64_MAX);
  if (prefix) q.bind_from(i++, static_cast<std::int64_t>(f.action.size()));
  if (!f.action.empty()) q.bind_from(i++, f.action);
  if (f.actor_id) q.bind_from(i++, *f.actor_id);
  if (!f.target.empty()) q.bind_from(i++, f.target);
  if (f.from) q.bind_from(i++, *f.from);
  if (f.until) q.bind_from(i++, *f.until);
  q.bind_from(i, limit);
  return read_rows(q, read_entry);
}

Result<std::vector<AuditEntry>> audit_rows_after(Connection& c, std::int64_t after_id, int limit) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT " + std::string(kColumns) +
                                      " FROM audit_log WHERE id > ? ORDER BY id LIMIT ?"));
  return read_rows(q.bind(after_id, limit), read_entry);
}

}  // namespace gongdan::store
