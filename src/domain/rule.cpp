#include "domain/rule.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>
#include <re2/re2.h>

#include "util/enum_names.hpp"
#include "util/text.hpp"

namespace gongdan {

namespace {

constexpr std::array<std::pair<std::string_view, ConditionOperator>, 14> kOperatorNames = {{
    {"is", ConditionOperator::kIs},
    {"is_not", ConditionOperator::kIsNot},
    {"in", ConditionOperator::kIn},
    {"not_in", ConditionOperator::kNotIn},
    {"contains", ConditionOperator::kContains},
    {"not_contains", ConditionOperator::kNotContains},
    {"regex", ConditionOperator::kRegex},
    {"greater_than", ConditionOperator::kGreaterThan},
    {"less_than", ConditionOperator::kLessThan},
    {"changed", ConditionOperator::kChanged},
    {"changed_to", ConditionOperator::kChangedTo},
    {"changed_from", ConditionOperator::kChangedFrom},
    {"present", ConditionOperator::kPresent},
    {"absent", ConditionOperator::kAbsent},
}};

struct FieldInfo {
  std::string_view name;
  FactType type;
  bool settable;
};

// The facts services provide to rules. Adding a field here is all a new condition needs.
constexpr std::array<FieldInfo, 27> kFields = {{
    {"ticket.number", FactType::kInteger, false},
    {"subject", FactType::kString, false},
    {"status", FactType::kString, true},
    {"status_category", FactType::kString, false},
    {"priority", FactType::kString, true},
    {"type", FactType::kString, true},
    {"department", FactType::kString, true},
    {"assignee", FactType::kString, true},
    {"language", FactType::kString, true},
    {"requester.email", FactType::kString, false},
    {"requester.name", FactType::kString, false},
    {"requester.language", FactType::kString, false},
    {"organization", FactType::kString, false},
    {"organization.tier", FactType::kString, false},
    {"tags", FactType::kList, false},  // changed by add_tags / remove_tags
    {"channel", FactType::kString, false},
    // "create", "update", from a timer "sla_warning" / "sla_breach", a rating "csat"
    {"update_type", FactType::kString, false},
    {"message.body", FactType::kString, false},
    {"message.subject", FactType::kString, false},
    {"message.internal", FactType::kBoolean, false},
    {"message.author_role", FactType::kString, false},  // "agent", "customer", "system"
    {"within_business_hours", FactType::kBoolean, false},
    {"sla.breached", FactType::kBoolean, false},
    {"sla.policy", FactType::kString, false},
    {"sla.metric", FactType::kString, false},      // first_response, next_response, resolution
    {"csat.rating", FactType::kString, false},     // good, bad, 1 … 5 (update_type csat)
    {"csat.positive", FactType::kBoolean, false},  // good, 4 or 5
}};

constexpr std::string_view kRuleCustomFieldPrefix = "custom_fields.";

bool is_custom_field(std::string_view field) {
  return field.size() > kRuleCustomFieldPrefix.size() && field.starts_with(kRuleCustomFieldPrefix);
}

std::string_view type_name(FactType type) {
  static constexpr Named<FactType> kTypes[] = {{FactType::kString, "text"},
                                               {FactType::kInteger, "an integer"},
                                               {FactType::kBoolean, "a boolean"},
                                               {FactType::kList, "a list"},
                                               {FactType::kAny, "any value"}};
  return name_in(kTypes, type, "?");
}

FactType value_type(const FactValue& value) {
  switch (value.index()) {
    case 0:
      return FactType::kString;
    case 1:
      return FactType::kInteger;
    case 2:
      return FactType::kBoolean;
    default:
      return FactType::kList;
  }
}

Error condition_error(std::string message, std::string_view path, std::string_view leaf) {
  std::string field = path.empty() ? std::string(leaf) : fmt::format("{}.{}", path, leaf);
  return Error{ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
}

bool contains_ignoring_case(std::string_view lowered_haystack, std::string_view lowered_needle) {
  return lowered_haystack.find(lowered_needle) != std::string_view::npos;
}

bool list_contains(const FactList& list, std::string_view item) {
  return std::ranges::find(list, item) != list.end();
}

bool equal_facts(const FactValue* a, const FactValue* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return *a == *b;
}

// `in`: the fact (text or integer, as text) is one of the listed strings.
bool fact_in(const FactValue* fact, const FactList& list) {
  if (fact == nullptr) return false;
  if (const auto* s = std::get_if<std::string>(fact)) return list_contains(list, *s);
  if (const auto* n = std::get_if<std::int64_t>(fact))
    return list_contains(list, std::to_string(*n));
  return false;
}

}  // namespace

std::string_view condition_operator_name(ConditionOperator op) {
  for (const auto& [name, value] : kOperatorNames) {
    if (value == op) return name;
  }
  return "?";
}

std::optional<ConditionOperator> parse_condition_operator(std::string_view name) {
  for (const auto& [candidate, value] : kOperatorNames) {
    if (candidate == name) return value;
  }
  return std::nullopt;
}

std::optional<FactType> rule_field_type(std::string_view field) {
  if (is_custom_field(field)) return FactType::kAny;
  for (const auto& info : kFields) {
    if (info.name == field) return info.type;
  }
  return std::nullopt;
}

bool rule_field_settable(std::string_view field) {
  if (is_custom_field(field)) return true;
  for (const auto& info : kFields) {
    if (info.name == field) return info.settable;
  }
  return false;
}

namespace {

// What an operator asks of its field's type and of the value, for one condition; each check
// answers with the error that names the offending part (field, operator or value).
struct ConditionCheck {
  std::string_view field;
  std::string_view op_name;
  FactType type;
  std::string_view path;

