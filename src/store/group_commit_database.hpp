// What both drivers share: a pool of reader connections (each read() one snapshot transaction)
// and one writer thread that owns the only write connection and commits queued work in batches
// (group commit): each task runs in its own SAVEPOINT so one failing task rolls back alone, and
// one commit (one fsync) covers the whole batch. A driver supplies connections, its dialect and
// its search index; see SqliteDatabase and PostgresDatabase.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "store/database.hpp"

namespace gongdan::store {

// What an engine's SQL differs in, for the Database functions that answer it.
struct Dialect {
  Engine engine = Engine::kSqlite;
  // What each placeholder of the portable DDL ({{id}}, {{blob}}, …) stands for, replaced in this
  // order (see Database::dialect_ddl).
  std::vector<std::pair<std::string_view, std::string>> ddl_placeholders;
  std::string_view table_exists_query;  // see Database::table_exists_query
};

struct GroupCommitOptions {
  Dialect dialect;
  int max_readers = 16;
  std::size_t max_batch = 256;
  std::size_t max_cached_statements = 400;
  // Writer threads, each with its own connection, taking batches off one queue. SQLite: one (it
  // has one write lock). PostgreSQL: several, so one batch's round trips overlap another's.
  int writers = 1;
  std::string begin_read = "BEGIN";  // empty: reads run each statement on its own
  std::string begin_write = "BEGIN";
  // Run right after begin_write in each batch, when set (PostgreSQL: one lock that orders the
  // batches of every node, see pg_database.cpp).
  std::string after_begin_write;
};

class GroupCommitDatabase : public Database {
 public:
  ~GroupCommitDatabase() override;

  Result<void> read(const Work& work) override;
  Result<void> write(Work work) override;
  void write_detached(Work work) override;
  void write_async(Work work, Done done) override;
  Result<void> exclusive(const Work& work) override;
  DatabaseStats stats() const override;
  void set_batch_observer(BatchObserver* observer) override { observer_ = observer; }
  void close() override;
  Engine engine() const override { return base_options_.dialect.engine; }
  std::string dialect_ddl(std::string_view ddl) const override;
  std::string_view table_exists_query() const override {
    return base_options_.dialect.table_exists_query;
  }

 protected:
  explicit GroupCommitDatabase(GroupCommitOptions options);
  // Opens the writer connection and starts the writer thread; drivers call it once, last.
  Result<void> start();
  virtual Result<std::unique_ptr<Connection>> connect(bool writer) const = 0;
  // Last words on the writer connection before it closes (SQLite checkpoints its WAL).
  virtual void before_close(Connection&) {}
  // After a batch commits, before its writers hear of it: the principals who wrote in it (drivers
  // with replicas note the commit position for read-your-writes).
  virtual void on_batch_committed(Connection& /*writer*/,
                                  const std::vector<std::string>& /*principals*/) {}
  // A task that failed this way runs again in a later batch, up to three times (PostgreSQL: a
  // deadlock between two writers' batches, which the server broke by failing one of them).
  virtual bool worth_retrying(const Error& /*error*/) const { return false; }

 private:
  struct Task;
  struct Writer {
    std::mutex mutex;  // the writer thread, or exclusive() on the first writer
    std::unique_ptr<Connection> connection;
    std::thread thread;
  };
  Result<void> enqueue(const std::shared_ptr<Task>& task);
  void writer_loop(Writer& writer);
  void commit_batch(Connection& writer, std::vector<std::shared_ptr<Task>>& batch);
  Result<void> run_task(Connection& writer, Task& task);
  // Puts tasks a batch put off (worth_retrying) back at the front of the queue, in order.
  void requeue(const std::vector<std::shared_ptr<Task>>& tasks);
  static constexpr int kMaxRetries = 3;

  GroupCommitOptions base_options_;
  BatchObserver* observer_ = nullptr;

  // Reader pool, guarded by readers_mutex_.
  mutable std::mutex readers_mutex_;
  std::condition_variable readers_available_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  int readers_open_ = 0;
  int readers_in_use_ = 0;

  // Writer queue, guarded by queue_mutex_.
  mutable std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<std::shared_ptr<Task>> queue_;
  int in_flight_ = 0;  // tasks taken by a writer and not yet finished
  bool closing_ = false;

  std::vector<std::unique_ptr<Writer>> writers_;
};

}  // namespace gongdan::store
