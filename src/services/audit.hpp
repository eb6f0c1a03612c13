// Writing to and reading the audit log. record_audit runs inside the write that it describes,
// so an action and its audit entry commit together or not at all.
#pragma once

#include <optional>
#include <vector>

#include "domain/audit_entry.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"

namespace gongdan::services {

inline std::optional<std::int64_t> actor_id(const Principal& p) {
  if (p.user.id == 0) return std::nullopt;
  return p.user.id;
}

Result<void> record_audit(store::Connection& c, Millis at, std::optional<std::int64_t> actor,
                          std::string_view action, std::string_view target, std::string_view ip,
                          std::string_view detail_json = "{}");

class AuditService {
 public:
  explicit AuditService(store::Database& db) : db_(db) {}
  Result<std::vector<AuditEntry>> list(const Principal& who, std::int64_t before_id, int limit);

 private:
  store::Database& db_;
};

}  // namespace gongdan::services
