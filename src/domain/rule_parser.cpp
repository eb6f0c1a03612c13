// The JSON form of a rule (see rule.hpp). Errors carry the full path of what is wrong
// ("rules[3].conditions.any[1].operator") and a sentence saying why, for the admin API.
#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "domain/rule.hpp"

namespace gongdan {

namespace {

namespace json = boost::json;

constexpr std::size_t kMaxRuleIdBytes = 200;
constexpr std::size_t kMaxListItems = 100;

std::string join_path(std::string_view path, std::string_view leaf) {
  if (path.empty()) return std::string(leaf);
  if (leaf.starts_with('[')) return fmt::format("{}{}", path, leaf);
  return fmt::format("{}.{}", path, leaf);
}

Failure rule_error(std::string message, std::string field) {
  return fail(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}

Result<void> check_rule_keys(const json::object& object,
                             std::initializer_list<std::string_view> allowed,
                             std::string_view path) {
  for (const auto& entry : object) {
    const std::string_view key = entry.key();
    if (std::ranges::find(allowed, key) == allowed.end()) {
      std::string names;
      for (auto name : allowed) names += fmt::format("{}\"{}\"", names.empty() ? "" : ", ", name);
      return rule_error(fmt::format("unknown key \"{}\" (allowed: {})", key, names),
                        join_path(path, key));
    }
  }
  return {};
}

Result<std::string> require_string(const json::object& object, std::string_view key,
                                   std::string_view path) {
  const auto* value = object.if_contains(key);
  if (value == nullptr)
    return rule_error(fmt::format("\"{}\" is required", key), join_path(path, key));
  if (!value->is_string() || value->get_string().empty()) {
    return rule_error("expected non-empty text", join_path(path, key));
  }
  return std::string(value->get_string());
}

Result<FactList> parse_string_list(const json::value& value, std::string_view field) {
  const auto* array = value.if_array();
  if (array == nullptr) return rule_error("expected a list of strings", std::string(field));
  if (array->size() > kMaxListItems) {
    return rule_error(fmt::format("at most {} items", kMaxListItems), std::string(field));
  }
  FactList out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto* s = (*array)[i].if_string();
    if (s == nullptr) return rule_error("expected a string", fmt::format("{}[{}]", field, i));
    out.emplace_back(*s);
  }
  return out;
}

Result<FactValue> parse_fact_value(const json::value& value, std::string_view field) {
  switch (value.kind()) {
    case json::kind::string:
      return FactValue{std::string(value.get_string())};
    case json::kind::int64:
      return FactValue{value.get_int64()};
    case json::kind::uint64:
      if (value.get_uint64() > static_cast<std::uint64_t>(INT64_MAX)) break;
      return FactValue{static_cast<std::int64_t>(value.get_uint64())};
    case json::kind::bool_:
      return FactValue{value.get_bool()};
    case json::kind::array: {
      GONGDAN_ASSIGN(auto list, parse_string_list(value, field));
      return FactValue{std::move(list)};
    }
    default:
      break;
  }
  return rule_error("expected text, an integer, a boolean or a list of strings",
                    std::string(field));
}

Result<Condition> parse_condition(const json::value& value, std::string_view path) {
  const auto* object = value.if_object();
  if (object == nullptr) {
    return rule_error(
        "a condition is an object: {\"field\": ..., \"operator\": ..., \"value\": ...}",
        std::string(path));
  }
  GONGDAN_TRY(check_rule_keys(*object, {"field", "operator", "value"}, path));
  GONGDAN_ASSIGN(auto field, require_string(*object, "field", path));
  GONGDAN_ASSIGN(auto op_name, require_string(*object, "operator", path));
  const auto op = parse_condition_operator(op_name);
  if (!op) {
    return rule_error(
        fmt::format("unknown operator \"{}\" (one of is, is_not, in, not_in, contains, "
                    "not_contains, regex, greater_than, less_than, changed, "
                    "changed_to, changed_from, present, absent)",
                    op_name),
        join_path(path, "operator"));
  }
  std::optional<FactValue> fact;
  if (const auto* v = object->if_contains("value")) {
    GONGDAN_ASSIGN(fact, parse_fact_value(*v, join_path(path, "value")));
  }
  return make_condition(std::move(field), *op, std::move(fact), path);
}

Result<std::vector<Condition>> parse_condition_list(const json::value& value,
                                                    std::string_view path) {
  const auto* array = value.if_array();
  if (array == nullptr) return rule_error("expected a list of conditions", std::string(path));
  if (array->size() > kMaxConditionsPerRule) {
    return rule_error(fmt::format("at most {} conditions", kMaxConditionsPerRule),
                      std::string(path));
  }
  std::vector<Condition> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    GONGDAN_ASSIGN(auto condition, parse_condition((*array)[i], fmt::format("{}[{}]", path, i)));
    out.push_back(std::move(condition));
  }
  return out;
}

Result<AssignStrategy> parse_strategy(std::string_view name, std::string_view field) {
  static constexpr std::array<std::pair<std::string_view, AssignStrategy>, 3> kNames = {{
      {"round_robin", AssignStrategy::kRoundRobin},
      {"least_loaded", AssignStrategy::kLeastLoaded},
      {"skill_based", AssignStrategy::kSkillBased},
  }};
  for (const auto& [candidate, strategy] : kNames) {
    if (candidate == name) return strategy;
  }
  return rule_error(
      fmt::format("unknown strategy \"{}\" (round_robin, least_loaded, skill_based)", name),
      std::string(field));
}

Result<Action> parse_action(const json::value& value, std::string_view path) {
  const auto* object = value.if_object();
  if (object == nullptr) {
    return rule_error("an action is an object with a \"type\"", std::string(path));
  }
  GONGDAN_ASSIGN(auto type, require_string(*object, "type", path));
  if (type == "set_field") {
    GONGDAN_TRY(check_rule_keys(*object, {"type", "field", "value"}, path));
    GONGDAN_ASSIGN(auto field, require_string(*object, "field", path));
    const auto field_type = rule_field_type(field);
    if (!field_type) {
      return rule_error(fmt::format("unknown field \"{}\"", field), join_path(path, "field"));
    }
    if (!rule_field_settable(field)) {
      return rule_error(fmt::format("\"{}\" cannot be set by a rule", field),
                        join_path(path, "field"));
    }
    const auto* v = object->if_contains("value");
    if (v == nullptr) return rule_error("\"value\" is required", join_path(path, "value"));
    GONGDAN_ASSIGN(auto fact, parse_fact_value(*v, join_path(path, "value")));
    if (*field_type == FactType::kString && !std::holds_alternative<std::string>(fact)) {
      return rule_error(fmt::format("\"{}\" takes text", field), join_path(path, "value"));
    }
    return SetFieldAction{std::move(field), std::move(fact)};
  }
  if (type == "assign") {
    GONGDAN_TRY(check_rule_keys(*object, {"type", "strategy", "agent"}, path));
    const bool has_agent = object->contains("agent");
    const bool has_strategy = object->contains("strategy");
    if (has_agent == has_strategy) {
      return rule_error("give either \"agent\" or \"strategy\"", std::string(path));
    }
    if (has_agent) {
      GONGDAN_ASSIGN(auto agent, require_string(*object, "agent", path));
      return AssignAction{AssignStrategy::kAgent, std::move(agent)};
    }
    GONGDAN_ASSIGN(auto name, require_string(*object, "strategy", path));
    GONGDAN_ASSIGN(auto strategy, parse_strategy(name, join_path(path, "strategy")));
    return AssignAction{strategy, {}};
  }
  if (type == "add_tags" || type == "remove_tags" || type == "notify") {
    const std::string_view key = type == "notify" ? "agents" : "tags";
    GONGDAN_TRY(check_rule_keys(*object, {"type", key}, path));
    const auto* list = object->if_contains(key);
    if (list == nullptr) {
      return rule_error(fmt::format("\"{}\" is required", key), join_path(path, key));
    }
    GONGDAN_ASSIGN(auto items, parse_string_list(*list, join_path(path, key)));
    if (items.empty()) return rule_error("the list is empty", join_path(path, key));
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].empty()) return rule_error("empty name", fmt::format("{}.{}[{}]", path, key, i));
    }
    if (type == "add_tags") return AddTagsAction{std::move(items)};
    if (type == "remove_tags") return RemoveTagsAction{std::move(items)};
    return NotifyAction{std::move(items)};
  }
  if (type == "add_note") {
    GONGDAN_TRY(check_rule_keys(*object, {"type", "body"}, path));
    GONGDAN_ASSIGN(auto body, require_string(*object, "body", path));
    return AddNoteAction{std::move(body)};
  }
  if (type == "send_mail") {
    GONGDAN_TRY(check_rule_keys(*object, {"type", "template", "to"}, path));
    GONGDAN_ASSIGN(auto template_id, require_string(*object, "template", path));
    MailRecipient to = MailRecipient::kRequester;
    if (object->contains("to")) {
      GONGDAN_ASSIGN(auto name, require_string(*object, "to", path));
      if (name == "assignee") {
        to = MailRecipient::kAssignee;
      } else if (name != "requester") {
        return rule_error(fmt::format("unknown recipient \"{}\" (requester or assignee)", name),
                          join_path(path, "to"));
      }
    }
    return SendMailAction{std::move(template_id), to};
  }
  if (type == "webhook" || type == "apply_macro") {
    GONGDAN_TRY(check_rule_keys(*object, {"type", "id"}, path));
    GONGDAN_ASSIGN(auto id, require_string(*object, "id", path));
    if (type == "webhook") return WebhookAction{std::move(id)};
    return ApplyMacroAction{std::move(id)};
  }
  return rule_error(fmt::format("unknown action type \"{}\" (set_field, assign, add_tags, "
                                "remove_tags, add_note, send_mail, notify, webhook, apply_macro)",
                                type),
                    join_path(path, "type"));
}

