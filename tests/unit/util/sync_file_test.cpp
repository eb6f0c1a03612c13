#include "util/sync_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace gongdan {
namespace {

namespace fs = std::filesystem;

TEST(SyncFile, SyncsAFileAndADirectory) {
  const fs::path dir = fs::temp_directory_path() / ("gongdan-sync-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "f") << "bytes";
  EXPECT_TRUE(sync_file(dir / "f"));
  EXPECT_TRUE(sync_file(dir));
  fs::remove_all(dir);
}

TEST(SyncFile, AMissingFileIsAnInternalErrorNamingIt) {
  const auto synced = sync_file("/nonexistent/gongdan-sync-test");
  ASSERT_FALSE(synced);
  EXPECT_EQ(synced.error().code, ErrorCode::kInternal);
  EXPECT_EQ(synced.error().message, "cannot sync /nonexistent/gongdan-sync-test");
}

}  // namespace
}  // namespace gongdan
