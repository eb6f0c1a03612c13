// Work that must commit with a ticket change (SLA clocks and timers, webhook deliveries, later
// triggers): called inside the command's write, after the change is stored, in the order they
// were added. A hook may update derived fields of change.ticket (the SLA due times) and must
// store them itself; later hooks and the live event see them. A hook with nothing configured
// must return without touching the database, so ticket commands stay cheap.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/assignment.hpp"
#include "domain/rule.hpp"
#include "domain/rule_set.hpp"
#include "services/directory.hpp"
#include "services/store_fwd.hpp"
#include "services/ticket_events_bus.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

class TicketHook {
 public:
  virtual ~TicketHook() = default;
  virtual Result<void> on_change(store::Connection& c, TicketChange& change, const Catalog& catalog,
                                 Millis now) = 0;
  // Called just before a new ticket's INSERT (it has no id yet): a hook may set derived fields
  // there, so that on_change finds them stored and need not UPDATE the row it just wrote.
  virtual Result<void> before_insert(store::Connection& c, Ticket& ticket, const Catalog& catalog,
                                     Millis now) {
    (void)c, (void)ticket, (void)catalog, (void)now;
    return {};
  }
};

// Triage (services/triage_service) for a new ticket made by TicketsService::create, before its
// write: the confident predictions of the fields an admin set to apply are set on the ticket
// there, off the writer thread, so that the ticket is stored with them (no job, no second write).
// Tickets other commands create (mail, chat, inbound sources) are triaged by a job instead.
struct TriageSet {
  std::string field;  // department, type, priority or tags
  std::string value;  // as the history records it: a department's id, "incident", "high", a tag
};
class CreateTriage {
 public:
  virtual ~CreateTriage() = default;
  // Sets on `ticket` (not stored yet) each confident prediction where nobody chose, and answers
  // what it set; nothing (no value) when triage was not done here: no field applies, or a model
  // could not be loaded (the ticket's triage job does it then).
  virtual std::optional<std::vector<TriageSet>> triage_new(const Catalog& catalog, Ticket& ticket,
                                                           std::string_view body) = 0;
};

// Automatic assignment, inside the write of a ticket command.
class Assigner {
 public:
  virtual ~Assigner() = default;
  // Picks an agent for `ticket`, which is in a department and has no assignee; `why` (ticket
  // created, moved to the department, ...) ends the reason recorded in the history.
  // `mode` (a trigger's strategy) replaces the department's own.
  virtual Result<std::optional<AssignmentChoice>> assign(
      store::Connection& c, const Ticket& ticket, std::string_view why,
      std::optional<AssignmentMode> mode = std::nullopt) = 0;
  // One of the agent's unsolved tickets was solved, closed or given to someone else in this
  // write: waiting tickets may now be picked up (enqueued as a job in the same write).
  virtual Result<void> on_load_drop(store::Connection& c, std::int64_t agent_id, Millis now) = 0;
};

// Runs the triggers on a change before it is stored: field changes land in `after`; notes and
// replies to add, the actions that reach beyond the ticket (mail, notify, webhook) and the rules
// that fired come back, to be carried out once the ticket is stored (inside the same write).
struct TriggerEffect {
  std::string rule;  // the trigger's (or automation's) name
  std::size_t index = 0;
  Action action;  // send_mail, notify or webhook
};
struct TriggerOutcome {
  std::vector<std::string> fired;    // rule names, in firing order
  std::vector<std::string> notes;    // internal notes to add: templates, rendered once stored
  std::vector<std::string> replies;  // public replies (a macro's), mailed to the requester
  std::vector<TriggerEffect> effects;
  // An "assign by strategy" action (the last one wins) and the rule that asked for it.
  std::optional<AssignmentMode> assign_mode;
  std::string assign_rule;
  std::string via = "rule";  // the history's "via" for what this outcome records
};
// A new ticket's rules, evaluated before its write so that the writer thread need not: valid
// while the rules are the ones it was evaluated against (`rules`), which run_create checks.
struct TriggerPreview {
  std::shared_ptr<const void> rules;
  RuleEvaluation evaluation;
};
class TriggerRunner {
 public:
  virtual ~TriggerRunner() = default;
  // Evaluates the rules for a new ticket and its first message, off the writer. Nothing when
  // the rules are not loaded yet, or read a fact only the write knows (the requester's
  // organization); run_create then evaluates them itself.
  virtual std::optional<TriggerPreview> preview_create(const Catalog& catalog, const Ticket& ticket,
                                                       const Message& message) {
    (void)catalog, (void)ticket, (void)message;
    return std::nullopt;
  }
  // run() for a new ticket, using `preview` when it still holds.
  virtual Result<TriggerOutcome> run_create(store::Connection& c, const Catalog& catalog,
                                            Ticket& ticket, const Message& message, Millis now,
                                            const TriggerPreview* preview) {
    (void)preview;
    return run(c, catalog, nullptr, ticket, &message, now);
  }
  // `before` is null for a new ticket. `update_type` is "create" or "update" when empty; a timer
  // passes its own ("sla_warning", "sla_breach") with `extra` facts (sla.metric).
  virtual Result<TriggerOutcome> run(store::Connection& c, const Catalog& catalog,
                                     const Ticket* before, Ticket& after, const Message* message,
                                     Millis now, std::string_view update_type = {},
                                     const FactMap* extra = nullptr) = 0;
  // Carries out `outcome.effects` for the stored `ticket`; `change_key` names this change
  // uniquely (so a webhook job is enqueued once per change).
  virtual Result<void> carry_out(store::Connection& c, const Catalog& catalog, const Ticket& ticket,
                                 const TriggerOutcome& outcome, std::string_view change_key,
                                 Millis now) = 0;
};

}  // namespace gongdan::services
