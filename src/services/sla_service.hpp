// SLA on tickets: business calendars and ordered policies (admins; the declared resources of
// services/sla_resources.hpp), the policy chosen for each ticket, its due times, and the
// warning and breach timers. The clock itself is the pure domain/sla_clock: this service keeps each
// ticket's clock events (created, paused, resumed, replies, solved, reopened, policy changed),
// recomputes the status inside every ticket command (a TicketHook), stores the due times on the
// ticket and schedules timer jobs at the warning and due instants. A timer that finds its metric
// breached (or about to be) records it in the ticket's history and enqueues sla.warning /
// sla.breach webhooks. Settings are cached; with no policy configured a ticket command costs
// nothing extra.
#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "domain/business_calendar.hpp"
#include "domain/sla_clock.hpp"
#include "services/directory.hpp"
#include "services/job_queue.hpp"
#include "services/principal.hpp"
#include "services/resource_service.hpp"
#include "services/shared_cache.hpp"
#include "services/store_fwd.hpp"
#include "services/ticket_hooks.hpp"
#include "services/webhooks_service.hpp"

namespace gongdan::services {

// A warning or breach instant of one ticket's running metric.
struct SlaTimer {
  std::int64_t ticket_id = 0;
  Millis at = 0;
  SlaMetric metric = SlaMetric::kResolution;
  bool breach = false;
  Millis due_at = 0;
};

class SlaService final : public TicketHook {
 public:
  SlaService(store::Database& db, const Clock& clock, Directory& directory, JobQueue& jobs,
             WebhooksService& webhooks);
  ~SlaService() override;

  // Declares the `calendars` and `sla-policies` resources with their checks
  // (services/sla_resources.hpp).
  void add_to(Resources& resources);

  Result<void> on_change(store::Connection& c, TicketChange& change, const Catalog& catalog,
                         Millis now) override;
  // A new ticket gets its policy and due times in its INSERT (on_change then finds them set).
  Result<void> before_insert(store::Connection& c, Ticket& ticket, const Catalog& catalog,
                             Millis now) override;
  // The business calendar of the ticket's SLA policy (null: no policy, or around the clock).
  Result<std::shared_ptr<const BusinessCalendar>> ticket_calendar(store::Connection& c,
                                                                  const Ticket& ticket);
  // Called inside the timer's write when a warning or breach is recorded ("warning" or
  // "breach", the metric, the timer's key): the triggers' escalation runs there.
  using Escalation =
      std::function<Result<void>(store::Connection&, std::int64_t ticket_id, std::string_view kind,
                                 std::string_view metric, std::string_view key)>;
  void set_escalation(Escalation escalation) { escalation_ = std::move(escalation); }
  // The timer job: records the warning or breach when it is still true.
  Result<void> run_timer(std::string_view payload, std::string_view key);
  // The job of several tickets' timers: runs those due and queues the rest one by one.
  Result<void> run_timers(std::string_view payload);

  struct Entry;
  struct Config;
  struct Plan;

 private:
  // The clock events `change` adds and the status they leave (nothing: no policy applies).
  Result<std::optional<Plan>> plan(store::Connection& c, const Ticket& t, bool created,
                                   const Message* message, Millis now);
  Result<std::shared_ptr<const Config>> config(store::Connection& c);
  // Leaves a timer for the end of the write's group-commit batch, which queues the batch's
  // timers as one job (queue_timers).
  Result<void> add_timer(store::Connection& c, SlaTimer timer);
  // Jobs for the timers a batch's ticket commands left (see kSlaTimersJob).
  Result<void> queue_timers(store::Connection& c, std::vector<SlaTimer> timers);
  // Records the timer's warning or breach if it still holds, and queues the ticket's next one.
  // `at_given`: the job carried its instant (jobs queued before timers did, did not).
  Result<void> fire(const SlaTimer& timer, bool at_given, std::string_view key);

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  JobQueue& jobs_;
  WebhooksService& webhooks_;
  Escalation escalation_;
  SharedCache<Config> config_{directory_.settings_version()};
  struct Timers;  // the batch's timers (store/batch_items.hpp), kept out of this header
  std::unique_ptr<Timers> timers_;
};

}  // namespace gongdan::services
