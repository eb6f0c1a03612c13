// Time-based automations: "when a ticket has been pending for 3 business days, remind the
// customer; after 7, solve it; solved for 4 days, close it". An automation is conditions on the
// ticket (the trigger conditions, without the ones about a change), a delay after an anchor
// (the ticket entered its status, was created, or was last updated) and actions (those of
// triggers).
//
// Nothing scans tickets on a timer: inside every ticket command (a TicketHook) each active
// automation whose conditions hold gets one job in the durable queue at its due time (the
// job runner sleeps until the earliest run_at). When the job runs it checks that the anchor has
// not moved and the conditions still hold, then fires once (automation_fired) as a system change
// of the ticket. Business units use the ticket's calendar (its SLA policy's), or count plain
// days when the ticket has none. The automations themselves are the declared resource
// `automations` (services/rule_resources.hpp); saving one queues a one-off pass over the open
// tickets, in pages, so tickets that already wait are scheduled too.
#pragma once

#include <memory>
#include <mutex>

#include "domain/rule_set.hpp"
#include "domain/status_since.hpp"
#include "domain/stored_rule.hpp"
#include "services/automation_actions.hpp"
#include "services/job_queue.hpp"
#include "services/principal.hpp"
#include "services/resource_service.hpp"
#include "services/shared_cache.hpp"
#include "services/sla_service.hpp"
#include "services/ticket_hooks.hpp"
#include "services/tickets_service.hpp"

namespace gongdan::services {

class AutomationsService final : public TicketHook {
 public:
  AutomationsService(store::Database& db, const Clock& clock, Directory& directory, JobQueue& jobs,
                     TicketsService& tickets, SlaService& sla, AutomationActions& actions)
      : db_(db),
        clock_(clock),
        directory_(directory),
        jobs_(jobs),
        tickets_(tickets),
        sla_(sla),
        actions_(actions) {}

  // Declares the `automations` resource with its checks and its scan of open tickets.
  void add_to(Resources& resources);

  Result<void> on_change(store::Connection& c, TicketChange& change, const Catalog& catalog,
                         Millis now) override;
  // The jobs: fire one automation on one ticket; schedule one page of open tickets.
  Result<void> run(std::string_view payload);
  Result<void> scan(std::string_view payload);

  struct Compiled;
  struct Entry;

 private:
  Result<std::shared_ptr<const Compiled>> compiled(store::Connection& c);
  Result<void> schedule(store::Connection& c, const Entry& e, const Ticket& t,
                        const Catalog& catalog, const StatusSince& since, Millis now);
  Result<StatusSince> status_since(store::Connection& c, const Ticket& t, Millis now);
  Result<void> queue_scan(store::Connection& c, const StoredRule& automation, Millis now);

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  JobQueue& jobs_;
  TicketsService& tickets_;
  SlaService& sla_;
  AutomationActions& actions_;
  SharedCache<Compiled> compiled_{directory_.settings_version()};
};

}  // namespace gongdan::services
