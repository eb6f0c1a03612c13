#include "domain/rule.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "domain/rule_set.hpp"

namespace gongdan {
namespace {

Rule rule_from(std::string_view json) {
  auto rule = parse_rule(boost::json::parse(json));
  EXPECT_TRUE(rule.has_value()) << rule.error().field << ": " << rule.error().message;
  return *rule;
}

RuleSet rule_set(std::string_view json_list) {
  auto rules = parse_rules(json_list);
  EXPECT_TRUE(rules.has_value()) << rules.error().field << ": " << rules.error().message;
  auto set = RuleSet::create(std::move(*rules));
  EXPECT_TRUE(set.has_value()) << set.error().message;
  return std::move(*set);
}

Condition condition(std::string field, ConditionOperator op, std::optional<FactValue> value) {
  auto made = make_condition(std::move(field), op, std::move(value));
  EXPECT_TRUE(made.has_value()) << made.error().field << ": " << made.error().message;
  return *made;
}

TEST(RuleParser, ExplainsWhatIsWrong) {
  struct Case {
    std::string conditions;
    std::string actions;
    const char* field;
    const char* message_part;
  };
  const std::string ok_conditions = R"({"all": [{"field": "status", "operator": "is",
                                        "value": "new"}]})";
  const std::string ok_actions = R"([{"type": "add_tags", "tags": ["x"]}])";
  const std::vector<Case> cases = {
      {R"({"all": [{"field": "statuss", "operator": "is", "value": "new"}]})", ok_actions,
       "conditions.all[0].field", "unknown field \"statuss\""},
      {R"({"all": [{"field": "status", "operator": "is", "value": "new"},
                   {"field": "status", "operator": "equals", "value": "new"}]})",
       ok_actions, "conditions.all[1].operator", "unknown operator \"equals\""},
      {R"({"all": [{"field": "status", "operator": "greater_than", "value": 3}]})", ok_actions,
       "conditions.all[0].operator", "cannot be used on \"status\""},
      {R"({"any": [{"field": "priority", "operator": "is"}]})", ok_actions,
       "conditions.any[0].value", "needs a value"},
      {R"({"all": [{"field": "ticket.number", "operator": "greater_than", "value": "ten"}]})",
       ok_actions, "conditions.all[0].value", "needs an integer"},
      {R"({"all": [{"field": "message.body", "operator": "regex", "value": "(unclosed"}]})",
       ok_actions, "conditions.all[0].value", "invalid regular expression"},
      {R"({"all": [{"field": "message.body", "operator": "regex", "value": "(?:abcdef){900}"}]})",
       ok_actions, "conditions.all[0].value", "too complex"},
      {R"({"all": [{"field": "tags", "operator": "present", "value": "x"}]})", ok_actions,
       "conditions.all[0].value", "takes no value"},
      {R"({"all": [{"field": "tags", "operator": "is", "value": "vip"}]})", ok_actions,
       "conditions.all[0].operator", "use contains"},
      {R"({"all": [{"field": "priority", "operator": "in", "value": []}]})", ok_actions,
       "conditions.all[0].value", "non-empty list"},
      {R"({"all": [{"field": "priority", "operator": "is", "value": {"a": 1}}]})", ok_actions,
       "conditions.all[0].value", "expected text"},
      {R"({"all": [{"field": "priority", "operator": "is", "value": "low", "negate": true}]})",
       ok_actions, "conditions.all[0].negate", "unknown key"},
      {R"({"all": []})", ok_actions, "conditions", "at least one condition"},
      {ok_conditions, R"([])", "actions", "non-empty list of actions"},
      {ok_conditions, R"([{"type": "set_field", "field": "message.body", "value": "x"}])",
       "actions[0].field", "cannot be set by a rule"},
      {ok_conditions, R"([{"type": "set_field", "field": "priority", "value": 3}])",
       "actions[0].value", "takes text"},
      {ok_conditions, R"([{"type": "tag", "tags": ["x"]}])", "actions[0].type",
       "unknown action type \"tag\""},
      {ok_conditions, R"([{"type": "assign", "agent": "a1", "strategy": "round_robin"}])",
       "actions[0]", "either"},
      {ok_conditions, R"([{"type": "assign", "strategy": "random"}])", "actions[0].strategy",
       "unknown strategy"},
      {ok_conditions, R"([{"type": "add_tags", "tags": ["ok", 5]}])", "actions[0].tags[1]",
       "expected a string"},
      {ok_conditions, R"([{"type": "send_mail", "template": "ack", "to": "everyone"}])",
       "actions[0].to", "unknown recipient"},
  };
  for (const auto& c : cases) {
    const std::string json =
        R"({"id": "r1", "conditions": )" + c.conditions + R"(, "actions": )" + c.actions + "}";
    auto rule = parse_rule(boost::json::parse(json));
    ASSERT_FALSE(rule.has_value()) << json;
    EXPECT_EQ(rule.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(rule.error().field, c.field) << json;
    EXPECT_NE(rule.error().message.find(c.message_part), std::string::npos) << rule.error().message;
  }
}

