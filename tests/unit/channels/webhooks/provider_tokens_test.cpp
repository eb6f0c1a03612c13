#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "channels/webhooks/provider_call.hpp"

namespace gongdan::channels {
namespace {

TEST(ProviderTokens, ARefusedTokenIsDroppedButNotTheNewOneAnotherCallFetched) {
  ProviderTokens tokens;
  tokens.put("feishu:app", "old", 7200);
  tokens.drop("feishu:app", "old");
  EXPECT_FALSE(tokens.get("feishu:app"));

  // A second call that carried "old" too comes back after the first has fetched "new".
  tokens.put("feishu:app", "new", 7200);
  tokens.drop("feishu:app", "old");
  EXPECT_EQ(tokens.get("feishu:app"), "new");
}

TEST(ProviderTokens, CallsThatFindNoTokenFetchItOnce) {
  ProviderTokens tokens;
  std::atomic<int> fetched{0};
  std::vector<std::thread> calls;
  for (int i = 0; i < 8; ++i)
    calls.emplace_back([&] {
      if (tokens.get("wecom:corp")) return;
      const auto fetching = tokens.fetching("wecom:corp");
      if (tokens.get("wecom:corp")) return;
      ++fetched;
      std::this_thread::yield();
      tokens.put("wecom:corp", "t", 7200);
    });
  for (auto& c : calls) c.join();
  EXPECT_EQ(fetched.load(), 1);
  EXPECT_EQ(tokens.get("wecom:corp"), "t");
}

}  // namespace
}  // namespace gongdan::channels
