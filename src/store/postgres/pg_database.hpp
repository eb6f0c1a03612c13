// The PostgreSQL driver (libpq), for teams that outgrow one machine: any number of gongdan
// nodes share one PostgreSQL. Each node keeps the SQLite driver's shape: a reader pool and
// writers that commit queued work in batches (one commit, one WAL flush, many requests), each
// task in its own SAVEPOINT, but several writers per node. Writes of all writers and nodes meet
// in PostgreSQL's row locks (READ COMMITTED: counters are `n = n + delta`, ticket updates check
// the version they read, ticket numbers come from a sequence); a task that loses a deadlock is
// run once more.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store/group_commit_database.hpp"
#include "store/postgres/pg_replicas.hpp"
#include "store/postgres/pg_search_index.hpp"

namespace gongdan::store {

struct PostgresOptions {
  std::string url;  // postgres://user:password@host:port/dbname?sslmode=…
  int max_readers = 16;
  std::size_t max_batch = 256;
  // Writer connections of this node (see GroupCommitOptions::writers).
  int writers = 2;
  std::vector<std::string> replicas;  // read replicas (streaming standbys), tried round robin
};

class PostgresDatabase final : public GroupCommitDatabase {
 public:
  static Result<std::unique_ptr<PostgresDatabase>> open(const PostgresOptions& options);
  ~PostgresDatabase() override;

  // The shared placeholders, after every INTEGER and REAL column became 64-bit.
  std::string dialect_ddl(std::string_view ddl) const override;
  SearchIndex& search_index() override { return *search_index_; }
  Result<void> exclusive(const Work& work) override;
  // Safe reads of a request go to a replica when there is one (see pg_replicas.hpp).
  Result<void> read(const Work& work) override;
  // Reads served by a read replica since start (/metrics).
  std::int64_t replica_reads() const { return replicas_.reads_served(); }
  void listen(std::string channel, Listener listener) override;
  void close() override;

 protected:
  Result<std::unique_ptr<Connection>> connect(bool writer) const override;
  void on_batch_committed(Connection& writer, const std::vector<std::string>& principals) override;
  bool worth_retrying(const Error& error) const override;

 private:
  explicit PostgresDatabase(PostgresOptions options);
  void listen_loop();

  PostgresOptions options_;
  std::unique_ptr<SearchIndex> search_index_ = pg_search_index();
  PgReplicas replicas_;
  // LISTEN runs on a connection and thread of its own, started by the first listen().
  std::mutex listeners_mutex_;
  std::vector<std::pair<std::string, Listener>> listeners_;
  std::atomic<bool> stop_listening_{false};
  std::thread listen_thread_;
};

// True for URLs this driver opens (postgres:// or postgresql://).
bool is_postgres_url(std::string_view url);

}  // namespace gongdan::store