TEST(RuleParser, ListErrorsNameTheRule) {
  auto rules = parse_rules(R"([
    {"id": "a", "conditions": {"all": [{"field": "status", "operator": "changed"}]},
     "actions": [{"type": "webhook", "id": "w"}]},
    {"id": "b", "conditions": {"any": [{"field": "custom_fields.plan", "operator": "is",
                                        "value": "gold"},
                                       {"field": "org", "operator": "present"}]},
     "actions": [{"type": "webhook", "id": "w"}]}])");
  ASSERT_FALSE(rules.has_value());
  EXPECT_EQ(rules.error().field, "rules[1].conditions.any[1].field");
  EXPECT_FALSE(parse_rules("[{").has_value());
  EXPECT_EQ(parse_rules(R"({"id": "a"})").error().field, "rules");
}

TEST(RuleParser, ReadsEveryActionType) {
  const auto rule = rule_from(R"({"id": "all-actions", "name": "Everything", "active": false,
    "conditions": {"all": [{"field": "update_type", "operator": "is", "value": "create"}]},
    "actions": [
      {"type": "set_field", "field": "custom_fields.score", "value": 7},
      {"type": "assign", "strategy": "least_loaded"}, {"type": "assign", "agent": "a7"},
      {"type": "add_tags", "tags": ["vip"]}, {"type": "remove_tags", "tags": ["spam"]},
      {"type": "add_note", "body": "Hi {{requester.name}}"},
      {"type": "send_mail", "template": "ack", "to": "assignee"},
      {"type": "notify", "agents": ["a1", "a2"]}, {"type": "webhook", "id": "w1"},
      {"type": "apply_macro", "id": "m1"}]})");
  EXPECT_EQ(rule.state, RuleState::kInactive);
  ASSERT_EQ(rule.actions.size(), 10u);
  EXPECT_EQ(std::get<SetFieldAction>(rule.actions[0]).value, FactValue{std::int64_t{7}});
  EXPECT_EQ(std::get<AssignAction>(rule.actions[1]).strategy, AssignStrategy::kLeastLoaded);
  EXPECT_EQ(std::get<AssignAction>(rule.actions[2]).agent, "a7");
  EXPECT_EQ(std::get<SendMailAction>(rule.actions[6]).to, MailRecipient::kAssignee);
  EXPECT_EQ(std::get<NotifyAction>(rule.actions[7]).agents.size(), 2u);
  EXPECT_EQ(std::get<ApplyMacroAction>(rule.actions[9]).macro_id, "m1");
  EXPECT_EQ(action_type_name(rule.actions[4]), "remove_tags");
}

