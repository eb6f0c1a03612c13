#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "store/batch_items.hpp"
#include "store/import_store.hpp"
#include "store/messages_store.hpp"
#include "store/migrations.hpp"
#include "store/search_index.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "store/tickets_store.hpp"

namespace gongdan::store {
namespace {

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("gongdan-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  static inline std::atomic<int> counter_{0};
  std::filesystem::path path_;
};

class CountingObserver : public BatchObserver {
 public:
  void on_batch(std::size_t tasks) override {
    std::size_t seen = largest.load();
    while (tasks > seen && !largest.compare_exchange_weak(seen, tasks)) {
    }
    ++batches;
  }
  std::atomic<std::size_t> largest{0};
  std::atomic<int> batches{0};
};

std::unique_ptr<SqliteDatabase> open_db(const TempDir& dir) {
  SqliteOptions options;
  options.path = dir.file("test.db");
  auto db = SqliteDatabase::open(options);
  EXPECT_TRUE(db) << db.error().message;
  return std::move(*db);
}

Result<std::int64_t> count_rows(Database& db, std::string_view sql) {
  std::int64_t n = -1;
  GONGDAN_TRY(db.read([&](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto q, query(c, sql));
    GONGDAN_ASSIGN(bool row, q.next());
    if (row) n = q.integer(0);
    return {};
  }));
  return n;
}

TEST(Migrations, BuildTheSchemaFromEmptyAndAreIdempotent) {
  TempDir dir;
  auto db = open_db(dir);
  auto before = schema_version(*db);
  ASSERT_TRUE(before);
  EXPECT_EQ(*before, 0);
  auto version = migrate(*db);
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, latest_schema_version());
  EXPECT_EQ(*migrate(*db), latest_schema_version());
  EXPECT_EQ(*count_rows(*db, "SELECT COUNT(*) FROM schema_migrations"),
            static_cast<std::int64_t>(all_migrations().size()));
  for (auto table : {"users", "sessions", "api_tokens", "audit_log", "login_failures"}) {
    EXPECT_EQ(*count_rows(*db, std::string("SELECT COUNT(*) FROM ") + table), 0) << table;
  }
}

TEST(Migrations, OneMissingBelowTheHighestIsStillDue) {
  TempDir dir;
  auto db = open_db(dir);
  ASSERT_TRUE(migrate(*db));
  // As a database looks when a lower-numbered migration lands after a higher one.
  const int lower = all_migrations()[all_migrations().size() / 2].version;
  ASSERT_TRUE(db->exclusive([&](Connection& c) {
    return c.exec("DELETE FROM schema_migrations WHERE version = " + std::to_string(lower));
  }));
  auto pending = pending_migrations(*db);
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().version, lower);
  EXPECT_FALSE(require_current_schema(*db));
}

// A store function must not empty the connection's statement cache while its own statement is
// open: the e2e run crashed in import_refs_of_tickets once a desk session had cached over 64.
TEST(StatementCache, AFullCacheSurvivesTheImportRefsLookup) {
  TempDir dir;
  auto db = open_db(dir);
  ASSERT_TRUE(migrate(*db));
  ASSERT_TRUE(db->write([](Connection& c) -> Result<void> {
    return c.exec(
        "INSERT INTO import_refs (source, kind, external_id, local_id) "
        "VALUES ('zendesk', 'ticket', '77', 5)");
  }));
  auto looked = db->read([](Connection& c) -> Result<void> {
    for (int i = 0; i < 100; ++i) {
      GONGDAN_ASSIGN(auto q, query(c, "SELECT " + std::to_string(i)));
      GONGDAN_TRY(q.next());
    }
    GONGDAN_ASSIGN(auto refs, import_refs_of_tickets(c, {5, 6}));
    EXPECT_EQ(refs.size(), 1u);
    EXPECT_EQ(refs.at(5).external_id, "77");
    return {};
  });
  EXPECT_TRUE(looked) << looked.error().message;
}

