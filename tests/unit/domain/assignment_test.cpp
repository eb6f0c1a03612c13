#include "domain/assignment.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "domain/ticket.hpp"
#include "domain/user.hpp"

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
  EXPECT_EQ(choice->reason, "least_loaded open=1");
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

namespace gongdan {
namespace {

// Every enum named through a table (domain/enum_names.hpp) reads back to itself, and a value
// cast from a stored integer outside the table still has the name it always had.
template <class E>
void expect_round_trip(std::initializer_list<E> values, std::string_view (*name)(E),
                       std::optional<E> (*parse)(std::string_view)) {
  for (E v : values) EXPECT_EQ(parse(name(v)), v) << name(v);
  EXPECT_FALSE(parse("nonsense"));
}

TEST(EnumNames, EachNameReadsBackToItsValue) {
  expect_round_trip({StatusCategory::kNew, StatusCategory::kOpen, StatusCategory::kPending,
                     StatusCategory::kOnHold, StatusCategory::kSolved, StatusCategory::kClosed},
                    category_name, parse_category);
  expect_round_trip({Priority::kLow, Priority::kNormal, Priority::kHigh, Priority::kUrgent},
                    priority_name, parse_priority);
  expect_round_trip(
      {TicketType::kQuestion, TicketType::kIncident, TicketType::kProblem, TicketType::kTask},
      type_name, parse_type);
  expect_round_trip(
      {LinkKind::kRelated, LinkKind::kParent, LinkKind::kChild, LinkKind::kDuplicateOf},
      link_kind_name, parse_link_kind);
  expect_round_trip(
      {Role::kAdmin, Role::kSupervisor, Role::kAgent, Role::kLightAgent, Role::kCustomer},
      role_name, parse_role);
  expect_round_trip({AssignmentMode::kManual, AssignmentMode::kRoundRobin,
                     AssignmentMode::kLeastLoaded, AssignmentMode::kSkillBased},
                    assignment_mode_name, parse_assignment_mode);
  expect_round_trip({Availability::kOnline, Availability::kAway, Availability::kOffline},
                    availability_name, parse_availability);
  EXPECT_EQ(priority_name(static_cast<Priority>(99)), "normal");
  EXPECT_EQ(category_name(static_cast<StatusCategory>(99)), "open");
  EXPECT_EQ(role_name(static_cast<Role>(99)), "customer");
  EXPECT_EQ(priority_name(Priority::kUrgent), "urgent");
  EXPECT_EQ(link_kind_name(LinkKind::kDuplicateOf), "duplicate_of");
}

}  // namespace
}  // namespace gongdan