  Failure wrong_value(std::string_view expected) const {
    return fail(
        condition_error(fmt::format("operator \"{}\" on \"{}\" needs {}", op_name, field, expected),
                        path, "value"));
  }
  Failure wrong_field(std::string_view why) const {
    return fail(
        condition_error(fmt::format("operator \"{}\" cannot be used on \"{}\", which is {}{}",
                                    op_name, field, type_name(type), why),
                        path, "operator"));
  }

  // changed, present, absent.
  Result<void> no_value(const std::optional<FactValue>& value) const {
    if (value) {
      return fail(
          condition_error(fmt::format("operator \"{}\" takes no value", op_name), path, "value"));
    }
    return {};
  }

  // is, is_not, changed_to, changed_from: one value of the field's type.
  Result<void> one_value(const std::optional<FactValue>& value) const {
    if (type == FactType::kList) return wrong_field("; use contains / not_contains");
    if (!value) return wrong_value("a value");
    if (type == FactType::kAny ? value_type(*value) == FactType::kList
                               : value_type(*value) != type) {
      return wrong_value(type == FactType::kAny ? "a text, integer or boolean value"
                                                : type_name(type));
    }
    return {};
  }

  // in, not_in.
  Result<void> list_value(const std::optional<FactValue>& value) const {
    if (type == FactType::kList || type == FactType::kBoolean) {
      return wrong_field(type == FactType::kList ? "; use contains / not_contains" : "");
    }
    if (!value || !std::holds_alternative<FactList>(*value) || std::get<FactList>(*value).empty()) {
      return wrong_value("a non-empty list of strings");
    }
    return {};
  }

  // contains, not_contains; returns a text value lower-cased (empty for a list), for matching.
  Result<std::string> contained_value(const std::optional<FactValue>& value) const {
    if (type == FactType::kInteger || type == FactType::kBoolean) return wrong_field("");
    if (!value) return wrong_value("a value");
    if (type == FactType::kString && !std::holds_alternative<std::string>(*value)) {
      return wrong_value("text");
    }
    if (!std::holds_alternative<std::string>(*value) && !std::holds_alternative<FactList>(*value)) {
      return wrong_value("text or a list of strings");
    }
    if (const auto* s = std::get_if<std::string>(&*value)) {
      if (s->empty()) return wrong_value("non-empty text");
      return text::to_lower_ascii(*s);
    }
    return std::string();
  }

  // regex: the pattern compiled, within the limits on its length and its program.
  Result<std::shared_ptr<const RE2>> regex(const std::optional<FactValue>& value) const {
    if (type == FactType::kInteger || type == FactType::kBoolean) return wrong_field("");
    const auto* pattern = value ? std::get_if<std::string>(&*value) : nullptr;
    if (pattern == nullptr || pattern->empty()) return wrong_value("a regular expression (text)");
    if (pattern->size() > kMaxRegexPatternBytes) {
      return fail(condition_error(
          fmt::format("the regular expression is longer than {} bytes", kMaxRegexPatternBytes),
          path, "value"));
    }
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(1 << 20);  // bounds the DFA cache; RE2 matches in linear time anyway
    auto compiled = std::make_shared<const RE2>(*pattern, options);
    if (!compiled->ok()) {
      return fail(condition_error(fmt::format("invalid regular expression: {}", compiled->error()),
                                  path, "value"));
    }
    if (compiled->ProgramSize() > kMaxRegexProgramSize) {
      return fail(
          condition_error(fmt::format("the regular expression is too complex ({} steps, at most "
                                      "{}); simplify it or split the rule",
                                      compiled->ProgramSize(), kMaxRegexProgramSize),
                          path, "value"));
    }
    return compiled;
  }

