#include "store/group_commit_database.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <future>

#include "util/read_route.hpp"
#include "util/request_id.hpp"
#include "util/thread_name.hpp"

namespace gongdan::store {

struct GroupCommitDatabase::Task {
  Work work;
  bool detached = false;
  std::promise<Result<void>> done;
  Database::Done on_done;  // set for write_async: called instead of fulfilling `done`
  std::string principal;   // who wrote (see read_route.hpp), for read-your-writes
  std::string request_id;  // for the log lines and the jobs this write makes
  Result<void> result;
  int retries = 0;  // times it was put off to a later batch (worth_retrying)

  void finish(Result<void> outcome) {
    if (on_done) return on_done(std::move(outcome));
    done.set_value(std::move(outcome));
  }
  std::vector<std::function<void()>> after_commit;
  std::map<std::string, std::int64_t> counts;
};

namespace {

Result<void> run_cached(Connection& connection, std::string_view sql) {
  auto statement = connection.prepare(sql);
  if (!statement) return fail(std::move(statement).error());
  auto stepped = (*statement)->step();
  (*statement)->reset();
  if (!stepped) return fail(std::move(stepped).error());
  return {};
}

// For statements whose answer can wait (PostgreSQL sends them with the next one that is waited
// for: see PgConnection::run_prepared).
Result<void> run_cached_later(Connection& connection, std::string_view sql) {
  auto statement = connection.prepare(sql);
  if (!statement) return fail(std::move(statement).error());
  return (*statement)->run_later();
}

// A bug in a task must fail that task, not take the writer thread down with it.
Result<void> run_guarded(const Database::Work& work, Connection& connection) {
  try {
    return work(connection);
  } catch (const std::exception& e) {
    spdlog::error("database task threw: {}", e.what());
    return fail(ErrorCode::kInternal, "internal error");
  }
}

}  // namespace

GroupCommitDatabase::GroupCommitDatabase(GroupCommitOptions options)
    : base_options_(std::move(options)) {}

std::string GroupCommitDatabase::dialect_ddl(std::string_view ddl) const {
  std::string out(ddl);
  for (const auto& [from, to] : base_options_.dialect.ddl_placeholders)
    for (auto pos = out.find(from); pos != std::string::npos; pos = out.find(from, pos + to.size()))
      out.replace(pos, from.size(), to);
  return out;
}

GroupCommitDatabase::~GroupCommitDatabase() {
  // The driver's destructor must have called close(): the writer thread calls its virtuals.
}

Result<void> GroupCommitDatabase::start() {
  for (int i = 0; i < std::max(1, base_options_.writers); ++i) {
    auto writer = std::make_unique<Writer>();
    GONGDAN_ASSIGN(writer->connection, connect(true));
    writers_.push_back(std::move(writer));
  }
  for (auto& writer : writers_) {
    writer->thread = std::thread([this, w = writer.get()] {
      name_this_thread("gd-writer");
      writer_loop(*w);
    });
  }
  return {};
}

Result<void> GroupCommitDatabase::read(const Work& work) {
  std::unique_ptr<Connection> connection;
  {
    std::unique_lock lock(readers_mutex_);
    readers_available_.wait(
        lock, [&] { return !idle_readers_.empty() || readers_open_ < base_options_.max_readers; });
    if (!idle_readers_.empty()) {
      connection = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    } else {
      ++readers_open_;
    }
    ++readers_in_use_;
  }
  auto give_back = [&](std::unique_ptr<Connection> c) {
    std::lock_guard lock(readers_mutex_);
    --readers_in_use_;
    if (c) {
      idle_readers_.push_back(std::move(c));
    } else {
      --readers_open_;
    }
    readers_available_.notify_one();
  };
  if (!connection) {
    auto opened = connect(false);
    if (!opened) {
      give_back(nullptr);
      return fail(std::move(opened).error());
    }
    connection = std::move(*opened);
  }
  connection->trim_statement_cache(base_options_.max_cached_statements);
  // One read transaction so that every statement of the work sees the same snapshot, unless the
  // driver reads statement by statement (PostgreSQL, see pg_database.cpp).
  const bool in_transaction = !base_options_.begin_read.empty();
  if (in_transaction) {
    if (auto begun = run_cached(*connection, base_options_.begin_read); !begun) {
      give_back(std::move(connection));
      return begun;
    }
  }
  auto result = run_guarded(work, *connection);
  Result<void> ended;
  if (in_transaction) ended = run_cached(*connection, "COMMIT");
  connection->drop_after_commit();
  connection->drop_counts();
  give_back(std::move(connection));
  if (!result) return result;
  return ended;
}

Result<void> GroupCommitDatabase::enqueue(const std::shared_ptr<Task>& task) {
  if (const auto* route = current_read_route()) task->principal = route->principal;
  task->request_id = current_request_id();
  {
    std::lock_guard lock(queue_mutex_);
    if (closing_) return fail(ErrorCode::kUnavailable, "the server is shutting down");
    queue_.push_back(task);
  }
  queue_ready_.notify_one();
  return {};
}

Result<void> GroupCommitDatabase::write(Work work) {
  auto task = std::make_shared<Task>();
  task->work = std::move(work);
  auto future = task->done.get_future();
  GONGDAN_TRY(enqueue(task));
  return future.get();
}

void GroupCommitDatabase::write_async(Work work, Done done) {
  auto task = std::make_shared<Task>();
  task->work = std::move(work);
  task->on_done = std::move(done);
  if (auto queued = enqueue(task); !queued) task->on_done(std::move(queued));
}

void GroupCommitDatabase::write_detached(Work work) {
  auto task = std::make_shared<Task>();
  task->work = std::move(work);
  task->detached = true;
  (void)enqueue(task);
}

Result<void> GroupCommitDatabase::exclusive(const Work& work) {
  if (writers_.empty()) return fail(ErrorCode::kUnavailable, "database is closed");
  auto& writer = *writers_.front();
  std::lock_guard writer_lock(writer.mutex);
  if (!writer.connection) return fail(ErrorCode::kUnavailable, "database is closed");
  auto& c = *writer.connection;
  GONGDAN_TRY(c.exec(base_options_.begin_write));
  auto result = run_guarded(work, c);
  if (result) result = flush_counts(c, c.take_counts());
  if (!result) {
    (void)c.exec("ROLLBACK");
    c.drop_after_commit();
    c.drop_counts();
    return result;
  }
  if (auto committed = c.exec("COMMIT"); !committed) {
    (void)c.exec("ROLLBACK");
    c.drop_after_commit();
    return committed;
  }
  for (auto& fn : c.take_after_commit()) fn();
  return {};
}

void GroupCommitDatabase::writer_loop(Writer& writer) {
  std::vector<std::shared_ptr<Task>> batch;
  while (true) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and nothing left to commit
      while (!queue_.empty() && batch.size() < base_options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      in_flight_ += static_cast<int>(batch.size());
    }
    const int taken = static_cast<int>(batch.size());
    {
      std::lock_guard writer_lock(writer.mutex);
      commit_batch(*writer.connection, batch);
    }
    batch.clear();
    std::lock_guard lock(queue_mutex_);
    in_flight_ -= taken;
  }
}

