// Triggers: admin-defined rules (domain/rule.hpp) that run inside every ticket command, so what
// a rule changes commits with what caused it. Supported actions: set_field (status by name,
// priority, type, department and assignee by id), add_tags, remove_tags, assign to an agent,
// add_note (a template), and through AutomationActions send_mail, notify, webhook and
// apply_macro. The triggers themselves are the declared resource `triggers`
// (services/rule_resources.hpp); this service checks them when saved and runs them: the active
// ones are cached as one RuleSet; with none, a command costs nothing extra.
#pragma once

#include <memory>
#include <mutex>

#include "domain/rule_set.hpp"
#include "services/directory.hpp"
#include "services/principal.hpp"
#include "services/resource_service.hpp"
#include "services/shared_cache.hpp"
#include "services/ticket_hooks.hpp"

namespace gongdan::services {

class AutomationActions;

class TriggersService final : public TriggerRunner {
 public:
  explicit TriggersService(Directory& directory) : directory_(directory) {}

  // Declares the `triggers` resource with the rule checks.
  void add_to(Resources& resources);

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

  Directory& directory_;
  AutomationActions* actions_ = nullptr;
  SharedCache<Compiled> compiled_{directory_.settings_version()};
};

// Adds what a fired action does beyond the rule's fact changes to `out` (notes, a macro's
// changes and reply, effects to carry out once the ticket is stored).
Result<void> collect_action(store::Connection& c, const Catalog& catalog,
                            AutomationActions* actions, const std::string& rule,
                            const Action& action, Ticket& after, Millis now, TriggerOutcome& out);

// The facts rules see for a ticket (and the message of the change, if any).
FactMap ticket_facts(const Ticket& t, const Catalog& catalog, const Message* message,
                     std::string_view update_type);

}  // namespace gongdan::services