TEST(Condition, Semantics) {
  const FactValue urgent{std::string("urgent")};
  const FactValue normal{std::string("normal")};
  const FactValue body{std::string("The PRINTER on floor 3 is broken. 办公室的打印机无法连接")};
  const FactValue tags{FactList{"vip", "hardware"}};
  const FactValue number{std::int64_t{42}};

  EXPECT_TRUE(condition("priority", ConditionOperator::kIs, urgent).matches(nullptr, &urgent));
  EXPECT_TRUE(condition("priority", ConditionOperator::kIsNot, urgent).matches(nullptr, nullptr));
  EXPECT_TRUE(condition("priority", ConditionOperator::kIn, FactList{"high", "urgent"})
                  .matches(nullptr, &urgent));
  EXPECT_FALSE(condition("priority", ConditionOperator::kIn, FactList{"high", "urgent"})
                   .matches(nullptr, nullptr));
  EXPECT_TRUE(condition("ticket.number", ConditionOperator::kIn, FactList{"41", "42"})
                  .matches(nullptr, &number));
  EXPECT_TRUE(condition("message.body", ConditionOperator::kContains, std::string("printer"))
                  .matches(nullptr, &body));
  EXPECT_TRUE(condition("message.body", ConditionOperator::kContains, std::string("打印机"))
                  .matches(nullptr, &body));
  EXPECT_TRUE(condition("message.body", ConditionOperator::kNotContains, std::string("refund"))
                  .matches(nullptr, &body));
  EXPECT_TRUE(condition("message.body", ConditionOperator::kNotContains, std::string("x"))
                  .matches(nullptr, nullptr));
  EXPECT_TRUE(
      condition("tags", ConditionOperator::kContains, std::string("vip")).matches(nullptr, &tags));
  EXPECT_FALSE(condition("tags", ConditionOperator::kContains, std::string("VIP"))
                   .matches(nullptr, &tags));  // tags compare exactly
  EXPECT_TRUE(condition("tags", ConditionOperator::kContains, FactList{"billing", "hardware"})
                  .matches(nullptr, &tags));
  EXPECT_TRUE(condition("message.body", ConditionOperator::kRegex, std::string(R"(floor \d+)"))
                  .matches(nullptr, &body));
  EXPECT_TRUE(condition("message.body", ConditionOperator::kRegex, std::string("打印机.*连接"))
                  .matches(nullptr, &body));
  EXPECT_TRUE(
      condition("tags", ConditionOperator::kRegex, std::string("^hard")).matches(nullptr, &tags));
  EXPECT_TRUE(condition("ticket.number", ConditionOperator::kGreaterThan, std::int64_t{41})
                  .matches(nullptr, &number));
  EXPECT_FALSE(condition("ticket.number", ConditionOperator::kLessThan, std::int64_t{42})
                   .matches(nullptr, &number));
  EXPECT_TRUE(
      condition("priority", ConditionOperator::kChanged, std::nullopt).matches(&normal, &urgent));
  EXPECT_FALSE(
      condition("priority", ConditionOperator::kChanged, std::nullopt).matches(&urgent, &urgent));
  EXPECT_TRUE(
      condition("priority", ConditionOperator::kChanged, std::nullopt).matches(nullptr, &urgent));
  EXPECT_TRUE(
      condition("priority", ConditionOperator::kChangedTo, urgent).matches(&normal, &urgent));
  EXPECT_FALSE(
      condition("priority", ConditionOperator::kChangedTo, urgent).matches(&urgent, &urgent));
  EXPECT_TRUE(
      condition("priority", ConditionOperator::kChangedFrom, normal).matches(&normal, &urgent));
  EXPECT_FALSE(
      condition("priority", ConditionOperator::kChangedFrom, normal).matches(&urgent, &normal));
  const FactValue empty{std::string()};
  EXPECT_FALSE(
      condition("assignee", ConditionOperator::kPresent, std::nullopt).matches(nullptr, &empty));
  EXPECT_TRUE(
      condition("assignee", ConditionOperator::kAbsent, std::nullopt).matches(nullptr, nullptr));
  const FactValue yes{true};
  EXPECT_TRUE(
      condition("within_business_hours", ConditionOperator::kIs, true).matches(nullptr, &yes));
  EXPECT_FALSE(condition("custom_fields.seats", ConditionOperator::kGreaterThan, std::int64_t{3})
                   .matches(nullptr, &urgent));  // a custom field of another type never compares
}

FactMap ticket_facts() {
  return FactMap{
      {"status", std::string("new")},         {"priority", std::string("normal")},
      {"tags", FactList{"hardware"}},         {"requester.email", std::string("li@example.cn")},
      {"update_type", std::string("create")}, {"message.body", std::string("Printer is broken")},
      {"channel", std::string("email")},
  };
}