// One task in its own savepoint. Whatever it left waiting runs before it counts as done, so
// that its errors fail this task, not the next.
Result<void> GroupCommitDatabase::run_task(Connection& writer, Task& task) {
  RequestIdScope id(task.request_id);
  GONGDAN_TRY(run_cached_later(writer, "SAVEPOINT task"));
  auto result = run_guarded(task.work, writer);
  for (auto& fn : writer.take_write_end())
    if (result) result = fn(writer);
  if (result) result = run_cached_later(writer, "RELEASE task");
  if (result) result = writer.flush();
  if (!result) {
    writer.drop_after_commit();
    writer.drop_counts();
    writer.drop_before_commit();
    writer.drop_write_end();
    (void)run_cached(writer, "ROLLBACK TO task");
    (void)run_cached_later(writer, "RELEASE task");
  }
  return result;
}

void GroupCommitDatabase::commit_batch(Connection& writer,
                                       std::vector<std::shared_ptr<Task>>& batch) {
  writer.trim_statement_cache(base_options_.max_cached_statements);
  auto begun = run_cached_later(writer, base_options_.begin_write);
  if (begun && !base_options_.after_begin_write.empty()) {
    begun = run_cached(writer, base_options_.after_begin_write);
    if (!begun) (void)writer.exec("ROLLBACK");
  }
  if (!begun) {
    for (auto& task : batch) task->finish(fail(begun.error()));
    return;
  }
  std::map<std::string, std::int64_t> batch_counts;
  std::vector<Connection::Deferred> batch_tail;
  writer.set_batch_counts(&batch_counts);
  writer.set_deferring(true);
  // The rows this batch's earlier writes hold stay locked until it commits, so a write the
  // server failed to break a deadlock with would meet them again here: it goes back to the queue
  // once this batch has committed (or failed) and the other batch could go on.
  std::vector<std::shared_ptr<Task>> put_off;
  for (auto& task : batch) {
    task->result = run_task(writer, *task);
    if (!task->result && worth_retrying(task->result.error()) && task->retries < kMaxRetries) {
      ++task->retries;
      put_off.push_back(task);
      continue;
    }
    if (task->result) {
      task->after_commit = writer.take_after_commit();
      for (const auto& [key, delta] : writer.take_counts()) batch_counts[key] += delta;
      for (auto& fn : writer.take_before_commit()) batch_tail.push_back(std::move(fn));
    }
  }
  writer.set_batch_counts(nullptr);
  writer.set_deferring(false);
  // From here on the batch is what commits; another writer may take a put-off task as soon as it
  // is back in the queue.
  std::erase_if(batch, [&](const auto& task) { return std::ranges::count(put_off, task) > 0; });
  Result<void> committed;
  for (auto& fn : batch_tail) {
    committed = fn(writer);
    if (!committed) break;
  }
  if (committed) committed = flush_counts(writer, batch_counts);
  // What the batch's end left for after its commit (a job's wake-up).
  auto tail_after_commit = writer.take_after_commit();
  if (committed) committed = run_cached(writer, "COMMIT");
  if (!committed) {
    spdlog::error("commit of {} writes failed: {}", batch.size(), committed.error().message);
    (void)writer.exec("ROLLBACK");
    for (auto& task : batch) task->finish(fail(committed.error()));
    requeue(put_off);
    return;
  }
  if (observer_) observer_->on_batch(batch.size());
  {
    std::vector<std::string> principals;
    for (const auto& task : batch)
      if (task->result && !task->principal.empty()) principals.push_back(task->principal);
    if (!principals.empty()) on_batch_committed(writer, principals);
  }
  for (auto& fn : tail_after_commit) fn();
  for (auto& task : batch) {
    for (auto& fn : task->after_commit) fn();
    if (task->detached && !task->result)
      spdlog::warn("background write failed: {}", task->result.error().message);
    task->finish(std::move(task->result));
  }
  requeue(put_off);
}

