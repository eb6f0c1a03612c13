// The storage seam. Everything above store/ talks to a Database; the SQLite and (later)
// PostgreSQL drivers implement it. SQL is written once, with `?` placeholders, in the subset both
// engines accept; what differs (DDL type names, full-text search) lives in the driver's Dialect.
//
// Threads: read() may be called from any thread; it borrows a reader connection from a pool.
// write() may be called from any thread; the work is queued to the single writer, which commits
// whatever is queued in one transaction (group commit). write() returns only once the commit is
// durable, or the work failed. A Statement belongs to its Connection and must not leave the
// callback it was obtained in.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace gongdan::store {

enum class Engine { kSqlite, kPostgres };

class Statement {
 public:
  virtual ~Statement() = default;
  virtual void bind_null(int index) = 0;  // indexes start at 1
  virtual void bind_int(int index, std::int64_t value) = 0;
  virtual void bind_real(int index, double value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_blob(int index, std::string_view value) = 0;
  // Advances to the next row: true when there is one, false when done.
  virtual Result<bool> step() = 0;
  // Runs a statement whose rows and change count nobody reads. A driver may send it with the
  // next statement that needs an answer (PostgreSQL: one round trip for both); its error then
  // surfaces there, or at Connection::flush(). Use it only where the error needs no translation.
  virtual Result<void> run_later() {
    auto stepped = step();
    if (!stepped) return fail(std::move(stepped).error());
    return {};
  }
  virtual bool is_null(int column) const = 0;  // columns start at 0
  virtual std::int64_t column_int(int column) const = 0;
  virtual double column_real(int column) const = 0;
  virtual std::string column_text(int column) const = 0;
  // What the current row holds, for code that copies tables it does not know (migrate-data).
  enum class Type { kNull, kInteger, kReal, kText, kBlob };
  virtual int column_count() const = 0;
  virtual std::string column_name(int column) const = 0;
  virtual Type column_type(int column) const = 0;
  virtual void reset() = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Prepared statements are cached per connection, keyed by their text.
  virtual Result<Statement*> prepare(std::string_view sql) = 0;
  // For the few statements written twice, where one engine can do in one what the other needs
  // two for.
  virtual Engine engine() const = 0;
  virtual Result<void> exec(std::string_view sql) = 0;
  virtual std::int64_t last_insert_id() const = 0;
  virtual std::int64_t changes() const = 0;
  // Runs whatever run_later() left waiting and returns the first error among it.
  virtual Result<void> flush() { return {}; }
  // Dynamic SQL (list filters) would grow a statement cache without bound; called between uses.
  virtual void trim_statement_cache(std::size_t) {}
  // Tells every node listening on `channel` (see Database::listen) once this transaction
  // commits, and never if it rolls back: PostgreSQL's NOTIFY. SQLite serves one node and has
  // nobody to tell.
  virtual Result<void> notify(std::string_view /*channel*/, std::string_view /*payload*/) {
    return {};
  }
  // For the rare write that must not overlap any other writer's (a saved view's first count):
  // waits until the batches in flight on every writer and node have committed and holds off new
  // ones until this write commits. One writer (SQLite) needs nothing.
  virtual Result<void> exclude_other_writers() { return {}; }
  // Whether notify() reaches anyone: callers skip building payloads nobody would read.
  virtual bool notifies() const { return false; }
  // The shard of the counters (view_counts, migration 11) this connection adds to.
  virtual int count_shard() const { return 0; }
  // Work to run after the surrounding write commits durably (publish events, wake workers).
  // Dropped if the write fails.
  void after_commit(std::function<void()> fn) { after_commit_.push_back(std::move(fn)); }
  std::vector<std::function<void()>> take_after_commit() {
    return std::exchange(after_commit_, {});
  }
  void drop_after_commit() { after_commit_.clear(); }

  // Counter changes (the view_counts table). They are summed across every write of a batch and
  // stored once, just before the batch commits, so many writes touching the same counters cost
  // one upsert per counter instead of one each. Dropped if the write fails.
  void add_count(const std::string& key, std::int64_t delta) { counts_[key] += delta; }
  std::map<std::string, std::int64_t> take_counts() { return std::exchange(counts_, {}); }
  void drop_counts() { counts_.clear(); }
  // Changes to `key` made in this transaction but not stored yet (this write's and, in a
  // batch, the earlier writes'): a recount must subtract them.
  std::int64_t pending_count(const std::string& key) const {
    std::int64_t n = 0;
    if (auto it = counts_.find(key); it != counts_.end()) n += it->second;
    if (batch_counts_)
      if (auto it = batch_counts_->find(key); it != batch_counts_->end()) n += it->second;
    return n;
  }
  void set_batch_counts(const std::map<std::string, std::int64_t>* batch) { batch_counts_ = batch; }

  // Work that may wait for the end of a group-commit batch and then runs, in order, just before
  // the batch commits; elsewhere it runs at once. SQLite's FTS5 writes a new index segment at
  // every savepoint, and each write of a batch has its own: index rows written per write cost
  // one segment (and later merges) each, written per batch they cost one. Dropped if the write
  // fails.
  using Deferred = std::function<Result<void>(Connection&)>;
  Result<void> before_commit(Deferred fn) { return defer(before_commit_, std::move(fn)); }
  std::vector<Deferred> take_before_commit() { return std::exchange(before_commit_, {}); }
  void drop_before_commit() { before_commit_.clear(); }
  void set_deferring(bool on) {
    deferring_ = on;
    if (on) batch_counters_.clear();
  }
  bool deferring() const { return deferring_; }

  // Counters a group-commit batch hands out from memory, by name: their next values
  // (store::next_ticket_number on SQLite). Forgotten when a batch starts, so each batch reads
  // the stored counters again.
  std::map<std::string, std::int64_t, std::less<>>& batch_counters() { return batch_counters_; }

  // Work a write of a batch leaves for its own end (rows it stores together): run after the
  // write's function returns, still inside its savepoint, so a failure fails that write alone.
  // Outside a batch (exclusive writes) there is no end to wait for: it runs at once.
  Result<void> at_write_end(Deferred fn) { return defer(write_end_, std::move(fn)); }
  std::vector<Deferred> take_write_end() { return std::exchange(write_end_, {}); }
  void drop_write_end() { write_end_.clear(); }

 private:
  // Runs `fn` at once outside a batch; inside one, keeps it in `later`.
  Result<void> defer(std::vector<Deferred>& later, Deferred fn) {
    if (!deferring_) return fn(*this);
    later.push_back(std::move(fn));
    return {};
  }

  std::vector<std::function<void()>> after_commit_;
  std::map<std::string, std::int64_t> counts_;
  const std::map<std::string, std::int64_t>* batch_counts_ = nullptr;
  std::vector<Deferred> before_commit_;
  std::vector<Deferred> write_end_;
  std::map<std::string, std::int64_t, std::less<>> batch_counters_;
  bool deferring_ = false;
};

// Stores summed counter changes (see Connection::add_count).
Result<void> flush_counts(Connection& c, const std::map<std::string, std::int64_t>& counts);

struct DatabaseStats {
  int readers_open = 0;
  int readers_in_use = 0;
  int write_queue = 0;       // writes waiting for a writer
  int writes_in_flight = 0;  // writes in a batch a writer is running or committing
};

// Records the size of each committed batch; the HTTP metrics implement it.
class BatchObserver {
 public:
  virtual ~BatchObserver() = default;
  virtual void on_batch(std::size_t tasks) = 0;
};

class Database {
 public:
  using Work = std::function<Result<void>(Connection&)>;
  virtual ~Database() = default;
  virtual Engine engine() const = 0;
  virtual Result<void> read(const Work& work) = 0;
  virtual Result<void> write(Work work) = 0;
  using Done = std::function<void(Result<void>)>;
  // Like write(), but returns at once: `done` receives the outcome once the batch has committed
  // (or failed). It runs on the writer's thread, so it must only hand the result on (post it to
  // another thread); answering an HTTP request this way needs no thread parked on a future.
  virtual void write_async(Work work, Done done) { done(write(std::move(work))); }
  // Queues work for the writer and returns at once; for bookkeeping whose loss on a crash is
  // harmless (a token's last-used time). Failures are logged.
  virtual void write_detached(Work work) = 0;
  // Runs outside the group-commit queue on a dedicated connection; for migrations and bulk loads
  // that must own the whole transaction.
  virtual Result<void> exclusive(const Work& work) = 0;
  virtual DatabaseStats stats() const = 0;
  virtual void set_batch_observer(BatchObserver* observer) = 0;
  // Stops accepting writes, commits what is queued, closes connections.
  virtual void close() = 0;
  // Rewrites portable DDL placeholders ({{id}}, {{blob}}, …) for this engine.
  virtual std::string dialect_ddl(std::string_view ddl) const = 0;
  // The engine's full-text index.
  virtual class SearchIndex& search_index() = 0;
  // Calls `listener` (on a thread of the driver's) with the payload of each notify() on
  // `channel` committed by any node, this one included. Call before traffic starts.
  using Listener = std::function<void(std::string_view payload)>;
  virtual void listen(std::string /*channel*/, Listener /*listener*/) {}
  // A query with one `?` (a table name) that returns a row when that table exists.
  virtual std::string_view table_exists_query() const = 0;
};

// Convenience wrapper that binds arguments in order and resets the statement when it goes away,
// so a cached statement is always ready for its next user.
class Query {
 public:
  Query(Statement* statement) : statement_(statement) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Query(Query&& other) noexcept : statement_(std::exchange(other.statement_, nullptr)) {}
  Query& operator=(Query&&) = delete;
  ~Query() {
    if (statement_) statement_->reset();
  }

