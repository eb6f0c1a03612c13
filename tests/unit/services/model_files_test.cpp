// The model-load race of issue 22 (session 14): two triage jobs met a newly trained model at
// once, both wrote its file from the database, one renamed the other's half-written copy into
// place, and fastText aborted the server on it. Here several threads meet a new model at once
// and each must read the whole model.
#include "services/model_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <latch>
#include <sstream>
#include <thread>

#include "migrated_database.hpp"
#include "store/triage_store.hpp"

namespace gongdan::services {
namespace {

class ModelFilesTest : public MigratedDatabaseTest {
 protected:
  std::int64_t store_model(const std::string& bytes) {
    std::int64_t id = 0;
    store::TriageModelRecord r;
    r.field = "similar";
    EXPECT_TRUE(db_->write([&](store::Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(id, store::insert_triage_model(c, r, bytes));
      return {};
    }));
    return id;
  }
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream all;
  all << in.rdbuf();
  return all.str();
}

TEST_F(ModelFilesTest, ThreadsMeetingANewModelAtOnceEachReadAllOfIt) {
  // Big enough that writing it takes a while: the old race needed one writer mid-way.
  std::string bytes(24 << 20, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 31 % 251);
  const auto id = store_model(bytes);
  ModelFiles files(*db_, dir_.string());
  constexpr int kThreads = 4;
  std::latch start(kThreads);
  std::vector<std::string> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      auto r = files.with_file(id, nullptr, [&](const std::string& path) -> Result<void> {
        seen[t] = read_all(path);
        return {};
      });
      EXPECT_TRUE(r) << r.error().message;
    });
  for (auto& thread : threads) thread.join();
  for (const auto& s : seen) EXPECT_TRUE(s == bytes) << "read " << s.size() << " bytes";
  EXPECT_EQ(files.path(id), (dir_ / "triage" / ("model-" + std::to_string(id) + ".bin")).string());
  EXPECT_FALSE(std::filesystem::exists(files.path(id) + ".part"));
}

TEST_F(ModelFilesTest, AModelTheDatabaseHasNotIsNotFound) {
  ModelFiles files(*db_, dir_.string());
  bool called = false;
  auto r = files.with_file(42, nullptr, [&](const std::string&) -> Result<void> {
    called = true;
    return {};
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace gongdan::services
