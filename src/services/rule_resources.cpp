#include "services/rule_resources.hpp"

#include "domain/template.hpp"
#include "services/automation_actions.hpp"
#include "store/database.hpp"

namespace gongdan::services {
namespace {

// A part of the rule's body: required JSON, kept with the other parts in one column.
Bound<StoredRule> body_part(boost::json::value StoredRule::*member, const FieldBuilder& field) {
  return field_of(member, field.column("definition").required());
}

// What triggers and automations share: everything but an automation's `after`.
std::vector<Bound<StoredRule>> rule_fields(std::optional<Bound<StoredRule>> after) {
  std::vector<Bound<StoredRule>> out{
      field_of(&StoredRule::id, id_field()), field_of(&StoredRule::name, name_field()),
      field_of(&StoredRule::position,
               position_field({"Rules run in this order.", "按此顺序执行。"})),
      field_of(&StoredRule::active, active_field()),
      body_part(&StoredRule::conditions,
                json_field("conditions", {"Conditions", "条件"},
                           {"All of `all` and one of `any` must hold.",
                            "`all` 全部满足，且 `any` 至少满足一个。"})
                    .schema(R"({"type": "object", "additionalProperties": false, "properties": {)"
                            R"("all": {"type": "array", "items": {"type": "object"}}, )"
                            R"("any": {"type": "array", "items": {"type": "object"}}}})",
                            R"({"all": [{"field": "priority", "operator": "is", )"
                            R"("value": "urgent"}]})"))};
  if (after) out.push_back(std::move(*after));
  out.push_back(body_part(
      &StoredRule::actions,
      json_field("actions", {"Actions", "动作"},
                 {"set_field, add_tags, remove_tags, assign, add_note, send_mail, notify, "
                  "webhook, apply_macro.",
                  "set_field、add_tags、remove_tags、assign、add_note、send_mail、notify、"
                  "webhook、apply_macro。"})
          .schema(R"({"type": "array", "items": {"type": "object"}})",
                  R"([{"type": "add_tags", "tags": ["vip"]}])")));
  out.push_back(field_of(&StoredRule::created_at, time_field("created_at")));
  out.push_back(field_of(&StoredRule::updated_at, time_field("updated_at")));
  return out;
}

InfoBuilder rule_info(std::string_view name, std::string_view noun, Words title) {
  return resource_info(name, noun, title, "automation")
      .order_by("position, id")
      .read_by(Audience::kAdmins)
      .invalidates(Invalidates::kSettings)
      .ops({.remove = true});
}

}  // namespace

const Resource<StoredRule>& trigger_resource() {
  static const Resource<StoredRule> r = declare<StoredRule>(
      rule_info("triggers", "trigger", {"Triggers", "触发器"}), rule_fields(std::nullopt));
  return r;
}

const Resource<StoredRule>& automation_resource() {
  static const Resource<StoredRule> r = declare<StoredRule>(
      rule_info("automations", "automation", {"Automations", "自动化"}),
      rule_fields(body_part(
          &StoredRule::after,
          json_field("after", {"After", "等待"},
                     {"How long after the ticket entered its status (or was created, or last "
                      "updated).",
                      "工单进入当前状态（或创建、最后更新）之后多久。"})
              .schema(R"({"type": "object", "additionalProperties": false, )"
                      R"("required": ["amount", "unit"], "properties": {)"
                      R"("amount": {"type": "integer", "minimum": 1, "maximum": 100000}, )"
                      R"("unit": {"enum": ["minutes", "hours", "days", "business_hours", )"
                      R"("business_days"]}, "since": {"enum": ["status", "created", )"
                      R"("updated"]}}})",
                      R"({"amount": 3, "unit": "business_days", "since": "status"})"))));
  return r;
}

// What the ticket commands can carry out; the rest is refused when the rule is saved.
Result<void> check_rule_actions(const Rule& rule, const Catalog& catalog) {
  for (std::size_t i = 0; i < rule.actions.size(); ++i) {
    const std::string path = "actions[" + std::to_string(i) + "]";
    const auto& a = rule.actions[i];
    if (const auto* set = std::get_if<SetFieldAction>(&a)) {
      const auto& f = set->field;
      const auto text = fact_to_string(set->value);
      bool ok = true;
      if (f == "status") {
        ok = std::ranges::any_of(catalog.statuses,
                                 [&](const Status& s) { return s.active && s.name == text; });
      } else if (f == "priority") {
        ok = parse_priority(text).has_value();
      } else if (f == "type") {
        ok = parse_type(text).has_value();
      } else if (f == "department") {
        auto id = action_id(set->value);
        ok = id && catalog.department(*id);
      } else if (f == "assignee") {
        ok = action_id(set->value).has_value();
      } else {
        return fail(ErrorCode::kInvalidArgument,
                    "set_field supports status, priority, type, department and assignee",
                    path + ".field");
      }
      if (!ok)
        return fail(ErrorCode::kInvalidArgument, "not a valid " + f + ": '" + text + "'",
                    path + ".value");
    } else if (const auto* assign = std::get_if<AssignAction>(&a)) {
      if (assign->strategy == AssignStrategy::kAgent && !action_id(assign->agent))
        return fail(ErrorCode::kInvalidArgument, "assign needs an agent id or a strategy", path);
    } else if (const auto* note = std::get_if<AddNoteAction>(&a)) {
      auto issues = validate_template(note->body);
      if (!issues.empty())
        return fail(ErrorCode::kInvalidArgument, issues.front().message, path + ".body");
    } else if (!std::holds_alternative<AddTagsAction>(a) &&
               !std::holds_alternative<RemoveTagsAction>(a) &&
               !std::holds_alternative<SendMailAction>(a) &&
               !std::holds_alternative<NotifyAction>(a) &&
               !std::holds_alternative<WebhookAction>(a) &&
               !std::holds_alternative<ApplyMacroAction>(a)) {
      return fail(ErrorCode::kInvalidArgument,
                  "the action '" + std::string(action_type_name(a)) + "' is not supported yet",
                  path + ".type");
    }
  }
  return {};
}

Result<void> check_references(store::Connection& c, AutomationActions* actions, const Rule& rule) {
  for (std::size_t i = 0; i < rule.actions.size(); ++i) {
    const auto& a = rule.actions[i];
    const bool reaches_out =
        std::holds_alternative<SendMailAction>(a) || std::holds_alternative<NotifyAction>(a) ||
        std::holds_alternative<WebhookAction>(a) || std::holds_alternative<ApplyMacroAction>(a);
    if (!reaches_out) continue;
    const std::string path = "actions[" + std::to_string(i) + "]";
    if (!actions)
      return fail(ErrorCode::kInvalidArgument,
                  "the action '" + std::string(action_type_name(a)) + "' is not available here",
                  path + ".type");
    GONGDAN_TRY(actions->check(c, a, path));
  }
  return {};
}

Result<void> check_rule(store::Connection& c, Directory& directory, AutomationActions* actions,
                        const Rule& rule) {
  GONGDAN_ASSIGN(auto catalog, directory.catalog());
  GONGDAN_TRY(check_rule_actions(rule, *catalog));
  return check_references(c, actions, rule);
}

}  // namespace gongdan::services
