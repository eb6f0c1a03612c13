// The embedded SQLite driver: one file in the data directory, WAL, synchronous=FULL, foreign
// keys on. Readers borrow connections from a pool that grows on demand up to a cap. One writer
// thread owns the only write connection and commits queued work in batches: each task runs in
// its own SAVEPOINT so one failing task rolls back alone, and one fsync covers the whole batch.
#pragma once

#include <memory>
#include <string>

#include "store/group_commit_database.hpp"
#include "store/sqlite/sqlite_search_index.hpp"

struct sqlite3;

namespace gongdan::store {

class SqliteConnection;

struct SqliteOptions {
  std::string path;
  int max_readers = 16;
  std::size_t max_batch = 256;
  int busy_timeout_ms = 5000;
};

class SqliteDatabase final : public GroupCommitDatabase {
 public:
  static Result<std::unique_ptr<SqliteDatabase>> open(const SqliteOptions& options);
  ~SqliteDatabase() override;

  SearchIndex& search_index() override { return *search_index_; }

 protected:
  Result<std::unique_ptr<Connection>> connect(bool writer) const override;
  void before_close(Connection& writer) override;

 private:
  explicit SqliteDatabase(SqliteOptions options);
  SqliteOptions options_;
  std::unique_ptr<SearchIndex> search_index_ = sqlite_search_index();
};

}  // namespace gongdan::store
