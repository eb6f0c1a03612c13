#include "store/audit_store.hpp"

#include "store/column_table.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kEntries("audit_log", column("id", &AuditEntry::id),
                           column("at", &AuditEntry::at), column("actor_id", &AuditEntry::actor_id),
                           column("action", &AuditEntry::action),
                           column("target", &AuditEntry::target), column("ip", &AuditEntry::ip),
                           column("detail", &AuditEntry::detail),
                           column("hash", &AuditEntry::hash));

// The one row (id 1) that holds the chain's head.
const ColumnTable kHead("audit_head", column("first_id", &AuditHead::first_id),
                        column("last_id", &AuditHead::last_id), column("hash", &AuditHead::hash),
                        column("mac", &AuditHead::mac));

}  // namespace

Result<AuditHead> lock_audit_head(Connection& c) {
  static const std::string sql =
      "UPDATE audit_head SET last_id = last_id WHERE id = 1 RETURNING " + kHead.list();
  GONGDAN_ASSIGN(auto q, query(c, sql));
  GONGDAN_ASSIGN(auto head, read_first(q, kHead));
  if (!head) return fail(ErrorCode::kInternal, "the audit log's head row is missing");
  return *head;
}

Result<AuditHead> read_audit_head(Connection& c) {
  static const std::string sql = kHead.select("WHERE id = 1");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  GONGDAN_ASSIGN(auto head, read_first(q, kHead));
  if (!head) return fail(ErrorCode::kInternal, "the audit log's head row is missing");
  return *head;
}

Result<void> set_audit_head(Connection& c, const AuditHead& h) {
  return run(c, "UPDATE audit_head SET first_id = ?, last_id = ?, hash = ?, mac = ? WHERE id = 1",
             h.first_id, h.last_id, h.hash, h.mac);
}

Result<std::int64_t> append_audit(Connection& c, const AuditEntry& e) {
  return kEntries.insert(c, e, "audit entry");
}

Result<std::vector<AuditEntry>> list_audit(Connection& c, std::int64_t before_id, int limit,
                                           const AuditFilter& f) {
  std::string sql = kEntries.select("WHERE id < ?");
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
  return read_rows(q, kEntries);
}

Result<std::vector<AuditEntry>> audit_rows_after(Connection& c, std::int64_t after_id, int limit) {
  static const std::string sql = kEntries.select("WHERE id > ? ORDER BY id LIMIT ?");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(after_id, limit), kEntries);
}

}  // namespace gongdan::store
