// The audit log: who did what to which account or setting, when, from where. Append-only.
#pragma once

#include <optional>
#include <vector>

#include "domain/audit_entry.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

Result<void> append_audit(Connection& c, const AuditEntry& entry);
// Newest first: entries with id below `before_id` (0 = from the newest), at most `limit`.
Result<std::vector<AuditEntry>> list_audit(Connection& c, std::int64_t before_id, int limit);

}  // namespace gongdan::store