  template <class... Args>
  Query& bind(const Args&... args) {
    return bind_from(1, args...);
  }
  // Binds from parameter `first` on (the rows after the first of a multi-row INSERT).
  template <class... Args>
  Query& bind_from(int first, const Args&... args) {
    int index = first;
    (bind_one(index++, args), ...);
    return *this;
  }
  Result<bool> next() { return statement_->step(); }
  Statement& statement() { return *statement_; }
  // Runs a statement that returns no rows.
  Result<void> run() {
    auto r = statement_->step();
    if (!r) return fail(std::move(r).error());
    return {};
  }
  // Statement::run_later: for writes whose error needs no translation (index rows, history).
  Result<void> run_later() { return statement_->run_later(); }
  bool is_null(int c) const { return statement_->is_null(c); }
  std::int64_t integer(int c) const { return statement_->column_int(c); }
  double real(int c) const { return statement_->column_real(c); }
  std::string text(int c) const { return statement_->column_text(c); }
  std::optional<std::int64_t> optional_integer(int c) const {
    if (is_null(c)) return std::nullopt;
    return integer(c);
  }
  std::optional<std::string> optional_text(int c) const {
    if (is_null(c)) return std::nullopt;
    return text(c);
  }

 private:
  void bind_one(int i, std::nullptr_t) { statement_->bind_null(i); }
  void bind_one(int i, bool v) { statement_->bind_int(i, v ? 1 : 0); }
  void bind_one(int i, int v) { statement_->bind_int(i, v); }
  void bind_one(int i, unsigned v) { statement_->bind_int(i, v); }
  void bind_one(int i, long v) { statement_->bind_int(i, v); }
  void bind_one(int i, long long v) { statement_->bind_int(i, v); }
  void bind_one(int i, double v) { statement_->bind_real(i, v); }
  void bind_one(int i, std::string_view v) { statement_->bind_text(i, v); }
  void bind_one(int i, const std::string& v) { statement_->bind_text(i, v); }
  void bind_one(int i, const char* v) { statement_->bind_text(i, v); }
  template <class T>
  void bind_one(int i, const std::optional<T>& v) {
    if (v)
      bind_one(i, *v);
    else
      statement_->bind_null(i);
  }

