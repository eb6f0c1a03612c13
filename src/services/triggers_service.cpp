#include "services/triggers_service.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "domain/template.hpp"
#include "services/audit.hpp"
#include "services/automation_actions.hpp"
#include "util/text.hpp"

namespace gongdan::services {

struct TriggersService::Compiled {
  std::optional<RuleSet> rules;
  std::map<std::string, std::string, std::less<>> names;  // rule id → trigger name
};

namespace {

std::optional<std::int64_t> id_of(const FactValue& v) {
  const auto* s = std::get_if<std::string>(&v);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (!s) return std::nullopt;
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), id);
  if (ec != std::errc() || p != s->data() + s->size() || id <= 0) return std::nullopt;
  return id;
}

Result<Rule> parse_trigger(const store::TriggerRow& row) {
  boost::system::error_code ec;
  auto def = boost::json::parse(row.definition, ec);
  if (ec || !def.is_object()) return fail(ErrorCode::kInvalidArgument, "bad trigger definition");
  boost::json::object o = def.as_object();
  o["id"] = std::to_string(row.id ? row.id : 1);
  o["name"] = row.name;
  o["active"] = row.active;
  return parse_rule(o);
}

}  // namespace

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
        auto id = id_of(set->value);
        ok = id && catalog.department(*id);
      } else if (f == "assignee") {
        ok = id_of(set->value).has_value();
      } else {
        return fail(ErrorCode::kInvalidArgument,
                    "set_field supports status, priority, type, department and assignee",
                    path + ".field");
      }
      if (!ok)
        return fail(ErrorCode::kInvalidArgument, "not a valid " + f + ": '" + text + "'",
                    path + ".value");
    } else if (const auto* assign = std::get_if<AssignAction>(&a)) {
      if (assign->strategy == AssignStrategy::kAgent && !id_of(assign->agent))
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

Result<void> collect_action(store::Connection& c, const Catalog& catalog,
                            AutomationActions* actions, const std::string& rule,
                            const Action& action, Ticket& after, Millis now, TriggerOutcome& out) {
  if (const auto* note = std::get_if<AddNoteAction>(&action)) {
    out.notes.push_back(note->body);
  } else if (const auto* assign = std::get_if<AssignAction>(&action);
             assign && assign->strategy != AssignStrategy::kAgent) {
    out.assign_mode = assign->strategy == AssignStrategy::kRoundRobin ? AssignmentMode::kRoundRobin
                      : assign->strategy == AssignStrategy::kLeastLoaded
                          ? AssignmentMode::kLeastLoaded
                          : AssignmentMode::kSkillBased;
    out.assign_rule = rule;
  } else if (const auto* macro = std::get_if<ApplyMacroAction>(&action)) {
    auto id = action_id(macro->macro_id);
    if (!actions || !id) return {};
    // The macro's field changes come after the rules' (they do not set off more rules).
    GONGDAN_ASSIGN(auto effect, actions->macro(c, catalog, *id,
                                               ticket_facts(after, catalog, nullptr, "update")));
    if (!effect) return {};
    apply_fact_changes(effect->changes, catalog, after, now);
    if (!text::trim(effect->reply).empty())
      (effect->reply_internal ? out.notes : out.replies).push_back(effect->reply);
  } else if (std::holds_alternative<SendMailAction>(action) ||
             std::holds_alternative<NotifyAction>(action) ||
             std::holds_alternative<WebhookAction>(action)) {
    out.effects.push_back(TriggerEffect{rule, out.effects.size(), action});
  }
  return {};
}

Result<void> check_references(store::Database& db, AutomationActions* actions, const Rule& rule) {
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
    GONGDAN_TRY(db.read([&](store::Connection& c) { return actions->check(c, a, path); }));
  }
  return {};
}