TEST(Migrations, NumbersAreStrictlyIncreasing) {
  int last = 0;
  // In order and each once. Gaps are allowed: tracks number their migrations in parallel, and a
  // missing number that lands later is still applied (migrate() applies what the ledger lacks).
  for (const auto& m : all_migrations()) {
    EXPECT_GT(m.version, last);
    last = m.version;
  }
}

TEST(GroupCommit, ConcurrentWritesShareTransactionsAndAllLand) {
  TempDir dir;
  auto db = open_db(dir);
  CountingObserver observer;
  db->set_batch_observer(&observer);
  ASSERT_TRUE(db->exclusive([](Connection& c) { return c.exec("CREATE TABLE t (v INTEGER)"); }));
  constexpr int kThreads = 48;
  constexpr int kEach = 20;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < kEach; ++j) {
        auto done = db->write([&](Connection& c) -> Result<void> {
          GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO t VALUES (?)"));
          return q.bind(i * 1000 + j).run();
        });
        if (!done) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(*count_rows(*db, "SELECT COUNT(*) FROM t"), kThreads * kEach);
  EXPECT_GT(observer.largest.load(), 1u) << "writes were never batched";
  EXPECT_LT(observer.batches.load(), kThreads * kEach);
  db->close();
  db->set_batch_observer(nullptr);
}

TEST(GroupCommit, AFailingWriteRollsBackAloneAndSkipsItsCallbacks) {
  TempDir dir;
  auto db = open_db(dir);
  ASSERT_TRUE(db->exclusive(
      [](Connection& c) { return c.exec("CREATE TABLE t (v INTEGER PRIMARY KEY)"); }));
  std::atomic<int> callbacks{0};
  auto insert = [&](int v, bool then_fail) {
    return db->write([&, v, then_fail](Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO t VALUES (?)"));
      GONGDAN_TRY(q.bind(v).run());
      c.after_commit([&] { ++callbacks; });
      if (then_fail) return fail(ErrorCode::kInvalidArgument, "changed my mind");
      return {};
    });
  };
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, failed{0};
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&, i] {
      auto r = insert(i, i % 4 == 0);
      (r ? ok : failed)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 30);
  EXPECT_EQ(failed, 10);
  EXPECT_EQ(callbacks, 30);
  EXPECT_EQ(*count_rows(*db, "SELECT COUNT(*) FROM t"), 30);
  EXPECT_EQ(*count_rows(*db, "SELECT COUNT(*) FROM t WHERE v % 4 = 0"), 0);
}

// Index rows are written once per batch, after the batch's writes (see
// Connection::before_commit): a failed write's rows must leave with it, and outside a batch they
// are written at once, so the same transaction can read them.
TEST(GroupCommit, IndexRowsWaitForTheBatchAndLeaveWithAFailedWrite) {
  TempDir dir;
  auto db = open_db(dir);
  ASSERT_TRUE(db->exclusive([](Connection& c) {
    return c.exec("CREATE VIRTUAL TABLE message_fts USING fts5(body, content='')");
  }));
  auto& index = db->search_index();
  std::vector<std::thread> threads;
  for (int i = 1; i <= 40; ++i) {
    threads.emplace_back([&, i] {
      (void)db->write([&, i](Connection& c) -> Result<void> {
        GONGDAN_TRY(index.index_message(c, i, "printer jammed"));
        if (i % 4 == 0) return fail(ErrorCode::kInvalidArgument, "changed my mind");
        return {};
      });
    });
  }
  for (auto& t : threads) t.join();
  auto found = "SELECT COUNT(*) FROM message_fts WHERE message_fts MATCH 'printer'";
  EXPECT_EQ(*count_rows(*db, found), 30);
  EXPECT_EQ(*count_rows(*db,
                        "SELECT COUNT(*) FROM message_fts WHERE message_fts MATCH "
                        "'printer' AND rowid % 4 = 0"),
            0);
  std::int64_t seen = -1;
  ASSERT_TRUE(db->exclusive([&](Connection& c) -> Result<void> {
    GONGDAN_TRY(index.index_message(c, 100, "printer"));
    GONGDAN_ASSIGN(auto q, query(c, found));
    GONGDAN_ASSIGN(bool row, q.next());
    if (row) seen = q.integer(0);
    return {};
  }));
  EXPECT_EQ(seen, 31);
}