void GroupCommitDatabase::requeue(const std::vector<std::shared_ptr<Task>>& tasks) {
  if (tasks.empty()) return;
  {
    std::lock_guard lock(queue_mutex_);
    for (auto it = tasks.rbegin(); it != tasks.rend(); ++it) queue_.push_front(*it);
  }
  queue_ready_.notify_one();
}

DatabaseStats GroupCommitDatabase::stats() const {
  DatabaseStats stats;
  {
    std::lock_guard lock(readers_mutex_);
    stats.readers_open = readers_open_;
    stats.readers_in_use = readers_in_use_;
  }
  std::lock_guard lock(queue_mutex_);
  stats.write_queue = static_cast<int>(queue_.size());
  stats.writes_in_flight = in_flight_;
  return stats;
}

void GroupCommitDatabase::close() {
  {
    std::lock_guard lock(queue_mutex_);
    closing_ = true;
  }
  queue_ready_.notify_all();
  for (auto& writer : writers_)
    if (writer->thread.joinable()) writer->thread.join();
  for (auto& writer : writers_) {
    std::lock_guard writer_lock(writer->mutex);
    if (writer->connection) before_close(*writer->connection);
    writer->connection.reset();
  }
  std::lock_guard lock(readers_mutex_);
  idle_readers_.clear();
}

}  // namespace gongdan::store