FactMap ticket_facts(const Ticket& t, const Catalog& catalog, const Message* message,
                     std::string_view update_type) {
  FactMap f;
  f["ticket.number"] = t.number;
  f["subject"] = t.subject;
  if (const auto* s = catalog.status(t.status_id)) f["status"] = s->name;
  f["status_category"] = std::string(category_name(t.category));
  f["priority"] = std::string(priority_name(t.priority));
  f["type"] = std::string(type_name(t.type));
  if (t.department_id) f["department"] = std::to_string(*t.department_id);
  if (t.assignee_id) f["assignee"] = std::to_string(*t.assignee_id);
  if (t.organization_id) f["organization"] = std::to_string(*t.organization_id);
  f["tags"] = FactList(t.tags.begin(), t.tags.end());
  f["channel"] = t.channel;
  f["update_type"] = std::string(update_type);
  if (t.sla_policy_id) f["sla.policy"] = std::to_string(*t.sla_policy_id);
  if (message) {
    f["message.body"] = message->body;
    f["message.internal"] = message->internal;
    f["message.author_role"] =
        std::string(message->author_id == t.requester_id ? "customer" : "agent");
  }
  return f;
}

Result<std::shared_ptr<const TriggersService::Compiled>> TriggersService::compiled(
    store::Connection& c) {
  return compiled_.get([&]() -> Result<std::shared_ptr<const Compiled>> {
    GONGDAN_ASSIGN(auto rows, store::list_triggers(c));
    auto out = std::make_shared<Compiled>();
    std::vector<Rule> rules;
    for (const auto& row : rows) {
      if (!row.active) continue;
      auto rule = parse_trigger(row);
      if (!rule) continue;  // validated when saved; a rule the code no longer reads is skipped
      out->names[rule->id] = row.name;
      rules.push_back(std::move(*rule));
    }
    if (!rules.empty()) {
      auto set = RuleSet::create(std::move(rules));
      if (set) out->rules = std::move(*set);
    }
    return std::shared_ptr<const Compiled>{out};
  });
}

void TriggersService::invalidate() { directory_.settings_changed(); }

Result<TriggerOutcome> TriggersService::run(store::Connection& c, const Catalog& catalog,
                                            const Ticket* before, Ticket& after, const Message* m,
                                            Millis now, std::string_view update_type,
                                            const FactMap* extra) {
  TriggerOutcome out;
  GONGDAN_ASSIGN(auto rules, compiled(c));
  if (!rules->rules) return out;
  if (update_type.empty()) update_type = before ? "update" : "create";
  FactMap old_facts = before ? ticket_facts(*before, catalog, m, update_type) : FactMap{};
  FactMap new_facts = ticket_facts(after, catalog, m, update_type);
  if (extra)
    for (const auto& [k, v] : *extra) new_facts[k] = v;
  return outcome_of(c, catalog, *rules, rules->rules->evaluate(old_facts, new_facts), after, now);
}

Result<TriggerOutcome> TriggersService::outcome_of(store::Connection& c, const Catalog& catalog,
                                                   const Compiled& rules,
                                                   const RuleEvaluation& eval, Ticket& after,
                                                   Millis now) {
  TriggerOutcome out;
  if (eval.fired_rules.empty()) return out;
  for (const auto& id : eval.fired_rules)
    if (auto it = rules.names.find(id); it != rules.names.end()) out.fired.push_back(it->second);
  apply_fact_changes(eval.changed_facts, catalog, after, now);
  for (const auto& fired : eval.actions) {
    const auto it = rules.names.find(fired.rule_id);
    const std::string name = it != rules.names.end() ? it->second : fired.rule_id;
    GONGDAN_TRY(collect_action(c, catalog, actions_, name, fired.action, after, now, out));
  }
  return out;
}

std::optional<TriggerPreview> TriggersService::preview_create(const Catalog& catalog,
                                                              const Ticket& ticket,
                                                              const Message& message) {
  std::shared_ptr<const Compiled> rules = compiled_.peek();
  if (!rules) return std::nullopt;
  TriggerPreview preview;
  preview.rules = rules;
  if (!rules->rules) return preview;
  // The requester is found or added by the write; the author is always the requester then.
  if (rules->rules->reads("organization") || message.author_id != ticket.requester_id)
    return std::nullopt;
  preview.evaluation =
      rules->rules->evaluate({}, ticket_facts(ticket, catalog, &message, "create"));
  return preview;
}