TEST(GroupCommit, HistoryRowsWaitForTheirWriteAndLeaveWithAFailedOne) {
  TempDir dir;
  auto db = open_db(dir);
  ASSERT_TRUE(db->exclusive([](Connection& c) {
    return c.exec(
        "CREATE TABLE ticket_events (id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL, "
        "at INTEGER NOT NULL, actor_id INTEGER, via TEXT NOT NULL, field TEXT NOT NULL, "
        "old_value TEXT, new_value TEXT, origin_id INTEGER)");
  }));
  auto event = [](std::int64_t ticket, std::string field) {
    TicketEvent e;
    e.ticket_id = ticket;
    e.at = 1000 + ticket;
    e.via = "api";
    e.field = std::move(field);
    e.new_value = "v" + std::to_string(ticket);
    return e;
  };
  std::vector<std::thread> threads;
  for (int i = 1; i <= 40; ++i) {
    threads.emplace_back([&, i] {
      (void)db->write([&, i](Connection& c) -> Result<void> {
        // Ten rows: more than one statement holds.
        for (int k = 0; k < 10; ++k)
          GONGDAN_TRY(insert_event(c, event(i, "f" + std::to_string(k))));
        if (i % 4 == 0) return fail(ErrorCode::kInvalidArgument, "changed my mind");
        return {};
      });
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(*count_rows(*db, "SELECT COUNT(*) FROM ticket_events"), 300);
  EXPECT_EQ(*count_rows(*db, "SELECT COUNT(*) FROM ticket_events WHERE ticket_id % 4 = 0"), 0);
  EXPECT_EQ(*count_rows(*db,
                        "SELECT COUNT(*) FROM ticket_events WHERE ticket_id = 7 AND "
                        "field = 'f9' AND new_value = 'v7' AND at = 1007"),
            1);
  // A write reads its own history, and moves it, before it ends.
  std::vector<TicketEvent> seen;
  ASSERT_TRUE(db->write([&](Connection& c) -> Result<void> {
    GONGDAN_TRY(insert_event(c, event(50, "created")));
    GONGDAN_TRY(insert_event(c, event(50, "status")));
    GONGDAN_ASSIGN(seen, list_events(c, 50, 0, 10, true));
    GONGDAN_TRY(insert_event(c, event(50, "merged")));
    return move_events(c, 50, 51);
  }));
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].field, "status");
  EXPECT_EQ(*count_rows(*db, "SELECT COUNT(*) FROM ticket_events WHERE ticket_id = 51"), 3);
}

// In a batch the ticket numbers come from memory and the counter is stored once at its end
// (next_ticket_number): numbers stay unique across batches, a failed write leaves a gap at
// most, and a write outside a batch goes on after them.
TEST(GroupCommit, TicketNumbersOfABatchAreUniqueAndStoredOnce) {
  TempDir dir;
  auto db = open_db(dir);
  ASSERT_TRUE(db->exclusive([](Connection& c) {
    return c.exec(
        "CREATE TABLE ticket_numbers (id INTEGER PRIMARY KEY, next_number INTEGER NOT NULL);"
        "INSERT INTO ticket_numbers VALUES (1, 1);"
        "CREATE TABLE taken (number INTEGER PRIMARY KEY)");
  }));
  std::mutex mutex;
  std::vector<std::int64_t> kept;
  for (int round = 0; round < 3; ++round) {
    std::vector<std::thread> threads;
    for (int i = 0; i < 40; ++i) {
      threads.emplace_back([&, i] {
        std::int64_t number = 0;
        auto r = db->write([&, i](Connection& c) -> Result<void> {
          GONGDAN_ASSIGN(number, next_ticket_number(c));
          GONGDAN_TRY(run(c, "INSERT INTO taken VALUES (?)", number));
          if (i % 4 == 0) return fail(ErrorCode::kInvalidArgument, "changed my mind");
          return {};
        });
        if (!r) return;
        std::lock_guard lock(mutex);
        kept.push_back(number);
      });
    }
    for (auto& t : threads) t.join();
  }
  ASSERT_EQ(kept.size(), 90u);
  EXPECT_EQ(*count_rows(*db, "SELECT COUNT(*) FROM taken"), 90);
  const auto highest = *std::max_element(kept.begin(), kept.end());
  EXPECT_GE(highest, 90);
  EXPECT_LE(highest, 120);
  EXPECT_GT(*count_rows(*db, "SELECT next_number FROM ticket_numbers"), highest);
  std::int64_t after = 0;
  ASSERT_TRUE(db->exclusive([&](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(after, next_ticket_number(c));
    return {};
  }));
  EXPECT_GT(after, highest);
}

TEST(GroupCommit, BatchItemsReachOneFlushPerBatchWithoutAFailedWritesOnes) {
  TempDir dir;
  auto db = open_db(dir);
  ASSERT_TRUE(db->exclusive(
      [](Connection& c) { return c.exec("CREATE TABLE flushed (item INTEGER, batch INTEGER)"); }));
  std::atomic<int> flushes{0};
  std::atomic<int> after_commits{0};
  BatchItems<int> items([&](Connection& c, std::vector<int> got) -> Result<void> {
    const int batch = ++flushes;
    c.after_commit([&] { ++after_commits; });
    for (int item : got) {
      GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO flushed VALUES (?, ?)"));
      GONGDAN_TRY(q.bind(item, batch).run());
    }
    return {};
  });
  std::vector<std::thread> threads;
  for (int i = 1; i <= 40; ++i) {
    threads.emplace_back([&, i] {
      (void)db->write([&, i](Connection& c) -> Result<void> {
        GONGDAN_TRY(items.add(c, i * 10));
        GONGDAN_TRY(items.add(c, i * 10 + 1));
        if (i % 4 == 0) return fail(ErrorCode::kInvalidArgument, "changed my mind");
        return {};
      });
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(*count_rows(*db, "SELECT COUNT(*) FROM flushed"), 60);
  EXPECT_EQ(*count_rows(*db, "SELECT COUNT(*) FROM flushed WHERE (item / 10) % 4 = 0"), 0);
  EXPECT_EQ(*count_rows(*db, "SELECT COUNT(DISTINCT item) FROM flushed"), 60);
  // A batch flushes once; its items keep their write's order.
  EXPECT_EQ(*count_rows(*db, "SELECT COUNT(DISTINCT batch) FROM flushed"), flushes.load());
  // What the flush leaves for after the commit runs once it is durable (a job's wake-up).
  EXPECT_EQ(after_commits.load(), flushes.load());
  EXPECT_EQ(*count_rows(*db,
                        "SELECT COUNT(*) FROM flushed a JOIN flushed b ON b.item = a.item + 1 "
                        "WHERE a.item % 10 = 0 AND a.rowid > b.rowid"),
            0);
  // An exclusive write has no batch: its items go at once.
  ASSERT_TRUE(db->exclusive([&](Connection& c) { return items.add(c, 7); }));
  EXPECT_EQ(*count_rows(*db, "SELECT COUNT(*) FROM flushed WHERE item = 7"), 1);
}

TEST(GroupCommit, ConstraintViolationsAreConflicts) {
  TempDir dir;
  auto db = open_db(dir);
  ASSERT_TRUE(db->exclusive(
      [](Connection& c) { return c.exec("CREATE TABLE t (v INTEGER PRIMARY KEY)"); }));
  auto insert = [&] {
    return db->write([](Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO t VALUES (1)"));
      return q.run();
    });
  };
  ASSERT_TRUE(insert());
  auto second = insert();
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
}

TEST(GroupCommit, AnsweredWritesSurviveAProcessThatDiesWithoutClosing) {
  TempDir dir;
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    SqliteOptions options;
    options.path = dir.file("test.db");
    auto db = SqliteDatabase::open(options);
    if (!db || !(*db)->exclusive([](Connection& c) { return c.exec("CREATE TABLE t (v TEXT)"); }))
      std::_Exit(3);
    for (int i = 0; i < 10; ++i) {
      auto done = (*db)->write([i](Connection& c) -> Result<void> {
        GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO t VALUES (?)"));
        return q.bind("row " + std::to_string(i)).run();
      });
      if (!done) std::_Exit(4);
    }
    std::_Exit(0);  // no close, no destructors: as if killed right after the last answer
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto reopened = open_db(dir);
  EXPECT_EQ(*count_rows(*reopened, "SELECT COUNT(*) FROM t"), 10);
}

TEST(GroupCommit, AsyncWritesReportEachOutcomeAfterTheCommit) {
  TempDir dir;
  auto db = open_db(dir);
  ASSERT_TRUE(db->exclusive(
      [](Connection& c) { return c.exec("CREATE TABLE t (v INTEGER PRIMARY KEY)"); }));
  constexpr int kWrites = 60;
  std::mutex mutex;
  std::condition_variable all_done;
  int answered = 0, ok = 0, refused = 0, visible_when_answered = 0;
  for (int i = 0; i < kWrites; ++i) {
    // Every third write inserts a value that an earlier one took: it fails alone.
    const int v = i % 3 == 2 ? i - 1 : i;
    db->write_async(
        [v](Connection& c) -> Result<void> {
          GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO t VALUES (?)"));
          return q.bind(v).run();
        },
        [&, v](Result<void> r) {
          // The answer comes after COMMIT: a reader sees the row already.
          const bool visible =
              r && *count_rows(*db, "SELECT COUNT(*) FROM t WHERE v = " + std::to_string(v)) == 1;
          std::lock_guard lock(mutex);
          (r ? ok : refused)++;
          if (visible) ++visible_when_answered;
          if (++answered == kWrites) all_done.notify_one();
        });
  }
  std::unique_lock lock(mutex);
  ASSERT_TRUE(
      all_done.wait_for(lock, std::chrono::seconds(30), [&] { return answered == kWrites; }));
  EXPECT_EQ(ok, 40);
  EXPECT_EQ(refused, 20);
  EXPECT_EQ(visible_when_answered, 40);
  lock.unlock();
  db->close();
  Result<void> late;
  db->write_async([](Connection&) -> Result<void> { return {}; },
                  [&](Result<void> r) { late = std::move(r); });
  ASSERT_FALSE(late) << "a write after close must be refused at once";
  EXPECT_EQ(late.error().code, ErrorCode::kUnavailable);
}

TEST(GroupCommit, WritesAfterCloseAreRefused) {
  TempDir dir;
  auto db = open_db(dir);
  db->close();
  auto r = db->write([](Connection&) -> Result<void> { return {}; });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

TEST(Readers, PoolIsReusedAndReported) {
  TempDir dir;
  auto db = open_db(dir);
  ASSERT_TRUE(migrate(*db));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(count_rows(*db, "SELECT COUNT(*) FROM users"));
  auto stats = db->stats();
  EXPECT_EQ(stats.readers_open, 1);
  EXPECT_EQ(stats.readers_in_use, 0);
}

}  // namespace
}  // namespace gongdan::store