  Statement* statement_;
};

// Prepares `sql` on `connection`, or returns the error.
inline Result<Query> query(Connection& connection, std::string_view sql) {
  auto statement = connection.prepare(sql);
  if (!statement) return fail(std::move(statement).error());
  return Result<Query>(std::in_place, *statement);
}

// A multi-row INSERT: "PREFIX VALUES (?, …), (?, …) SUFFIX" for 1 to kMaxRows rows of `columns`
// values each, built once, and the loop that sends rows through it, kMaxRows a statement, with
// run_later (rows whose errors need no translation: tags, history).
template <std::size_t kMaxRows>
class MultiRowInsert {
 public:
  MultiRowInsert(std::string_view prefix, int columns, std::string_view suffix = {})
      : columns_(columns) {
    std::string row = "(?";
    for (int i = 1; i < columns; ++i) row += ", ?";
    row += ")";
    for (std::size_t n = 1; n <= kMaxRows; ++n) {
      auto& sql = sql_[n];
      sql.append(prefix).append(" VALUES ").append(row);
      for (std::size_t i = 1; i < n; ++i) sql.append(", ").append(row);
      sql.append(suffix);
    }
  }

  // bind_row(query, first_parameter, i) binds row i from parameter `first_parameter` on.
  template <class BindRow>
  Result<void> run(Connection& c, std::size_t rows, BindRow bind_row) const {
    for (std::size_t i = 0; i < rows; i += kMaxRows) {
      const auto n = std::min(kMaxRows, rows - i);
      GONGDAN_ASSIGN(auto q, query(c, sql_[n]));
      for (std::size_t k = 0; k < n; ++k) bind_row(q, static_cast<int>(k) * columns_ + 1, i + k);
      GONGDAN_TRY(q.run_later());
    }
    return {};
  }