  // greater_than, less_than.
  Result<void> integer_value(const std::optional<FactValue>& value) const {
    if (type != FactType::kInteger && type != FactType::kAny) return wrong_field("");
    if (!value || !std::holds_alternative<std::int64_t>(*value)) return wrong_value("an integer");
    return {};
  }
};

}  // namespace

Result<Condition> make_condition(std::string field, ConditionOperator op,
                                 std::optional<FactValue> value, std::string_view path) {
  const auto field_type = rule_field_type(field);
  if (!field_type) {
    return fail(condition_error(fmt::format("unknown field \"{}\" (custom fields are named "
                                            "\"custom_fields.<key>\")",
                                            field),
                                path, "field"));
  }
  const ConditionCheck check{field, condition_operator_name(op), *field_type, path};
  Condition condition;
  switch (op) {
    case ConditionOperator::kChanged:
    case ConditionOperator::kPresent:
    case ConditionOperator::kAbsent:
      GONGDAN_TRY(check.no_value(value));
      break;
    case ConditionOperator::kIs:
    case ConditionOperator::kIsNot:
    case ConditionOperator::kChangedTo:
    case ConditionOperator::kChangedFrom:
      GONGDAN_TRY(check.one_value(value));
      break;
    case ConditionOperator::kIn:
    case ConditionOperator::kNotIn:
      GONGDAN_TRY(check.list_value(value));
      break;
    case ConditionOperator::kContains:
    case ConditionOperator::kNotContains: {
      GONGDAN_ASSIGN(condition.lowered_value_, check.contained_value(value));
      break;
    }
    case ConditionOperator::kRegex: {
      GONGDAN_ASSIGN(condition.regex_, check.regex(value));
      break;
    }
    case ConditionOperator::kGreaterThan:
    case ConditionOperator::kLessThan:
      GONGDAN_TRY(check.integer_value(value));
      break;
  }
  condition.field_ = std::move(field);
  condition.op_ = op;
  condition.value_ = std::move(value);
  return condition;
}

bool Condition::matches(const FactValue* before, const FactValue* after,
                        const std::string* lowered_after) const {
  switch (op_) {
    case ConditionOperator::kIs:
      return equal_facts(after, &*value_);
    case ConditionOperator::kIsNot:
      return !equal_facts(after, &*value_);
    case ConditionOperator::kIn:
      return fact_in(after, std::get<FactList>(*value_));
    case ConditionOperator::kNotIn:
      return !fact_in(after, std::get<FactList>(*value_));
    case ConditionOperator::kContains:
    case ConditionOperator::kNotContains: {
      bool found = false;
      if (after == nullptr) {
        found = false;
      } else if (const auto* list = std::get_if<FactList>(after)) {
        if (const auto* item = std::get_if<std::string>(&*value_)) {
          found = list_contains(*list, *item);
        } else {
          const auto& wanted = std::get<FactList>(*value_);
          found =
              std::ranges::any_of(wanted, [&](const auto& w) { return list_contains(*list, w); });
        }
      } else if (const auto* s = std::get_if<std::string>(after)) {
        if (std::holds_alternative<std::string>(*value_)) {
          if (lowered_after != nullptr) {
            found = contains_ignoring_case(*lowered_after, lowered_value_);
          } else {
            found = contains_ignoring_case(text::to_lower_ascii(*s), lowered_value_);
          }
        } else {
          // A list value on a text fact (custom field): any of the words.
          const auto lowered = lowered_after ? *lowered_after : text::to_lower_ascii(*s);
          found = std::ranges::any_of(std::get<FactList>(*value_), [&](const auto& w) {
            return contains_ignoring_case(lowered, text::to_lower_ascii(w));
          });
        }
      }
      return op_ == ConditionOperator::kContains ? found : !found;
    }
    case ConditionOperator::kRegex:
      if (after == nullptr) return false;
      if (const auto* s = std::get_if<std::string>(after)) return RE2::PartialMatch(*s, *regex_);
      if (const auto* list = std::get_if<FactList>(after)) {
        return std::ranges::any_of(
            *list, [&](const auto& item) { return RE2::PartialMatch(item, *regex_); });
      }
      return false;
    case ConditionOperator::kGreaterThan:
    case ConditionOperator::kLessThan: {
      const auto* n = after ? std::get_if<std::int64_t>(after) : nullptr;
      if (n == nullptr) return false;
      const auto limit = std::get<std::int64_t>(*value_);
      return op_ == ConditionOperator::kGreaterThan ? *n > limit : *n < limit;
    }
    case ConditionOperator::kChanged:
      return !equal_facts(before, after);
    case ConditionOperator::kChangedTo:
      return equal_facts(after, &*value_) && !equal_facts(before, &*value_);
    case ConditionOperator::kChangedFrom:
      return equal_facts(before, &*value_) && !equal_facts(after, &*value_);
    case ConditionOperator::kPresent:
    case ConditionOperator::kAbsent: {
      bool present = after != nullptr;
      if (const auto* s = after ? std::get_if<std::string>(after) : nullptr) present = !s->empty();
      if (const auto* l = after ? std::get_if<FactList>(after) : nullptr) present = !l->empty();
      return op_ == ConditionOperator::kPresent ? present : !present;
    }
  }
  return false;
}

std::string_view action_type_name(const Action& action) {
  static constexpr std::array<std::string_view, std::variant_size_v<Action>> kNames = {
      "set_field", "assign", "add_tags", "remove_tags", "add_note",
      "send_mail", "notify", "webhook",  "apply_macro"};
  return kNames[action.index()];
}

}  // namespace gongdan
