// Steps shared by the ticket commands, all run inside one write: find or create the requester,
// record what changed, keep counters and the search index in step, publish after commit.
#pragma once

#include <map>
#include <optional>

#include "services/directory.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "services/ticket_events_bus.hpp"
#include "services/ticket_hooks.hpp"
#include "services/tickets_service.hpp"

namespace gongdan::services {

struct TicketWrite {
  store::Connection& c;
  const Catalog& catalog;
  const Principal& who;
  Millis now;
  std::string via;
  store::Database& db;  // its search index is kept in step
  // Run inside this write by publish(); may be null.
  const std::vector<TicketHook*>* hooks = nullptr;
  // The saved views read inside this write, when the catalog's were out of date.
  std::optional<std::vector<SavedView>> fresh_views = std::nullopt;
  // Told by save() when an agent's load of unsolved tickets drops; may be null.
  Assigner* assigner = nullptr;
  // Public replies by agents recorded by event() ("message"), as (ticket id, author): save()
  // adds them to the report rollups before the field changes, in the history's order.
  std::vector<std::pair<std::int64_t, std::int64_t>> agent_replies = {};
  // A new ticket triaged before its write: publish() tells the hooks (TicketChange::triaged).
  bool triaged = false;

  // The saved views that count this write's tickets.
  Result<const std::vector<SavedView>*> views();

  // Finds the contact by any of their emails, or creates a customer (joined to the
  // organization whose domain matches).
  struct Person {
    std::int64_t id = 0;
    std::optional<std::int64_t> organization_id;
    std::optional<User> user;  // when the lookup read it whole (the answer needs it)
  };
  Result<Person> resolve_requester(const Requester& requester);
  Result<std::optional<std::int64_t>> organization_of(std::int64_t user_id);
  // Writes `after` over `before` (version checked), with events, counters and index.
  Result<Ticket> save(const Ticket& before, Ticket after);
  // Takes a ticket about to be deleted out of the counters and the index (the caller deletes
  // its rows and unindexes its messages).
  Result<void> remove(const Ticket& ticket);
  // Inserts a new ticket with its counters, index and "created" event. `subject_index` is
  // search::index_text(subject), prepared before the write so the single writer thread does
  // not spend its time on Unicode normalisation; empty means "compute it here". `triage_changes`:
  // what triage set on it before the write (TicketsService::triage_record), kept in the "created"
  // row.
  Result<Ticket> insert(Ticket ticket, std::string subject_index = {},
                        std::optional<std::string> triage_changes = std::nullopt);
  Result<Message> add_message(Ticket& ticket, Message message, bool count_as_response,
                              std::string body_index = {});
  // What changing `before` into `after` (and this write's agent replies to it) adds to the
  // report rollups.
  Result<void> add_rollups(const Ticket& before, const Ticket& after,
                           std::map<std::string, std::int64_t>& deltas);
  Result<void> event(std::int64_t ticket_id, std::string_view field,
                     std::optional<std::string> old_value, std::optional<std::string> new_value);
  // Runs the hooks (their work commits with this write; `ticket` gets the derived fields they
  // set) and publishes the change after commit.
  // A ticket created in this write has no followers yet: `new_ticket` skips looking them up.
  Result<void> publish(TicketEventBus& bus, std::string type, Ticket& ticket,
                       std::optional<Message> message = std::nullopt, bool new_ticket = false);
};

// Records an automatic assignment and why (`reason`, else the choice's) in the ticket's history,
// via "assignment"; with `with_assignee_event` also the assignee it set.
Result<void> record_assignment(store::Connection& c, std::int64_t ticket_id, Millis now,
                               const AssignmentChoice& choice, bool with_assignee_event,
                               std::string reason = {});

// Validates and applies `changes` to a copy of `ticket`; checks what the viewer may change.
Result<Ticket> apply_changes(const Catalog& catalog, const Viewer& viewer, const Ticket& ticket,
                             const TicketChanges& changes, Millis now);
// Sets the status and the times that follow from its category (solved_at).
void set_status(Ticket& ticket, const Status& status, Millis now);
std::string tags_text(const std::vector<std::string>& tags);

}  // namespace gongdan::services
