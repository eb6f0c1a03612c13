#include "services/triggers_service.hpp"

#include <boost/json.hpp>

#include "services/automation_actions.hpp"
#include "services/resource_load.hpp"
#include "services/rule_resources.hpp"
#include "util/text.hpp"

namespace gongdan::services {

struct TriggersService::Compiled {
  std::optional<RuleSet> rules;
  std::map<std::string, std::string, std::less<>> names;  // rule id → trigger name
};

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
  if (!t.language.empty()) f["language"] = t.language;
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
    GONGDAN_ASSIGN(auto stored, load_all(c, trigger_resource()));
    auto out = std::make_shared<Compiled>();
    std::vector<Rule> rules;
    for (const auto& trigger : stored) {
      if (!trigger.active) continue;
      auto rule = to_rule(trigger, std::to_string(trigger.id));
      if (!rule) continue;  // validated when saved; a rule the code no longer reads is skipped
      out->names[rule->id] = trigger.name;
      rules.push_back(std::move(*rule));
    }
    if (!rules.empty()) {
      auto set = RuleSet::create(std::move(rules));
      if (set) out->rules = std::move(*set);
    }
    return std::shared_ptr<const Compiled>{out};
  });
}

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

void TriggersService::add_to(Resources& resources) {
  Hooks<StoredRule> hooks;
  hooks.check = [this](store::Connection& c, const Principal&, StoredRule& stored,
                       const StoredRule*) -> Result<void> {
    GONGDAN_ASSIGN(auto rule, to_rule(stored, "1"));
    return check_rule(c, directory_, actions_, rule);
  };
  resources.add(trigger_resource(), std::move(hooks));
}

}  // namespace gongdan::services
