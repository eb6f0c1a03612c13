#include "domain/work_time.hpp"

#include <gtest/gtest.h>

#include "domain/report_rollup.hpp"

namespace gongdan {
namespace {

constexpr Millis kHour = kMillisPerHour;

TEST(WorkTime, AHeartbeatAddsAtMostTheWallTimeSinceThePreviousOne) {
  // The first starts the count.
  EXPECT_EQ(*counted_work(30'000, std::nullopt, 1'000'000), 0);
  EXPECT_EQ(*counted_work(30'000, 1'000'000, 1'030'000), 30'000);
  // Claimed less than passed (the tab was hidden for part of it): the claim.
  EXPECT_EQ(*counted_work(10'000, 1'000'000, 1'030'000), 10'000);
  // Claimed more than passed (a second tab beat 15 s ago, or a forged claim): the wall time.
  EXPECT_EQ(*counted_work(30'000, 1'015'000, 1'030'000), 15'000);
  EXPECT_EQ(*counted_work(kMaxWorkClaimMs, 1'030'000, 1'030'000), 0);
  // A previous heartbeat in the future (another node's clock ahead): nothing.
  EXPECT_EQ(*counted_work(30'000, 2'000'000, 1'030'000), 0);
}

TEST(WorkTime, NegativeOrHugeClaimsAreRefused) {
  for (Millis bad : {Millis{-1}, kMaxWorkClaimMs + 1, Millis{1} << 62}) {
    const auto r = counted_work(bad, 0, 1'000'000);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, "ms");
  }
  EXPECT_TRUE(counted_work(0, std::nullopt, 0));
  EXPECT_TRUE(counted_work(kMaxWorkClaimMs, std::nullopt, 0));
}

// The replay puts each span after the event it followed, under the dimensions then: time worked
// before a reassignment stays the first department's.
TEST(WorkTime, TheReplayAddsEachSpanWhereTheLiveHeartbeatCameInTheHistory) {
  Ticket t;
  t.id = 1;
  t.created_at = 10 * kHour;
  t.channel = "web";
  t.department_id = 4;
  std::vector<TicketEvent> history = {
      {1, 1, 10 * kHour, 1, "api", "created", std::nullopt, "#1"},
      {5, 1, 10 * kHour + 600'000, 1, "web", "department", "3", "4"},
  };
  ReplayLookups lookups{[](std::string_view) { return std::optional<StatusCategory>(); },
                        [](std::int64_t) { return true; }};
  const std::vector<WorkSpan> work = {
      {1, 7, 10 * kHour, 60'000}, {5, 7, 10 * kHour, 30'000}, {5, 9, 11 * kHour, 5'000}};
  RollupDeltas replayed;
  replay_rollups(t, history, lookups, replayed, work);
  EXPECT_EQ(replayed[total_key("handle_ms", 10, 3)], 60'000);
  EXPECT_EQ(replayed[total_key("handle_ms", 10, 4)], 30'000);
  EXPECT_EQ(replayed[total_key("handle_ms", 11, 4)], 5'000);
  EXPECT_EQ(replayed[total_key("handle_ms", 10, kAnyDimension)], 90'000);

  // What the live heartbeats added, with the ticket as they saw it.
  RollupDeltas live;
  auto before = report_state_of(t, {});
  before.department_id = 3;
  rollup_handle_time(before, 7, 60'000, 10 * kHour + 300'000, live);
  const auto after = report_state_of(t, {});
  rollup_handle_time(after, 7, 30'000, 10 * kHour + 900'000, live);
  rollup_handle_time(after, 9, 5'000, 11 * kHour + 1, live);
  for (const auto& [key, n] : live) {
    if (parse_rollup_key(key)->metric == "handle_ms") {
      EXPECT_EQ(replayed[key], n) << key;
    }
  }
  // The agent is the one who worked, not the assignee.
  EXPECT_EQ(live[rollup_key("handle_ms", 11, after, 9)], 5'000);
}

}  // namespace
}  // namespace gongdan
