#pragma once
// A services test's fresh, migrated SQLite database: in a directory of its own, named after the
// test, so the tests of a binary may run side by side; closed and removed after the test.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/migrations.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace gongdan::services {

class MigratedDatabaseTest : public ::testing::Test {
 protected:
  // A test's own SetUp calls this first and stops when HasFatalFailure().
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("gongdan-" + std::string(test->test_suite_name()) + "-" + std::to_string(::getpid()) +
            "-" + test->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store::SqliteOptions options;
    options.path = (dir_ / "t.db").string();
    db_ = std::move(*store::SqliteDatabase::open(options));
    ASSERT_TRUE(store::migrate(*db_));
  }
  void TearDown() override {
    db_->close();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::SqliteDatabase> db_;
};

}  // namespace gongdan::services
