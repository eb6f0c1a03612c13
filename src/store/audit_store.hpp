// The audit log: who did what to which account or setting, when, from where. Append-only, and
// chained: audit_head holds the first and last row of the chain and the last row's hash.
#pragma once

#include <optional>
#include <vector>

#include "domain/audit_entry.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct AuditHead {
  std::int64_t first_id = 0;  // 0 until the first chained row
  std::int64_t last_id = 0;
  std::string hash;  // the last row's
  std::string mac;   // of the three above
};

// Reads the chain's head and holds it for this write: on PostgreSQL, whose writers run side by
// side, the row lock makes appends take turns, so each row follows the one before it.
Result<AuditHead> lock_audit_head(Connection& c);
Result<AuditHead> read_audit_head(Connection& c);
Result<void> set_audit_head(Connection& c, const AuditHead& head);
// Inserts the entry (with its hash) and gives its id.
Result<std::int64_t> append_audit(Connection& c, const AuditEntry& entry);
// Newest first: entries with id below `before_id` (0 = from the newest) that pass `filter`, at
// most `limit`.
Result<std::vector<AuditEntry>> list_audit(Connection& c, std::int64_t before_id, int limit,
                                           const AuditFilter& filter = {});
// Oldest first, with their hashes: entries with id above `after_id`, at most `limit`.
Result<std::vector<AuditEntry>> audit_rows_after(Connection& c, std::int64_t after_id, int limit);

}  // namespace gongdan::store
