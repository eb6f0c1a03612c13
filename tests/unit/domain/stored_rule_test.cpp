#include "domain/stored_rule.hpp"

#include <gtest/gtest.h>

namespace gongdan {
namespace {

namespace json = boost::json;

StoredRule stored(std::string_view conditions, std::string_view actions) {
  StoredRule r;
  r.name = "Urgent";
  r.active = false;
  r.conditions = json::parse(conditions);
  r.actions = json::parse(actions);
  return r;
}

TEST(StoredRule, ReadsItsBodyUnderTheGivenId) {
  auto rule =
      to_rule(stored(R"({"all": [{"field": "priority", "operator": "is", "value": "urgent"}]})",
                     R"([{"type": "add_tags", "tags": ["x"]}])"),
              "7");
  ASSERT_TRUE(rule) << rule.error().field << ": " << rule.error().message;
  EXPECT_EQ(rule->id, "7");
  EXPECT_EQ(rule->name, "Urgent");
  EXPECT_EQ(rule->state, RuleState::kActive);  // whether it runs is the caller's choice
  EXPECT_EQ(rule->all.size(), 1u);
  EXPECT_EQ(rule->actions.size(), 1u);
}

TEST(StoredRule, ErrorsNameThePartOfTheBody) {
  auto missing = to_rule(StoredRule{}, "1");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "conditions");
  auto bad = to_rule(stored(R"({"all": [{"field": "colour", "operator": "is", "value": "red"}]})",
                            R"([{"type": "add_tags", "tags": ["x"]}])"),
                     "1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "conditions.all[0].field");
}

}  // namespace
}  // namespace gongdan
