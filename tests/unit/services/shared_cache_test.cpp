#include "services/shared_cache.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gongdan::services {
namespace {

using Cache = SharedCache<std::string>;

TEST(SharedCache, KeepsALoadUntilTheVersionMoves) {
  std::atomic<std::uint64_t> version{0};
  Cache cache(version);
  int loads = 0;
  auto load = [&]() -> Result<Cache::Ptr> {
    ++loads;
    return std::make_shared<const std::string>("rules " + std::to_string(loads));
  };
  EXPECT_EQ(cache.peek(), nullptr);
  EXPECT_EQ(**cache.get(load), "rules 1");
  EXPECT_EQ(**cache.get(load), "rules 1");
  EXPECT_EQ(*cache.peek(), "rules 1");
  version.fetch_add(1);  // a change committed
  EXPECT_EQ(cache.peek(), nullptr);
  EXPECT_EQ(**cache.get(load), "rules 2");
  EXPECT_EQ(loads, 2);
}

TEST(SharedCache, ALoadThatOverlapsAChangeIsAnsweredButNotKept) {
  std::atomic<std::uint64_t> version{0};
  Cache cache(version);
  // The load reads the rows from before the change, which commits while it runs.
  auto stale = [&]() -> Result<Cache::Ptr> {
    version.fetch_add(1);
    return std::make_shared<const std::string>("old rules");
  };
  EXPECT_EQ(**cache.get(stale), "old rules");
  EXPECT_EQ(cache.peek(), nullptr);
  auto fresh = [] { return Result<Cache::Ptr>(std::make_shared<const std::string>("new")); };
  EXPECT_EQ(**cache.get(fresh), "new");
  EXPECT_EQ(*cache.peek(), "new");
}

TEST(SharedCache, AFailedLoadKeepsNothing) {
  std::atomic<std::uint64_t> version{0};
  Cache cache(version);
  auto failing = []() -> Result<Cache::Ptr> { return fail(ErrorCode::kUnavailable, "down"); };
  EXPECT_FALSE(cache.get(failing));
  EXPECT_EQ(cache.peek(), nullptr);
}

}  // namespace
}  // namespace gongdan::services
