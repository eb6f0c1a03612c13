// Changes the system makes to a ticket on its own (timers), as one ticket command inside the
// timer's write: the same history, counters, hooks and live event as an agent's change.
#include "services/ticket_write.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"

namespace gongdan::services {

Result<void> TicketsService::system_change(store::Connection& c, std::int64_t ticket_id,
                                           std::string_view update_type, const FactMap& extra,
                                           std::string_view change_key, const SystemDecide& decide,
                                           const Message* message) {
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  GONGDAN_ASSIGN(auto found, store::find_ticket(c, ticket_id));
  if (!found || found->merged_into) return {};
  const Ticket before = *found;
  Ticket after = before;
  const Millis now = clock_.now_ms();
  TriggerOutcome decided;
  if (decide) {
    GONGDAN_ASSIGN(decided, decide(*catalog, before, after));
  }
  TriggerOutcome triggered;
  if (triggers_) {
    GONGDAN_ASSIGN(triggered,
                   triggers_->run(c, *catalog, &before, after, message, now, update_type, &extra));
  }
  // A rule may name an agent who has left since it was saved: keep the assignee then.
  if (after.assignee_id != before.assignee_id && after.assignee_id) {
    GONGDAN_ASSIGN(auto agent, store::find_user(c, *after.assignee_id));
    if (!agent || !agent->active || !is_agent_role(agent->role) || agent->role == Role::kLightAgent)
      after.assignee_id = before.assignee_id;
  }
  // An escalation may reassign by a strategy (a trigger's, else the automation's own).
  GONGDAN_ASSIGN(auto assigned,
                 auto_assign(c, after, triggered.assign_mode ? triggered : decided, false, ""));
  const bool fields = after.subject != before.subject || after.status_id != before.status_id ||
                      after.priority != before.priority || after.type != before.type ||
                      after.department_id != before.department_id ||
                      after.assignee_id != before.assignee_id || after.tags != before.tags;
  const bool messages = !decided.notes.empty() || !decided.replies.empty() ||
                        !triggered.notes.empty() || !triggered.replies.empty();
  if (decided.fired.empty() && triggered.fired.empty() && !fields) return {};
  const Principal system = Principal::system();
  TicketWrite w{c, *catalog, system, now, decided.via, db_, &hooks_};
  Ticket saved = before;
  if (fields || messages) {
    GONGDAN_ASSIGN(saved, w.save(before, after));
  }
  if (assigned) GONGDAN_TRY(record_assignment(c, saved.id, now, *assigned, false));
  GONGDAN_TRY(record_triggers(w, saved, decided, std::string(change_key) + "-a"));
  GONGDAN_TRY(record_triggers(w, saved, triggered, std::string(change_key) + "-r"));
  if (fields || messages) GONGDAN_TRY(w.publish(events_, "ticket.updated", saved));
  return {};
}

Result<Ticket> TicketsService::run_creation_triggers(store::Connection& c, const Ticket& created,
                                                     const Message& first) {
  GONGDAN_TRY(system_change(c, created.id, "create", {}, "create-t" + std::to_string(created.id),
                            nullptr, &first));
  GONGDAN_ASSIGN(auto changed, store::find_ticket(c, created.id));
  return changed ? std::move(*changed) : created;
}

}  // namespace gongdan::services
