#include "store/schema.hpp"

namespace gongdan::store {

// Issue 21, personal data. users.erased_at marks a contact erased (an erasure's rerun knows
// their name and addresses are gone already); tickets.anonymised_at a ticket a retention policy
// anonymised (the next run passes it by). blob_deletions queues the attachment and raw-mail
// files an erasure or a retention run let go, in the write that let them go: they are removed
// from disk after it commits, once no row names them, so a crash in between leaves a file
// queued, never a row naming a missing file. retention_policies is a declared resource
// (services/retention_service.cpp): closed tickets of a department, or of all, deleted or
// anonymised N months after their last change, by a daily job.
std::string_view privacy_schema_sql() {
  return R"sql(
ALTER TABLE users ADD COLUMN erased_at INTEGER;
ALTER TABLE tickets ADD COLUMN anonymised_at INTEGER;

CREATE TABLE blob_deletions (
  sha256 TEXT PRIMARY KEY,
  queued_at INTEGER NOT NULL
);

CREATE TABLE retention_policies (
  id {{id}},
  name TEXT NOT NULL,
  department_id INTEGER REFERENCES departments (id) ON DELETE CASCADE,
  months INTEGER NOT NULL DEFAULT 24,
  action TEXT NOT NULL DEFAULT 'anonymise',
  active INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";
}

}  // namespace gongdan::store