 private:
  int columns_;
  std::array<std::string, kMaxRows + 1> sql_;  // by row count; [0] unused
};

// What `read` makes of a row: read_rows and read_first return these.
template <class Read>
using RowOf = std::decay_t<std::invoke_result_t<Read&, const Query&>>;

// Every row, each made by `read` (a ColumnTable, a store's read_<row>(q), or a lambda over the
// columns).
template <class Read>
Result<std::vector<RowOf<Read>>> read_rows(Query& q, const Read& read) {
  std::vector<RowOf<Read>> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    out.push_back(read(q));
  }
  return out;
}

// The first row made by `read`, or nothing when there is none.
template <class Read>
Result<std::optional<RowOf<Read>>> read_first(Query& q, const Read& read) {
  GONGDAN_ASSIGN(bool row, q.next());
  if (!row) return std::optional<RowOf<Read>>{};
  return std::optional<RowOf<Read>>(read(q));
}

// The first column of every row, as ids, or as texts.
inline Result<std::vector<std::int64_t>> read_ids(Query& q) {
  return read_rows(q, [](const Query& r) { return r.integer(0); });
}
inline Result<std::vector<std::string>> read_texts(Query& q) {
  return read_rows(q, [](const Query& r) { return r.text(0); });
}

// The first row's first column: a COUNT(*), 0 when there is no row.
inline Result<std::int64_t> read_count(Query& q) {
  GONGDAN_ASSIGN(bool row, q.next());
  return row ? q.integer(0) : 0;
}

// The first row's first column as an id, or nothing when there is no row.
inline Result<std::optional<std::int64_t>> read_first_id(Query& q) {
  return read_first(q, [](const Query& r) { return r.integer(0); });
}

// One statement with `args` bound to its `?` in order, run for its effect.
template <class... Args>
Result<void> run(Connection& c, std::string_view sql, const Args&... args) {
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return q.bind(args...).run();
}

// The same, telling whether it changed a row (an UPDATE that matched one, an INSERT … ON CONFLICT
// DO NOTHING that inserted).
template <class... Args>
Result<bool> run_changed(Connection& c, std::string_view sql, const Args&... args) {
  GONGDAN_TRY(run(c, sql, args...));
  return c.changes() > 0;
}

// The first column of the rows of one statement with `args` bound, as ids.
template <class... Args>
Result<std::vector<std::int64_t>> select_ids(Connection& c, std::string_view sql,
                                             const Args&... args) {
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_ids(q.bind(args...));
}

// The first row's first column of one statement with `args` bound: a COUNT(*), 0 without a row.
template <class... Args>
Result<std::int64_t> select_count(Connection& c, std::string_view sql, const Args&... args) {
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_count(q.bind(args...));
}

// Runs an INSERT … RETURNING id and returns the id; `what` names the row in the error.
inline Result<std::int64_t> inserted_id(Query& q, std::string_view what) {
  GONGDAN_ASSIGN(bool row, q.next());
  if (!row) return fail(ErrorCode::kInternal, std::string(what) + " insert returned no id");
  return q.integer(0);
}

// Runs one store function in a read and returns what it returned (its failure included).
template <class F>
auto read_value(Database& db, F&& fn) -> std::invoke_result_t<F&, Connection&> {
  std::optional<std::invoke_result_t<F&, Connection&>> out;
  GONGDAN_TRY(db.read([&](Connection& c) -> Result<void> {
    out.emplace(fn(c));
    return {};
  }));
  return std::move(*out);
}

}  // namespace gongdan::store
