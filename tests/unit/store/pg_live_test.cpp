// The PostgreSQL driver against a real server: scripts/test runs these in its PostgreSQL step
// (GONGDAN_TEST_POSTGRES, a base URL as conftest.py gets it); without it they are skipped.
#include <gtest/gtest.h>

#include <unistd.h>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>

#include "pg_live.hpp"

namespace gongdan::store {
namespace {

// A statement left to run later fails the task that sent it, at the task's end, and only that
// task: its earlier rows go with it; the next task of the batch, whose statements travelled in
// the same pipeline, commits.
TEST_F(PgLive, ALaterStatementsErrorFailsItsOwnTaskAlone) {
  ASSERT_TRUE(
      db_->write([](Connection& c) { return c.exec("CREATE TABLE t (id BIGINT PRIMARY KEY)"); }));
  auto insert_later = [](Connection& c, std::int64_t id) -> Result<void> {
    GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO t (id) VALUES (?)"));
    return q.bind(id).run_later();
  };
  for (int round = 0; round < 20; ++round) {
    std::promise<Result<void>> a, b;
    const std::int64_t base = round * 10;
    db_->write_async(
        [&](Connection& c) -> Result<void> {
          GONGDAN_TRY(insert_later(c, base + 1));
          GONGDAN_TRY(insert_later(c, base + 2));
          return insert_later(c, base + 1);  // a duplicate: known only when the answers come
        },
        [&a](Result<void> r) { a.set_value(std::move(r)); });
    db_->write_async([&](Connection& c) { return insert_later(c, base + 3); },
                     [&b](Result<void> r) { b.set_value(std::move(r)); });
    auto ra = a.get_future().get();
    auto rb = b.get_future().get();
    ASSERT_FALSE(ra);
    EXPECT_EQ(ra.error().code, ErrorCode::kConflict) << ra.error().message;
    ASSERT_TRUE(rb) << rb.error().message;
  }
  EXPECT_EQ(*scalar("SELECT COUNT(*) FROM t"), 20);
  EXPECT_EQ(*scalar("SELECT COUNT(*) FROM t WHERE id % 10 <> 3"), 0);
}

// Several writers commit side by side; counters stay exact, and two tasks that lock the same
// two rows in opposite orders (a deadlock the server breaks by failing one) both end up done.
TEST_F(PgLive, WritersSideBySideKeepCountersExactAndSurviveADeadlock) {
  ASSERT_TRUE(db_->write([](Connection& c) {
    return c.exec(
        "CREATE TABLE r (id BIGINT PRIMARY KEY, v BIGINT NOT NULL); "
        "INSERT INTO r VALUES (1, 0), (2, 0), (3, 0)");
  }));
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i)
        EXPECT_TRUE(db_->write([](Connection& c) -> Result<void> {
          GONGDAN_ASSIGN(auto q, query(c, "UPDATE r SET v = v + 1 WHERE id = 3"));
          return q.run();
        }));
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(*scalar("SELECT v FROM r WHERE id = 3"), 200);

  auto cross = [](std::int64_t first, std::int64_t second) {
    return [first, second](Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(auto q, query(c, "UPDATE r SET v = v + 1 WHERE id = ?"));
      GONGDAN_TRY(q.bind(first).run());
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      GONGDAN_ASSIGN(auto q2, query(c, "UPDATE r SET v = v + 10 WHERE id = ?"));
      return q2.bind(second).run();
    };
  };
  auto x = std::async(std::launch::async, [&] { return db_->write(cross(1, 2)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto y = std::async(std::launch::async, [&] { return db_->write(cross(2, 1)); });
  auto rx = x.get();
  auto ry = y.get();
  EXPECT_TRUE(rx) << rx.error().message;
  EXPECT_TRUE(ry) << ry.error().message;
  EXPECT_EQ(*scalar("SELECT v FROM r WHERE id = 1"), 11);
  EXPECT_EQ(*scalar("SELECT v FROM r WHERE id = 2"), 11);
}

// Reads run statement by statement on sessions that refuse writes.
TEST_F(PgLive, ReadsRefuseWrites) {
  ASSERT_TRUE(db_->write([](Connection& c) { return c.exec("CREATE TABLE w (id BIGINT)"); }));
  auto wrote = db_->read([](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO w VALUES (1)"));
    return q.run();
  });
  EXPECT_FALSE(wrote);
  EXPECT_EQ(*scalar("SELECT COUNT(*) FROM w"), 0);
}

}  // namespace
}  // namespace gongdan::store
