// The fixture of the tests that need a real PostgreSQL server: scripts/test runs them in its
// PostgreSQL step (GONGDAN_TEST_POSTGRES, a base URL as conftest.py gets it); without it they
// are skipped. Each test gets a database of its own.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdlib>
#include <memory>
#include <string>

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_database.hpp"

namespace gongdan::store {

class PgLive : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* base = std::getenv("GONGDAN_TEST_POSTGRES");
    if (!base || !*base) GTEST_SKIP() << "needs GONGDAN_TEST_POSTGRES";
    base_ = base;
    name_ = "pg_live_" + std::to_string(::getpid());
    auto admin = PgConnection::open(base_ + "/postgres");
    ASSERT_TRUE(admin) << admin.error().message;
    (void)(*admin)->exec("DROP DATABASE IF EXISTS " + name_);
    ASSERT_TRUE((*admin)->exec("CREATE DATABASE " + name_));
    PostgresOptions options;
    options.url = base_ + "/" + name_;
    options.writers = 3;
    auto db = PostgresDatabase::open(options);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
  }
  void TearDown() override {
    if (!db_) return;
    db_->close();
    db_.reset();
    if (auto admin = PgConnection::open(base_ + "/postgres"))
      (void)(*admin)->exec("DROP DATABASE IF EXISTS " + name_);
  }
  Result<std::int64_t> scalar(std::string_view sql) {
    std::int64_t out = 0;
    GONGDAN_TRY(db_->read([&](Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(auto q, query(c, sql));
      GONGDAN_ASSIGN(bool row, q.next());
      if (row) out = q.integer(0);
      return {};
    }));
    return out;
  }

  std::string base_, name_;
  std::unique_ptr<PostgresDatabase> db_;
};

}  // namespace gongdan::store