TEST(RuleSet, RulesRunInOrderAndSeeEarlierEffects) {
  const auto set = rule_set(R"([
    {"id": "raise", "conditions": {"all": [{"field": "message.body", "operator": "contains",
                                            "value": "broken"}]},
     "actions": [{"type": "set_field", "field": "priority", "value": "high"},
                 {"type": "add_tags", "tags": ["broken"]}]},
    {"id": "route", "conditions": {"all": [{"field": "priority", "operator": "is", "value": "high"},
                                           {"field": "tags", "operator": "contains",
                                            "value": "broken"}]},
     "actions": [{"type": "assign", "agent": "a9"}, {"type": "notify", "agents": ["lead"]}]},
    {"id": "never", "conditions": {"all": [{"field": "channel", "operator": "is", "value": "chat"}]},
     "actions": [{"type": "webhook", "id": "w"}]}])");
  const auto before = FactMap{};
  const auto after = ticket_facts();
  const auto result = set.evaluate(before, after);
  EXPECT_EQ(result.fired_rules, (std::vector<std::string>{"raise", "route"}));
  ASSERT_EQ(result.actions.size(), 4u);
  EXPECT_EQ(action_type_name(result.actions[0].action), "set_field");
  EXPECT_EQ(action_type_name(result.actions[1].action), "add_tags");
  EXPECT_EQ(result.actions[2].rule_id, "route");
  EXPECT_EQ(action_type_name(result.actions[3].action), "notify");
  EXPECT_EQ(result.outcome, ChainOutcome::kSettled);
  EXPECT_EQ(result.changed_facts.at("priority"), FactValue{std::string("high")});
  EXPECT_EQ(result.changed_facts.at("tags"), (FactValue{FactList{"hardware", "broken"}}));
  EXPECT_EQ(result.changed_facts.at("assignee"), FactValue{std::string("a9")});
  EXPECT_FALSE(result.changed_facts.contains("channel"));
}

TEST(RuleSet, EachRuleFiresAtMostOnce) {
  // A ping-pong pair: without at-most-once these two would flip the priority forever.
  const auto set = rule_set(R"([
    {"id": "up", "conditions": {"all": [{"field": "priority", "operator": "is", "value": "normal"}]},
     "actions": [{"type": "set_field", "field": "priority", "value": "high"}]},
    {"id": "down", "conditions": {"all": [{"field": "priority", "operator": "is", "value": "high"}]},
     "actions": [{"type": "set_field", "field": "priority", "value": "normal"}]}])");
  const auto result = set.evaluate({}, ticket_facts());
  EXPECT_EQ(result.fired_rules, (std::vector<std::string>{"up", "down"}));
  EXPECT_EQ(result.outcome, ChainOutcome::kSettled);
  EXPECT_EQ(result.changed_facts.at("priority"), FactValue{std::string("normal")});
}

TEST(RuleSet, ALaterRuleCanEnableAnEarlierOne) {
  const auto set = rule_set(R"([
    {"id": "escalated", "conditions": {"all": [{"field": "tags", "operator": "contains",
                                                "value": "escalated"}]},
     "actions": [{"type": "notify", "agents": ["supervisor"]}]},
    {"id": "escalate", "conditions": {"all": [{"field": "requester.email", "operator": "regex",
                                               "value": "@example\\.cn$"}]},
     "actions": [{"type": "add_tags", "tags": ["escalated"]}]},
    {"id": "off", "active": false,
     "conditions": {"all": [{"field": "status", "operator": "is", "value": "new"}]},
     "actions": [{"type": "webhook", "id": "w"}]}])");
  const auto result = set.evaluate({}, ticket_facts());
  EXPECT_EQ(result.fired_rules, (std::vector<std::string>{"escalate", "escalated"}));
  EXPECT_EQ(result.passes, 2);
}