Result<Rule> parse_rule_at(const json::value& value, std::string_view path) {
  const auto* object = value.if_object();
  if (object == nullptr) return rule_error("a rule is a JSON object", std::string(path));
  GONGDAN_TRY(check_rule_keys(*object, {"id", "name", "active", "conditions", "actions"}, path));
  Rule rule;
  GONGDAN_ASSIGN(rule.id, require_string(*object, "id", path));
  if (rule.id.size() > kMaxRuleIdBytes) {
    return rule_error(fmt::format("at most {} bytes", kMaxRuleIdBytes), join_path(path, "id"));
  }
  if (const auto* name = object->if_contains("name")) {
    if (!name->is_string()) return rule_error("expected text", join_path(path, "name"));
    rule.name = std::string(name->get_string());
  }
  if (const auto* active = object->if_contains("active")) {
    if (!active->is_bool()) return rule_error("expected true or false", join_path(path, "active"));
    rule.state = active->get_bool() ? RuleState::kActive : RuleState::kInactive;
  }
  const std::string conditions_path = join_path(path, "conditions");
  const auto* conditions = object->if_contains("conditions");
  if (conditions == nullptr || !conditions->is_object()) {
    return rule_error("expected {\"all\": [...], \"any\": [...]}", conditions_path);
  }
  GONGDAN_TRY(check_rule_keys(conditions->get_object(), {"all", "any"}, conditions_path));
  if (const auto* all = conditions->get_object().if_contains("all")) {
    GONGDAN_ASSIGN(rule.all, parse_condition_list(*all, join_path(conditions_path, "all")));
  }
  if (const auto* any = conditions->get_object().if_contains("any")) {
    GONGDAN_ASSIGN(rule.any, parse_condition_list(*any, join_path(conditions_path, "any")));
  }
  if (rule.all.empty() && rule.any.empty()) {
    // A rule without conditions would fire on every change of every ticket.
    return rule_error("a rule needs at least one condition", conditions_path);
  }
  const std::string actions_path = join_path(path, "actions");
  const auto* actions = object->if_contains("actions");
  if (actions == nullptr || !actions->is_array() || actions->get_array().empty()) {
    return rule_error("a rule needs a non-empty list of actions", actions_path);
  }
  if (actions->get_array().size() > kMaxActionsPerRule) {
    return rule_error(fmt::format("at most {} actions", kMaxActionsPerRule), actions_path);
  }
  for (std::size_t i = 0; i < actions->get_array().size(); ++i) {
    GONGDAN_ASSIGN(auto action,
                   parse_action(actions->get_array()[i], fmt::format("{}[{}]", actions_path, i)));
    rule.actions.push_back(std::move(action));
  }
  return rule;
}

}  // namespace

Result<Rule> parse_rule(const json::value& value) { return parse_rule_at(value, ""); }

Result<std::vector<Rule>> parse_rules(std::string_view json_text) {
  boost::system::error_code ec;
  const auto value = json::parse(json_text, ec);
  if (ec) return rule_error(fmt::format("not valid JSON: {}", ec.message()), "");
  const auto* array = value.if_array();
  if (array == nullptr) return rule_error("expected a JSON list of rules", "rules");
  std::vector<Rule> rules;
  rules.reserve(array->size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    GONGDAN_ASSIGN(auto rule, parse_rule_at((*array)[i], fmt::format("rules[{}]", i)));
    rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace gongdan