Result<TriggerOutcome> TriggersService::run_create(store::Connection& c, const Catalog& catalog,
                                                   Ticket& ticket, const Message& message,
                                                   Millis now, const TriggerPreview* preview) {
  GONGDAN_ASSIGN(auto rules, compiled(c));
  if (!preview || preview->rules != rules || message.author_id != ticket.requester_id)
    return run(c, catalog, nullptr, ticket, &message, now);
  if (!rules->rules) return TriggerOutcome{};
  return outcome_of(c, catalog, *rules, preview->evaluation, ticket, now);
}

Result<void> TriggersService::carry_out(store::Connection& c, const Catalog& catalog,
                                        const Ticket& ticket, const TriggerOutcome& outcome,
                                        std::string_view change_key, Millis now) {
  if (!actions_) return {};
  for (const auto& effect : outcome.effects)
    GONGDAN_TRY(actions_->carry_out(c, catalog, ticket, effect, outcome.via, change_key, now));
  return {};
}

Result<void> TriggersService::validate(store::TriggerRow& row, const TriggerInput& in,
                                       bool creating) {
  GONGDAN_TRY(apply_rule_input(row, in, creating, {"conditions", "actions"}));
  GONGDAN_ASSIGN(auto rule, parse_trigger(row));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  GONGDAN_TRY(check_rule_actions(rule, *catalog));
  return check_references(db_, actions_, rule);
}

Result<std::vector<store::TriggerRow>> TriggersService::list(const Principal& who) {
  GONGDAN_TRY(require_admin(who, "manage triggers"));
  GONGDAN_ASSIGN(auto out, store::read_value(
                               db_, [&](store::Connection& c) { return store::list_triggers(c); }));
  return out;
}

Result<store::TriggerRow> TriggersService::get(const Principal& who, std::int64_t id) {
  GONGDAN_ASSIGN(auto all, list(who));
  for (auto& row : all)
    if (row.id == id) return row;
  return fail(ErrorCode::kNotFound, "no such trigger");
}

Result<store::TriggerRow> TriggersService::create(const Principal& who, const TriggerInput& in) {
  GONGDAN_TRY(require_admin(who, "manage triggers"));
  store::TriggerRow row;
  GONGDAN_TRY(validate(row, in, true));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    row.created_at = row.updated_at = clock_.now_ms();
    GONGDAN_ASSIGN(row.id, store::insert_trigger(c, row));
    return record_audit(c, row.created_at, actor_id(who), "trigger.create",
                        "trigger:" + std::to_string(row.id), who.ip);
  }));
  invalidate();
  return row;
}

Result<store::TriggerRow> TriggersService::update(const Principal& who, std::int64_t id,
                                                  const TriggerInput& in) {
  GONGDAN_ASSIGN(auto row, get(who, id));
  GONGDAN_TRY(validate(row, in, false));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    row.updated_at = clock_.now_ms();
    GONGDAN_ASSIGN(bool saved, store::update_trigger(c, row));
    if (!saved) return fail(ErrorCode::kNotFound, "no such trigger");
    return record_audit(c, row.updated_at, actor_id(who), "trigger.update",
                        "trigger:" + std::to_string(id), who.ip);
  }));
  invalidate();
  return row;
}

Result<void> TriggersService::remove(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(require_admin(who, "manage triggers"));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(bool removed, store::delete_trigger(c, id));
    if (!removed) return fail(ErrorCode::kNotFound, "no such trigger");
    return record_audit(c, clock_.now_ms(), actor_id(who), "trigger.delete",
                        "trigger:" + std::to_string(id), who.ip);
  }));
  invalidate();
  return {};
}

}  // namespace gongdan::services
