// A store test's SQLite database in a fresh folder of its own (named after the test and the
// process, so tests may run side by side), closed and removed when it goes.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/sqlite/sqlite_database.hpp"

namespace gongdan::store {

class ScratchSqlite {
 public:
  ScratchSqlite() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("gongdan-" + std::string(test->test_suite_name()) + "-" + test->name() + "-" +
            std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    SqliteOptions options;
    options.path = (dir_ / "test.db").string();
    auto db = SqliteDatabase::open(options);
    EXPECT_TRUE(db) << db.error().message;
    if (db) db_ = std::move(*db);
  }
  ScratchSqlite(const ScratchSqlite&) = delete;
  ScratchSqlite& operator=(const ScratchSqlite&) = delete;
  ~ScratchSqlite() {
    if (db_) db_->close();
    std::filesystem::remove_all(dir_);
  }

  // Whether it opened (a test stops at once when not).
  explicit operator bool() const { return db_ != nullptr; }
  SqliteDatabase& operator*() const { return *db_; }
  SqliteDatabase* operator->() const { return db_.get(); }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<SqliteDatabase> db_;
};

}  // namespace gongdan::store
