#include "domain/sla_policy.hpp"

#include <gtest/gtest.h>

#include "domain/calendar_item.hpp"

namespace gongdan {
namespace {

namespace json = boost::json;

SlaConditions conditions(std::string_view text) {
  auto read = read_sla_conditions(json::parse(text));
  EXPECT_TRUE(read) << read.error().field << ": " << read.error().message;
  return read ? *read : SlaConditions{};
}

std::string error_field(std::string_view text) {
  auto read = read_sla_conditions(json::parse(text));
  return read ? std::string("ok") : read.error().field;
}

TEST(SlaConditions, ErrorsNameTheCondition) {
  EXPECT_EQ(error_field(R"({"priority": ["sky-high"]})"), "conditions.priority");
  EXPECT_EQ(error_field(R"({"type": "task"})"), "conditions.type");
  EXPECT_EQ(error_field(R"({"department": [0]})"), "conditions.department");
  EXPECT_EQ(error_field(R"({"colour": ["red"]})"), "conditions.colour");
  EXPECT_EQ(error_field("[]"), "conditions");
}

TEST(SlaConditions, EveryGivenListMustHold) {
  Ticket t;
  t.priority = Priority::kUrgent;
  t.type = TicketType::kIncident;
  EXPECT_TRUE(conditions("{}").matches(t, std::nullopt));
  EXPECT_TRUE(conditions(R"({"priority": ["urgent", "high"]})").matches(t, std::nullopt));
  EXPECT_FALSE(conditions(R"({"priority": ["urgent"], "type": ["task"]})").matches(t, {}));
  EXPECT_FALSE(conditions(R"({"department": [3]})").matches(t, std::nullopt));
  t.department_id = 3;
  EXPECT_TRUE(conditions(R"({"department": [3]})").matches(t, std::nullopt));
  EXPECT_FALSE(conditions(R"({"organization_tier": ["gold"]})").matches(t, std::nullopt));
  EXPECT_TRUE(conditions(R"({"organization_tier": ["gold"]})").matches(t, "gold"));
}

TEST(CalendarItem, TakesItsNameFromTheSpec) {
  CalendarItem item;
  item.spec = json::parse(R"({"name": "  Shanghai office ", "time_zone": "Asia/Shanghai",
                              "weekly_hours": {"mon": ["09:00-18:00"]}})");
  ASSERT_TRUE(read_calendar_spec(item));
  EXPECT_EQ(item.name, "Shanghai office");
  item.spec.as_object()["time_zone"] = "Mars/Olympus";
  auto bad = read_calendar_spec(item);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "time_zone");
  item.spec.as_object()["time_zone"] = "UTC";
  item.spec.as_object().erase("name");
  EXPECT_EQ(read_calendar_spec(item).error().field, "name");
}

}  // namespace
}  // namespace gongdan