TEST(RuleSet, ALaterPassRetriesOnlyRulesWhoseFactsChanged) {
  const auto set = rule_set(R"([
    {"id": "escalated", "conditions": {"all": [{"field": "tags", "operator": "contains",
                                                "value": "escalated"}]},
     "actions": [{"type": "notify", "agents": ["supervisor"]}]},
    {"id": "chat", "conditions": {"any": [{"field": "channel", "operator": "is", "value": "chat"},
                                          {"field": "priority", "operator": "is",
                                           "value": "urgent"}]},
     "actions": [{"type": "add_tags", "tags": ["chat"]}]},
    {"id": "escalate", "conditions": {"all": [{"field": "requester.email", "operator": "regex",
                                               "value": "@example\\.cn$"}]},
     "actions": [{"type": "add_tags", "tags": ["escalated"]}]},
    {"id": "raise", "conditions": {"all": [{"field": "tags", "operator": "contains",
                                            "value": "escalated"}]},
     "actions": [{"type": "set_field", "field": "priority", "value": "urgent"}]}])");
  const auto result = set.evaluate({}, ticket_facts());
  // Pass 1 tries all four (escalate and raise fire); pass 2 retries "escalated" (tags changed)
  // and "chat" (priority changed), which now fires; pass 3 retries nothing, as only tags changed
  // and every rule reading them has fired.
  EXPECT_EQ(result.fired_rules,
            (std::vector<std::string>{"escalate", "raise", "escalated", "chat"}));
  EXPECT_EQ(result.passes, 3);
  EXPECT_EQ(result.rules_tried, 6);
}

TEST(RuleSet, ChangedComparesWithTheTicketBeforeTheChange) {
  const auto set = rule_set(R"([
    {"id": "open", "conditions": {"all": [{"field": "update_type", "operator": "is",
                                           "value": "create"}]},
     "actions": [{"type": "set_field", "field": "status", "value": "open"}]},
    {"id": "opened", "conditions": {"all": [{"field": "status", "operator": "changed_to",
                                             "value": "open"},
                                            {"field": "status", "operator": "changed_from",
                                             "value": "new"}]},
     "actions": [{"type": "send_mail", "template": "opened"}]}])");
  FactMap before = ticket_facts();
  const auto result = set.evaluate(before, ticket_facts());
  EXPECT_EQ(result.fired_rules, (std::vector<std::string>{"open", "opened"}));
}

TEST(RuleSet, ChainsAreBoundedByThePassLimit) {
  // Rule i sets step to i + 1 and needs step == i; listed last-first, so each pass fires one.
  constexpr int kRules = 20;
  std::string json = "[";
  for (int i = kRules - 1; i >= 0; --i) {
    json += fmt::format(
        R"({{"id": "step{0}", "conditions": {{"all": [{{"field": "custom_fields.step",
           "operator": "is", "value": {0}}}]}},
           "actions": [{{"type": "set_field", "field": "custom_fields.step", "value": {1}}}]}}{2})",
        i, i + 1, i == 0 ? "" : ",");
  }
  json += "]";
  const auto set = rule_set(json);
  const FactMap after = {{"custom_fields.step", std::int64_t{0}}};

  auto result = set.evaluate({}, after, RuleEvaluationLimits{5});
  EXPECT_EQ(result.outcome, ChainOutcome::kStoppedAtPassLimit);
  EXPECT_EQ(result.fired_rules.size(), 5u);
  EXPECT_EQ(result.passes, 5);
  EXPECT_EQ(result.changed_facts.at("custom_fields.step"), FactValue{std::int64_t{5}});

  result = set.evaluate({}, after, RuleEvaluationLimits{kRules + 1});
  EXPECT_EQ(result.outcome, ChainOutcome::kSettled);
  EXPECT_EQ(result.fired_rules.size(), static_cast<std::size_t>(kRules));

  // Exactly enough passes: the limit is reached but nothing is left to fire.
  result = set.evaluate({}, after, RuleEvaluationLimits{kRules});
  EXPECT_EQ(result.outcome, ChainOutcome::kSettled);
}

TEST(RuleSet, RejectsDuplicateIds) {
  auto rules = parse_rules(R"([
    {"id": "a", "conditions": {"all": [{"field": "status", "operator": "changed"}]},
     "actions": [{"type": "webhook", "id": "w"}]},
    {"id": "a", "conditions": {"all": [{"field": "status", "operator": "changed"}]},
     "actions": [{"type": "webhook", "id": "w"}]}])");
  ASSERT_TRUE(rules.has_value());
  auto set = RuleSet::create(std::move(*rules));
  ASSERT_FALSE(set.has_value());
  EXPECT_EQ(set.error().field, "rules[1].id");
}

}  // namespace
}  // namespace gongdan
