// Triggers as data: a Rule is conditions over a ticket's facts (fact.hpp) before and after a
// change, and the actions to take when they hold. Rules are plain values built by the JSON parser
// (or make_condition in code); RuleSet (rule_set.hpp) runs an ordered list of them.
//
// Contract:
// - A Condition is valid by construction: make_condition checks that the field exists, that the
//   operator suits the field's type, and that the value suits the operator; a regex is compiled
//   once here (RE2, linear time, with size limits) and shared by every copy of the rule.
// - Conditions: all of `all` must hold and, when `any` is not empty, at least one of `any`.
//   A rule has at least one condition and at least one action.
// - Text comparisons: is / is_not / in / not_in / changed_to / changed_from compare exactly;
//   contains / not_contains on text ignore ASCII case; on a list (tags) they look for an element
//   (any of the listed ones when the value is a list). A missing fact is unequal to everything,
//   contains nothing and matches no regex, so the negative operators hold for it.
// - Parsers never throw; every error names the offending path, e.g.
//   "conditions.all[2].value" with a message saying why.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/fwd.hpp>

#include "domain/fact.hpp"
#include "util/result.hpp"

namespace re2 {
class RE2;
}

namespace gongdan {

enum class ConditionOperator {
  kIs,
  kIsNot,
  kIn,
  kNotIn,
  kContains,
  kNotContains,
  kRegex,
  kGreaterThan,
  kLessThan,
  kChanged,
  kChangedTo,
  kChangedFrom,
  kPresent,
  kAbsent,
};

std::string_view condition_operator_name(ConditionOperator op);
std::optional<ConditionOperator> parse_condition_operator(std::string_view name);

enum class FactType { kString, kInteger, kBoolean, kList, kAny };

// The type of a field rules may name (custom_fields.* are kAny), or nullopt when unknown.
std::optional<FactType> rule_field_type(std::string_view field);
// Whether set_field may write the field (status, priority, custom fields, ...; not message.body).
bool rule_field_settable(std::string_view field);

// Limits that keep one admin's rule from costing every ticket change.
inline constexpr std::size_t kMaxRegexPatternBytes = 1000;
inline constexpr int kMaxRegexProgramSize = 2000;  // RE2's compiled instruction count
inline constexpr std::size_t kMaxConditionsPerRule = 100;
inline constexpr std::size_t kMaxActionsPerRule = 50;

class Condition {
 public:
  const std::string& field() const { return field_; }
  ConditionOperator op() const { return op_; }
  const std::optional<FactValue>& value() const { return value_; }

  // Whether the condition holds for a fact before and after the change (nullptr: missing).
  // `lowered_after` is the ASCII-lower-cased text of `after`, when `after` is text and the caller
  // has it (RuleSet caches it per change); otherwise it is computed here.
  bool matches(const FactValue* before, const FactValue* after,
               const std::string* lowered_after = nullptr) const;

  friend Result<Condition> make_condition(std::string field, ConditionOperator op,
                                          std::optional<FactValue> value, std::string_view path);

 private:
  std::string field_;
  ConditionOperator op_ = ConditionOperator::kPresent;
  std::optional<FactValue> value_;
  std::string lowered_value_;              // contains on text: the value, lower-cased
  std::shared_ptr<const re2::RE2> regex_;  // kRegex only
};

// Validates and builds a condition; `path` prefixes error fields ("conditions.all[0]").
[[nodiscard]] Result<Condition> make_condition(std::string field, ConditionOperator op,
                                               std::optional<FactValue> value,
                                               std::string_view path = {});

enum class AssignStrategy { kAgent, kRoundRobin, kLeastLoaded, kSkillBased };
enum class MailRecipient { kRequester, kAssignee };

struct SetFieldAction {
  std::string field;
  FactValue value;
};
struct AssignAction {
  AssignStrategy strategy = AssignStrategy::kAgent;
  std::string agent;  // kAgent only
};
struct AddTagsAction {
  FactList tags;
};
struct RemoveTagsAction {
  FactList tags;
};
struct AddNoteAction {
  std::string body;  // a template (template.hpp)
};
struct SendMailAction {
  std::string template_id;  // services pick the variant in the recipient's language
  MailRecipient to = MailRecipient::kRequester;
};
struct NotifyAction {
  FactList agents;
};
struct WebhookAction {
  std::string webhook_id;
};
struct ApplyMacroAction {
  std::string macro_id;
};

using Action =
    std::variant<SetFieldAction, AssignAction, AddTagsAction, RemoveTagsAction, AddNoteAction,
                 SendMailAction, NotifyAction, WebhookAction, ApplyMacroAction>;

std::string_view action_type_name(const Action& action);

enum class RuleState { kActive, kInactive };

struct Rule {
  std::string id;
  std::string name;
  RuleState state = RuleState::kActive;
  std::vector<Condition> all;
  std::vector<Condition> any;
  std::vector<Action> actions;
};

// {"id": "r1", "name": "...", "active": true,
//  "conditions": {"all": [{"field": "priority", "operator": "is", "value": "urgent"}],
//                 "any": [...]},
//  "actions": [{"type": "set_field", "field": "priority", "value": "high"},
//              {"type": "assign", "strategy": "round_robin"}, {"type": "assign", "agent": "a7"},
//              {"type": "add_tags", "tags": ["vip"]}, {"type": "remove_tags", "tags": ["x"]},
//              {"type": "add_note", "body": "..."},
//              {"type": "send_mail", "template": "ack", "to": "requester"},
//              {"type": "notify", "agents": ["a1"]}, {"type": "webhook", "id": "w1"},
//              {"type": "apply_macro", "id": "m1"}]}
[[nodiscard]] Result<Rule> parse_rule(const boost::json::value& json);
// A JSON list of rules, in order; errors are prefixed "rules[i]".
[[nodiscard]] Result<std::vector<Rule>> parse_rules(std::string_view json_text);

}  // namespace gongdan
