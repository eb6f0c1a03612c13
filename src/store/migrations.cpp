#include "store/migrations.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "store/schema.hpp"
#include "util/clock.hpp"

namespace gongdan::store {
namespace {

constexpr std::string_view kCreateLedger =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";

Result<int> read_version(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  GONGDAN_ASSIGN(bool row, q.next());
  return row ? static_cast<int>(q.integer(0)) : 0;
}

// Which migrations a database has. Tracks number theirs in parallel (each its own number), so a
// higher one may land before a lower one: a migration is due when it is not in the ledger, not
// merely when its number is above the highest applied.
Result<std::set<int>> read_applied(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT version FROM schema_migrations"));
  std::set<int> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) return out;
    out.insert(static_cast<int>(q.integer(0)));
  }
}

// A schema newer than ours: written by a newer release, whose tables this binary would misread.
Error newer_schema(int version) {
  return {ErrorCode::kConflict,
          "the database's schema is at version " + std::to_string(version) +
              ", newer than this gongdan knows (version " +
              std::to_string(latest_schema_version()) +
              "): a newer release upgraded it. Run that release, or restore the backup taken "
              "before the upgrade (docs/upgrade.md)"};
}

}  // namespace

const std::vector<Migration>& all_migrations() { return schema_migrations(); }

// The highest number, wherever it sits: numbers are reserved per branch, and one that merges late
// lands after a higher one.
int latest_schema_version() {
  return std::ranges::max(all_migrations(), {}, &Migration::version).version;
}

Result<int> migrate(Database& db, int up_to) {
  int version = 0;
  GONGDAN_TRY(db.exclusive([&](Connection& c) -> Result<void> {
    GONGDAN_TRY(c.exec(db.dialect_ddl(kCreateLedger)));
    GONGDAN_ASSIGN(version, read_version(c));
    if (version > latest_schema_version()) return fail(newer_schema(version));
    GONGDAN_ASSIGN(auto in_ledger, read_applied(c));
    for (const auto& m : all_migrations()) {
      if (in_ledger.contains(m.version)) continue;
      if (m.version > up_to) break;
      spdlog::info("applying migration {} ({})", m.version, m.name);
      auto applied = c.exec(db.dialect_ddl(m.sql));
      if (!applied) {
        auto error = applied.error();
        error.message = "migration " + std::to_string(m.version) + " failed: " + error.message;
        return fail(std::move(error));
      }
      GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO schema_migrations VALUES (?, ?, ?)"));
      GONGDAN_TRY(q.bind(m.version, m.name, SystemClock::instance().now_ms()).run());
      version = std::max(version, m.version);
    }
    return {};
  }));
  return version;
}

Result<int> schema_version(Database& db) {
  int version = 0;
  GONGDAN_TRY(db.read([&](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto exists, query(c, db.table_exists_query()));
    GONGDAN_ASSIGN(bool found, exists.bind("schema_migrations").next());
    if (!found) return {};
    GONGDAN_ASSIGN(version, read_version(c));
    return {};
  }));
  return version;
}

Result<std::vector<Migration>> pending_migrations(Database& db) {
  GONGDAN_ASSIGN(int version, schema_version(db));
  if (version > latest_schema_version()) return fail(newer_schema(version));
  std::set<int> applied;
  if (version > 0)
    GONGDAN_TRY(db.read([&](Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(applied, read_applied(c));
      return {};
    }));
  std::vector<Migration> pending;
  for (const auto& m : all_migrations())
    if (!applied.contains(m.version)) pending.push_back(m);
  return pending;
}

Result<int> require_current_schema(Database& db) {
  GONGDAN_ASSIGN(int version, schema_version(db));
  if (version > latest_schema_version()) return fail(newer_schema(version));
  GONGDAN_ASSIGN(auto pending, pending_migrations(db));
  if (!pending.empty())
    return fail(ErrorCode::kConflict,
                "the database's schema is at version " + std::to_string(version) +
                    ", older than this gongdan's (version " +
                    std::to_string(latest_schema_version()) +
                    "): run `gongdan migrate` first (`gongdan migrate --dry-run` lists what it "
                    "would apply)");
  return version;
}

}  // namespace gongdan::store
