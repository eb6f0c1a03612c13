#include "domain/skills.hpp"

#include <gtest/gtest.h>

#include "domain/assignment.hpp"

namespace gongdan {
namespace {

using Skills = std::vector<std::string>;

TEST(Skills, NormalisesEachKind) {
  EXPECT_EQ(*normalize_skill("Language:zh-cn"), "language:zh-CN");
  EXPECT_EQ(*normalize_skill(" language:EN "), "language:en");
  EXPECT_EQ(*normalize_skill("TYPE:Incident"), "type:incident");
  EXPECT_EQ(*normalize_skill("tag:Billing"), "tag:billing");
  EXPECT_EQ(*normalize_skill("field:product=Router X"), "field:product=Router X");
}

TEST(Skills, RefusesWhatCannotMatch) {
  for (const char* bad : {"", "billing", "language:fr", "type:bug", "tag:a b", "field:product",
                          "field:=x", "field:Product=x", "field:p=", "colour:red"}) {
    auto r = normalize_skill(bad, "skills[0]");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, "skills[0]");
    EXPECT_FALSE(r.error().message.empty());
  }
  EXPECT_FALSE(normalize_skill(std::string(300, 'a')));
}

TEST(Skills, ListIsSortedWithoutRepeatsAndErrorsNameTheItem) {
  EXPECT_EQ(*normalize_skills({"tag:b", "language:en", "tag:B"}), (Skills{"language:en", "tag:b"}));
  auto bad = normalize_skills({"tag:a", "nonsense"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "skills[1]");
  EXPECT_FALSE(normalize_skills(Skills(101, "tag:a")));
  EXPECT_EQ(skill_field_key("field:product=x"), "product");
  EXPECT_EQ(skill_field_key("tag:x"), "");
}

TEST(Skills, TicketFactsCoverLanguageTypeTagsAndFields) {
  auto facts = ticket_skill_facts("zh-CN", TicketType::kIncident, {"billing", "vip"},
                                  R"({"product": "router", "seats": 5, "urgent": true,
                                      "os": ["linux", "mac"], "note": {"x": 1}})");
  EXPECT_EQ(facts, (Skills{"field:os=linux", "field:os=mac", "field:product=router",
                           "field:seats=5", "field:urgent=true", "language:zh-CN", "tag:billing",
                           "tag:vip", "type:incident"}));
  EXPECT_EQ(ticket_skill_facts("en", TicketType::kQuestion, {}, "not json"),
            (Skills{"language:en", "type:question"}));
}

TEST(Skills, OnlyFactsSomeoneListsAreRequired) {
  Skills facts = {"language:zh-CN", "tag:billing", "tag:vip", "type:question"};
  Skills vocabulary = {"language:en", "language:zh-CN", "tag:billing"};
  EXPECT_EQ(skill_requirements(facts, vocabulary), (Skills{"language:zh-CN", "tag:billing"}));
  EXPECT_TRUE(
      covers_skills({"language:zh-CN", "tag:billing", "tag:x"}, {"language:zh-CN", "tag:billing"}));
  EXPECT_FALSE(covers_skills({"language:zh-CN"}, {"language:zh-CN", "tag:billing"}));
  EXPECT_TRUE(covers_skills({}, {}));
}

AssignmentCandidate cand(std::int64_t id, std::int64_t load, Skills skills, bool available = true) {
  return {id, load, available, std::move(skills)};
}

TEST(SkillBased, PicksOnlyCoveringAgentsThenLeastLoaded) {
  std::vector<AssignmentCandidate> c = {cand(1, 0, {"language:en"}),
                                        cand(2, 3, {"language:zh-CN", "tag:billing"}),
                                        cand(3, 1, {"language:zh-CN", "tag:billing"})};
  AssignmentRequest r{AssignmentMode::kSkillBased, {}, {}, {"language:zh-CN", "tag:billing"}};
  auto choice = choose_assignee(r, c);
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->agent_id, 3);
  EXPECT_EQ(choice->matched_skills, (Skills{"language:zh-CN", "tag:billing"}));
  EXPECT_EQ(choice->reason, "skill_based open=1 skills=language:zh-CN,tag:billing");
  r.cap = 1;  // agent 3 is full, agent 2 more so: nobody
  EXPECT_FALSE(choose_assignee(r, c));
  r.required = {"tag:refunds"};
  r.cap.reset();
  EXPECT_FALSE(choose_assignee(r, c));
  r.required = {};
  EXPECT_EQ(choose_assignee(r, c)->agent_id, 1);
  EXPECT_EQ(choose_assignee(r, c)->reason, "skill_based open=0");
}

TEST(SkillBased, EqualLoadsTakeTurnsAfterTheLastChosen) {
  std::vector<AssignmentCandidate> c = {cand(4, 2, {"tag:a"}), cand(6, 2, {"tag:a"}),
                                        cand(9, 2, {"tag:a"})};
  AssignmentRequest r{AssignmentMode::kSkillBased, {}, 6, {"tag:a"}};
  EXPECT_EQ(choose_assignee(r, c)->agent_id, 9);
  r.last_agent_id = 9;
  EXPECT_EQ(choose_assignee(r, c)->agent_id, 4);
}

TEST(Availability, UnavailableAgentsAreNeverChosen) {
  std::vector<AssignmentCandidate> c = {cand(1, 0, {}, false), cand(2, 5, {}, true)};
  for (auto mode :
       {AssignmentMode::kRoundRobin, AssignmentMode::kLeastLoaded, AssignmentMode::kSkillBased}) {
    AssignmentRequest r{mode, {}, {}, {}};
    EXPECT_EQ(choose_assignee(r, c)->agent_id, 2);
  }
  std::vector<AssignmentCandidate> none = {cand(1, 0, {}, false)};
  EXPECT_FALSE(choose_assignee(AssignmentRequest{AssignmentMode::kRoundRobin, {}, {}, {}}, none));
  EXPECT_EQ(parse_availability("away"), Availability::kAway);
  EXPECT_FALSE(parse_availability("busy"));
  EXPECT_EQ(availability_name(Availability::kOffline), "offline");
  EXPECT_EQ(parse_assignment_mode("skill_based"), AssignmentMode::kSkillBased);
}

TEST(Availability, NextShiftStartsAfterTheCurrentSpan) {
  auto cal = parse_business_calendar(R"({"name": "t", "time_zone": "UTC",
      "weekly_hours": {"mon": ["09:00-12:00", "13:00-18:00"], "tue": ["09:00-18:00"]}})");
  ASSERT_TRUE(cal) << cal.error().message;
  const Millis monday = 1767571200000;  // 2026-01-05 00:00 UTC, a Monday
  const Millis hour = 3600 * 1000;
  EXPECT_EQ(next_shift_start(*cal, monday), monday + 9 * hour);               // before work
  EXPECT_EQ(next_shift_start(*cal, monday + 10 * hour), monday + 13 * hour);  // after lunch
  EXPECT_EQ(next_shift_start(*cal, monday + 14 * hour), monday + 33 * hour);  // Tuesday 09:00
}

}  // namespace
}  // namespace gongdan
