// The embedded SQLite driver: one file in the data directory, WAL, synchronous=FULL, foreign
// keys on. Readers borrow connections from a pool that grows on demand up to a cap. One writer
// thread owns the only write connection and commits queued work in batches: each task runs in
// its own SAVEPOINT so one failing task rolls back alone, and one fsync covers the whole batch.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/database.hpp"
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

class SqliteDatabase final : public Database {
 public:
  static Result<std::unique_ptr<SqliteDatabase>> open(const SqliteOptions& options);
  ~SqliteDatabase() override;

  Engine engine() const override { return Engine::kSqlite; }
  Result<void> read(const Work& work) override;
  Result<void> write(Work work) override;
  void write_detached(Work work) override;
  void write_async(Work work, Done done) override;
  Result<void> exclusive(const Work& work) override;
  DatabaseStats stats() const override;
  void set_batch_observer(BatchObserver* observer) override { observer_ = observer; }
  void close() override;
  std::string dialect_ddl(std::string_view ddl) const override;
  SearchIndex& search_index() override { return search_index_; }
  std::string_view table_exists_query() const override {
    return "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?";
  }

 private:
  struct Task;
  Result<void> enqueue(const std::shared_ptr<Task>& task);
  explicit SqliteDatabase(SqliteOptions options);
  Result<std::unique_ptr<SqliteConnection>> connect(bool writer) const;
  void writer_loop();
  void commit_batch(std::vector<std::shared_ptr<Task>>& batch);

  SqliteOptions options_;
  BatchObserver* observer_ = nullptr;
  SqliteSearchIndex search_index_;

  // Reader pool, guarded by readers_mutex_.
  mutable std::mutex readers_mutex_;
  std::condition_variable readers_available_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;
  int readers_open_ = 0;
  int readers_in_use_ = 0;

  // Writer queue, guarded by queue_mutex_.
  mutable std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<std::shared_ptr<Task>> queue_;
  bool closing_ = false;

  // Owned by the writer thread (and by exclusive(), which takes writer_mutex_).
  std::mutex writer_mutex_;
  std::unique_ptr<SqliteConnection> writer_;
  std::thread writer_thread_;
};

}  // namespace gongdan::store
