// One libpq connection with its prepared statements. SQL arrives with `?` placeholders (the
// form every store writes); they become $1, $2, … here. A statement is prepared on its first
// run, once per combination of bound types, because PostgreSQL fixes parameter types at
// prepare time and an untyped NULL or integer in `? IS NULL` could not be inferred.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/database.hpp"

struct pg_conn;
struct pg_result;

namespace gongdan::store {

class PgConnection;

// Every writer's batch holds this advisory lock shared (pg_database.cpp);
// exclude_other_writers() takes it exclusive.
inline constexpr std::string_view kWritersLock = "7510464";

// `?` → `$n`, leaving quoted strings and identifiers alone; counts the parameters.
std::string pg_placeholders(std::string_view sql, int& parameters);

class PgStatement final : public Statement {
 public:
  PgStatement(PgConnection& connection, std::string sql, int parameters);
  ~PgStatement() override;
  void bind_null(int index) override;
  void bind_int(int index, std::int64_t value) override;
  void bind_real(int index, double value) override;
  void bind_text(int index, std::string_view value) override;
  void bind_blob(int index, std::string_view value) override;
  Result<bool> step() override;
  Result<void> run_later() override;
  bool is_null(int column) const override;
  std::int64_t column_int(int column) const override;
  double column_real(int column) const override;
  std::string column_text(int column) const override;
  int column_count() const override;
  std::string column_name(int column) const override;
  Type column_type(int column) const override;
  void reset() override;

 private:
  Result<void> execute();
  Result<void> send(bool wait);
  void set(int index, std::string value, unsigned type, int format);

  PgConnection& connection_;
  std::string sql_;
  std::vector<std::string> values_;
  std::vector<char> null_;
  std::vector<unsigned> types_;
  std::vector<int> formats_;
  pg_result* result_ = nullptr;
  int row_ = -1;
  int rows_ = 0;
};

// How many counter rows each view_counts key may spread over (Connection::count_shard).
inline constexpr int kCountShards = 32;

class PgConnection final : public Connection {
 public:
  static Result<std::unique_ptr<PgConnection>> open(const std::string& url);
  ~PgConnection() override;
  Result<Statement*> prepare(std::string_view sql) override;
  Engine engine() const override { return Engine::kPostgres; }
  Result<void> exec(std::string_view sql) override;
  std::int64_t last_insert_id() const override { return 0; }  // stores use RETURNING
  std::int64_t changes() const override { return changes_; }
  Result<void> flush() override;
  void trim_statement_cache(std::size_t max_statements) override;
  Result<void> notify(std::string_view channel, std::string_view payload) override;
  bool notifies() const override { return true; }
  int count_shard() const override { return count_shard_; }
  Result<void> exclude_other_writers() override;
  bool broken() const;

  // For PgStatement: the server-side name of `sql` prepared for these parameter types.
  Result<std::string> prepared(const std::string& sql, const std::vector<unsigned>& types);
  pg_conn* raw() const { return conn_; }
  void set_changes(std::int64_t n) { changes_ = n; }
  // Runs prepared statement `name`. With `wait`, after every statement waiting in the pipeline,
  // in one round trip, and returns this statement's result (or the first error among them);
  // without, it joins the pipeline and returns nullptr.
  Result<pg_result*> run_prepared(const std::string& name, int n, const char* const* values,
                                  const int* lengths, const int* formats, bool wait);

 private:
  // Takes changes() from a statement's answer (its affected-row count).
  void count_changes(pg_result* r);
  explicit PgConnection(pg_conn* conn);
  // Sends a sync, reads every waiting answer, leaves pipeline mode; keeps the last result when
  // asked and every answer succeeded.
  Result<pg_result*> collect(bool keep_last);
  pg_conn* conn_;
  int waiting_ = 0;  // statements sent in pipeline mode whose answers are not read yet
  std::int64_t changes_ = 0;
  std::unordered_map<std::string, std::unique_ptr<PgStatement>> statements_;
  std::unordered_map<std::string, std::string> prepared_;  // sql + types → server-side name
  int next_name_ = 0;
  int count_shard_ = 1;  // 1 to kCountShards, drawn at random when opened
};

// The error of a failed result (SQLSTATE mapped: unique/foreign-key violations are conflicts,
// a lost connection or serialization failure is "unavailable").
Error pg_error(pg_conn* conn, const pg_result* result, std::string_view context);

}  // namespace gongdan::store
