// One SQLite connection with its cache of prepared statements. Used by one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "store/database.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace gongdan::store {

Error sqlite_error(sqlite3* db, int rc, std::string_view context);

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override;
  void bind_null(int index) override;
  void bind_int(int index, std::int64_t value) override;
  void bind_real(int index, double value) override;
  void bind_text(int index, std::string_view value) override;
  void bind_blob(int index, std::string_view value) override;
  Result<bool> step() override;
  bool is_null(int column) const override;
  std::int64_t column_int(int column) const override;
  double column_real(int column) const override;
  std::string column_text(int column) const override;
  int column_count() const override;
  std::string column_name(int column) const override;
  Type column_type(int column) const override;
  void reset() override;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteConnection final : public Connection {
 public:
  static Result<std::unique_ptr<SqliteConnection>> open(const std::string& path, bool read_only,
                                                        int busy_timeout_ms);
  ~SqliteConnection() override;
  Result<Statement*> prepare(std::string_view sql) override;
  Engine engine() const override { return Engine::kSqlite; }
  Result<void> exec(std::string_view sql) override;
  std::int64_t last_insert_id() const override;
  std::int64_t changes() const override;
  void trim_statement_cache(std::size_t max_statements) override;

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>> statements_;
};

}  // namespace gongdan::store
