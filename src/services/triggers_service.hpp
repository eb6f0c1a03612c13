// Triggers: admin-defined rules (domain/rule.hpp) that run inside every ticket command, so what
// a rule changes commits with what caused it. Supported actions: set_field (status by name,
// priority, type, department and assignee by id), add_tags, remove_tags, assign to an agent,
// add_note (a template), and through AutomationActions send_mail, notify, webhook and
// apply_macro. The active rules are cached as one RuleSet; with none, a command
// costs nothing extra.
#pragma once

#include <memory>
#include <mutex>

#include "domain/rule_set.hpp"
#include "services/directory.hpp"
#include "services/principal.hpp"
#include "services/rule_input.hpp"
#include "services/shared_cache.hpp"
#include "services/ticket_hooks.hpp"
#include "store/triggers_store.hpp"

namespace gongdan::services {

class AutomationActions;

using TriggerInput = RuleInput;

class TriggersService final : public TriggerRunner {
 public:
  TriggersService(store::Database& db, const Clock& clock, Directory& directory)
      : db_(db), clock_(clock), directory_(directory) {}

  Result<std::vector<store::TriggerRow>> list(const Principal& who);
  Result<store::TriggerRow> get(const Principal& who, std::int64_t id);
  Result<store::TriggerRow> create(const Principal& who, const TriggerInput& in);
  Result<store::TriggerRow> update(const Principal& who, std::int64_t id, const TriggerInput& in);
  Result<void> remove(const Principal& who, std::int64_t id);

  Result<TriggerOutcome> run(store::Connection& c, const Catalog& catalog, const Ticket* before,
                             Ticket& after, const Message* message, Millis now,
                             std::string_view update_type = {},
                             const FactMap* extra = nullptr) override;
  std::optional<TriggerPreview> preview_create(const Catalog& catalog, const Ticket& ticket,
                                               const Message& message) override;
  Result<TriggerOutcome> run_create(store::Connection& c, const Catalog& catalog, Ticket& ticket,
                                    const Message& message, Millis now,
                                    const TriggerPreview* preview) override;
  Result<void> carry_out(store::Connection& c, const Catalog& catalog, const Ticket& ticket,
                         const TriggerOutcome& outcome, std::string_view change_key,
                         Millis now) override;
  // Mail, notify, webhook and macro actions; without it, rules using them are refused.
  void set_actions(AutomationActions* actions) { actions_ = actions; }

  struct Compiled;

 private:
  Result<std::shared_ptr<const Compiled>> compiled(store::Connection& c);
  // What the rules' evaluation asks for (fact changes, notes, effects), as an outcome.
  Result<TriggerOutcome> outcome_of(store::Connection& c, const Catalog& catalog,
                                    const Compiled& rules, const RuleEvaluation& eval,
                                    Ticket& after, Millis now);
  void invalidate();
  Result<void> validate(store::TriggerRow& row, const TriggerInput& in, bool creating);

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  AutomationActions* actions_ = nullptr;
  SharedCache<Compiled> compiled_{directory_.settings_version()};
};

// Refuses actions the ticket commands cannot carry out, and set_field values that do not exist.
Result<void> check_rule_actions(const Rule& rule, const Catalog& catalog);
// The names an action refers to (templates, agents, webhooks, macros) exist.
Result<void> check_references(store::Database& db, AutomationActions* actions, const Rule& rule);
// Adds what a fired action does beyond the rule's fact changes to `out` (notes, a macro's
// changes and reply, effects to carry out once the ticket is stored).
Result<void> collect_action(store::Connection& c, const Catalog& catalog,
                            AutomationActions* actions, const std::string& rule,
                            const Action& action, Ticket& after, Millis now, TriggerOutcome& out);

// The facts rules see for a ticket (and the message of the change, if any).
FactMap ticket_facts(const Ticket& t, const Catalog& catalog, const Message* message,
                     std::string_view update_type);

}  // namespace gongdan::services
