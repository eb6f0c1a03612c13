#include "services/audit.hpp"
#include "store/audit_store.hpp"
#include "store/database.hpp"

namespace gongdan::services {

Result<void> record_audit(store::Connection& c, Millis at, std::optional<std::int64_t> actor,
                          std::string_view action, std::string_view target, std::string_view ip,
                          std::string_view detail_json) {
  AuditEntry e;
  e.at = at;
  e.actor_id = actor;
  e.action = std::string(action);
  e.target = std::string(target);
  e.ip = std::string(ip);
  e.detail = std::string(detail_json);
  return store::append_audit(c, e);
}

Result<std::vector<AuditEntry>> AuditService::list(const Principal& who, std::int64_t before_id,
                                                   int limit) {
  if (!who.is_admin())
    return fail(ErrorCode::kPermissionDenied, "only admins may read the audit log");
  GONGDAN_ASSIGN(auto entries, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_audit(c, before_id, limit);
                 }));
  return entries;
}

}  // namespace gongdan::services
