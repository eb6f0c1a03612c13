// Migration 15 (issue 16) on a database that lived through the holes: the tokens they issued
// are revoked, everything else is kept. Run on SQLite, and on PostgreSQL when scripts/test
// gives one (GONGDAN_TEST_POSTGRES).
#include <gtest/gtest.h>

#include <filesystem>

#include <unistd.h>

#include "pg_live.hpp"
#include "store/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace gongdan::store {
namespace {

// The schema the holes lived in: every migration before the one that closes them.
int version_before_security() {
  for (const auto& m : all_migrations())
    if (m.name == "security") return m.version - 1;
  return 0;
}

// Builds the schema as it was before migration 15, recorded in the ledger as such.
Result<void> migrate_up_to(Database& db, int last) {
  return db.exclusive([&](Connection& c) -> Result<void> {
    GONGDAN_TRY(c.exec(
        db.dialect_ddl("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                       "name TEXT NOT NULL, applied_at INTEGER NOT NULL)")));
    for (const auto& m : all_migrations()) {
      if (m.version > last) break;
      GONGDAN_TRY(c.exec(db.dialect_ddl(m.sql)));
      GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO schema_migrations VALUES (?, ?, 0)"));
      GONGDAN_TRY(q.bind(m.version, m.name).run());
    }
    return {};
  });
}

// Users 1 admin, 2 agent (has a mail token from the command line and one from the API),
// 3 customer (a read token and a mail token, both self-made through the API).
constexpr std::string_view kLegacyRows[] = {
    "INSERT INTO users (id, email, email_norm, name, role, created_at, updated_at) VALUES "
    "(1, 'admin@localhost', 'admin@localhost', 'A', 'admin', 0, 0), "
    "(2, 'agent@x.example', 'agent@x.example', 'B', 'agent', 0, 0), "
    "(3, 'cust@x.example', 'cust@x.example', 'C', 'customer', 0, 0)",
    "INSERT INTO api_tokens (id, user_id, name, token_hash, scopes, created_at) VALUES "
    "(1, 1, 'admin gate', 'h1', 'mail', 0), (2, 2, 'cli gate', 'h2', 'mail', 0), "
    "(3, 2, 'self gate', 'h3', 'mail', 0), (4, 2, 'reporting', 'h4', 'read', 0), "
    "(5, 3, 'cust read', 'h5', 'read write', 0), (6, 3, 'cust gate', 'h6', 'mail', 0)",
    "INSERT INTO audit_log (at, actor_id, action, target) VALUES "
    "(0, 1, 'token.create', 'token:1'), (0, NULL, 'token.create', 'token:2'), "
    "(0, 2, 'token.create', 'token:3'), (0, 2, 'token.create', 'token:4'), "
    "(0, 3, 'token.create', 'token:5'), (0, 3, 'token.create', 'token:6')",
};

Result<std::vector<std::int64_t>> revoked_ids(Database& db) {
  std::vector<std::int64_t> ids;
  GONGDAN_TRY(db.read([&](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto q, query(c,
                                 "SELECT id, revoked_at FROM api_tokens WHERE revoked_at "
                                 "IS NOT NULL ORDER BY id"));
    while (true) {
      GONGDAN_ASSIGN(bool row, q.next());
      if (!row) break;
      ids.push_back(q.integer(0));
      if (q.integer(1) < 1'700'000'000'000) return fail(ErrorCode::kInternal, "bad revoked_at");
    }
    return {};
  }));
  return ids;
}

void check_migration(Database& db) {
  ASSERT_TRUE(migrate_up_to(db, version_before_security()));
  ASSERT_TRUE(db.write([](Connection& c) -> Result<void> {
    for (auto sql : kLegacyRows) GONGDAN_TRY(c.exec(sql));
    return {};
  }));
  auto version = migrate(db);
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, latest_schema_version());
  auto revoked = revoked_ids(db);
  ASSERT_TRUE(revoked) << revoked.error().message;
  // The agent's self-made mail token and both of the customer's; the admin's, the command
  // line's and the agent's read token stay.
  EXPECT_EQ(*revoked, (std::vector<std::int64_t>{3, 5, 6}));
}

TEST(SecurityMigration, RevokesTheTokensTheHolesIssuedOnSqlite) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("gongdan-migration-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    SqliteOptions options;
    options.path = (dir / "test.db").string();
    auto db = SqliteDatabase::open(options);
    ASSERT_TRUE(db) << db.error().message;
    check_migration(**db);
    (*db)->close();
  }
  std::filesystem::remove_all(dir);
}

TEST_F(PgLive, SecurityMigrationRevokesTheTokensTheHolesIssued) { check_migration(*db_); }

}  // namespace
}  // namespace gongdan::store
