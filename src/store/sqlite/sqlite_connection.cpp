#include "store/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include <fmt/format.h>

namespace gongdan::store {

Error sqlite_error(sqlite3* db, int rc, std::string_view context) {
  const char* detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  int primary = rc & 0xFF;
  ErrorCode code = ErrorCode::kInternal;
  if (primary == SQLITE_CONSTRAINT) code = ErrorCode::kConflict;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) code = ErrorCode::kUnavailable;
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR) code = ErrorCode::kUnavailable;
  return Error{code, fmt::format("{}: {}", context, detail), {}};
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::bind_null(int index) { sqlite3_bind_null(stmt_, index); }
void SqliteStatement::bind_int(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
}
void SqliteStatement::bind_real(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
}
void SqliteStatement::bind_text(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}
void SqliteStatement::bind_blob(int index, std::string_view value) {
  sqlite3_bind_blob64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT);
}

Result<bool> SqliteStatement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return fail(sqlite_error(db_, rc, "query failed"));
}

bool SqliteStatement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
std::int64_t SqliteStatement::column_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}
double SqliteStatement::column_real(int column) const {
  return sqlite3_column_double(stmt_, column);
}
std::string SqliteStatement::column_text(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  if (!data || size <= 0) return {};
  return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}
int SqliteStatement::column_count() const { return sqlite3_column_count(stmt_); }
std::string SqliteStatement::column_name(int column) const {
  const char* name = sqlite3_column_name(stmt_, column);
  return name ? name : "";
}
Statement::Type SqliteStatement::column_type(int column) const {
  switch (sqlite3_column_type(stmt_, column)) {
    case SQLITE_INTEGER:
      return Type::kInteger;
    case SQLITE_FLOAT:
      return Type::kReal;
    case SQLITE_BLOB:
      return Type::kBlob;
    case SQLITE_NULL:
      return Type::kNull;
    default:
      return Type::kText;
  }
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path,
                                                                 bool read_only,
                                                                 int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX |
              (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    auto error = sqlite_error(db, rc, fmt::format("cannot open database {}", path));
    sqlite3_close(db);
    return fail(std::move(error));
  }
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  sqlite3_busy_timeout(db, busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  GONGDAN_TRY(connection->exec("PRAGMA foreign_keys=ON"));
  if (!read_only) {
    GONGDAN_TRY(connection->exec("PRAGMA journal_mode=WAL"));
    GONGDAN_TRY(connection->exec("PRAGMA synchronous=FULL"));
    // Checkpoints are run by the writer between batches instead of inside a commit.
    GONGDAN_TRY(connection->exec("PRAGMA wal_autocheckpoint=4000"));
  }
  GONGDAN_TRY(connection->exec("PRAGMA cache_size=-8000"));
  GONGDAN_TRY(connection->exec("PRAGMA temp_store=MEMORY"));
  return connection;
}

SqliteConnection::~SqliteConnection() {
  statements_.clear();
  sqlite3_close_v2(db_);
}

Result<Statement*> SqliteConnection::prepare(std::string_view sql) {
  auto key = std::string(sql);
  if (auto it = statements_.find(key); it != statements_.end()) return it->second.get();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return fail(sqlite_error(db_, rc, "cannot prepare statement"));
  auto owned = std::make_unique<SqliteStatement>(db_, stmt);
  auto* raw = owned.get();
  statements_.emplace(std::move(key), std::move(owned));
  return raw;
}

Result<void> SqliteConnection::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string detail = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    auto error = sqlite_error(nullptr, rc, "statement failed");
    error.message = "statement failed: " + detail;
    return fail(std::move(error));
  }
  return {};
}

void SqliteConnection::trim_statement_cache(std::size_t max_statements) {
  if (statements_.size() > max_statements) statements_.clear();
}

std::int64_t SqliteConnection::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
std::int64_t SqliteConnection::changes() const { return sqlite3_changes64(db_); }

}  // namespace gongdan::store
