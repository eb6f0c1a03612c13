// Numbered, forward-only schema migrations. Each runs once, in order, inside one transaction
// that also records it in schema_migrations; the write lock of that transaction is what keeps
// two processes from migrating at once. SQL uses portable placeholders that the driver expands.
#pragma once

#include <limits>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace gongdan::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

const std::vector<Migration>& all_migrations();
int latest_schema_version();
// Applies every pending migration up to `up_to` (all of them by default: tests stop early to
// check a migration from the schema before it); returns the schema version afterwards. Refuses,
// changing nothing, a database whose schema is newer than this binary knows (a newer release
// wrote it): an older binary must never run on it.
Result<int> migrate(Database& db, int up_to = std::numeric_limits<int>::max());
// The version recorded in the database; 0 when nothing has been applied.
Result<int> schema_version(Database& db);
// The migrations migrate() would apply, without applying them (migrate --dry-run); the same
// refusal of a newer schema.
Result<std::vector<Migration>> pending_migrations(Database& db);
// For commands that only read (user list, doctor): the schema version when it is exactly this
// binary's, else an error naming both versions and what to do. Never migrates.
Result<int> require_current_schema(Database& db);

}  // namespace gongdan::store
