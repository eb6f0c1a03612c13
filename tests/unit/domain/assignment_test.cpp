#include "domain/assignment.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace gongdan {
namespace {

TEST(Assignment, RoundRobinTakesTheNextAgentAndWraps) {
  std::vector<AssignmentCandidate> c = {{3, 0}, {5, 0}, {9, 0}};
  EXPECT_EQ(choose_assignee(AssignmentMode::kRoundRobin, c, {}, {})->agent_id, 3);
  EXPECT_EQ(choose_assignee(AssignmentMode::kRoundRobin, c, {}, 3)->agent_id, 5);
  EXPECT_EQ(choose_assignee(AssignmentMode::kRoundRobin, c, {}, 9)->agent_id, 3);
  EXPECT_EQ(choose_assignee(AssignmentMode::kRoundRobin, c, {}, 4)->agent_id, 5);  // 4 left
}

TEST(Assignment, CapSkipsFullAgents) {
  std::vector<AssignmentCandidate> c = {{3, 2}, {5, 1}, {9, 2}};
  EXPECT_EQ(choose_assignee(AssignmentMode::kRoundRobin, c, 2, 5)->agent_id, 5);
  EXPECT_EQ(choose_assignee(AssignmentMode::kLeastLoaded, c, 2, {})->agent_id, 5);
  std::vector<AssignmentCandidate> full = {{3, 2}, {5, 2}};
  EXPECT_FALSE(choose_assignee(AssignmentMode::kRoundRobin, full, 2, {}));
  EXPECT_FALSE(choose_assignee(AssignmentMode::kLeastLoaded, full, 2, {}));
}

TEST(Assignment, LeastLoadedPrefersFewestThenLowestId) {
  std::vector<AssignmentCandidate> c = {{3, 4}, {5, 1}, {9, 1}};
  auto choice = choose_assignee(AssignmentMode::kLeastLoaded, c, {}, {});
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->agent_id, 5);
  EXPECT_EQ(choice->reason, "least loaded: 1 open ticket(s)");
}

TEST(Assignment, ManualAndNobodyChooseNoOne) {
  std::vector<AssignmentCandidate> c = {{3, 0}};
  EXPECT_FALSE(choose_assignee(AssignmentMode::kManual, c, {}, {}));
  EXPECT_FALSE(choose_assignee(AssignmentMode::kRoundRobin, {}, {}, {}));
  EXPECT_EQ(parse_assignment_mode("least_loaded"), AssignmentMode::kLeastLoaded);
  EXPECT_FALSE(parse_assignment_mode("random"));
}

}  // namespace
}  // namespace gongdan
