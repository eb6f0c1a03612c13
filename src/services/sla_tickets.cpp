// The SLA clock inside ticket commands, and the warning / breach timers.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <tuple>

#include "domain/report_rollup.hpp"
#include "services/catalog/catalog_resources.hpp"
#include "services/job_kinds.hpp"
#include "services/resource_load.hpp"
#include "services/sla_config.hpp"
#include "store/catalog_store.hpp"
#include "store/messages_store.hpp"
#include "store/sla_store.hpp"
#include "store/tickets_store.hpp"
#include "util/enum_names.hpp"

namespace gongdan::services {
namespace {

bool pausing_category(StatusCategory c) {
  return c == StatusCategory::kPending || c == StatusCategory::kOnHold;
}

std::optional<SlaEventKind> sla_kind(std::string_view k) {
  static constexpr Named<SlaEventKind> kKinds[] = {
      {SlaEventKind::kCreated, "created"},
      {SlaEventKind::kPaused, "paused"},
      {SlaEventKind::kResumed, "resumed"},
      {SlaEventKind::kAgentPublicReply, "agent_reply"},
      {SlaEventKind::kCustomerReply, "customer_reply"},
      {SlaEventKind::kSolved, "solved"},
      {SlaEventKind::kReopened, "reopened"},
      {SlaEventKind::kPolicyChanged, "policy_changed"}};
  return value_in(kKinds, k);
}

std::string_view metric_name(SlaMetric m) {
  static constexpr Named<SlaMetric> kMetrics[] = {{SlaMetric::kFirstResponse, "first_response"},
                                                  {SlaMetric::kNextResponse, "next_response"},
                                                  {SlaMetric::kResolution, "resolution"}};
  return name_in(kMetrics, m, "resolution");
}

const SlaMetricStatus& metric_of(const SlaStatus& s, SlaMetric m) {
  switch (m) {
    case SlaMetric::kFirstResponse:
      return s.first_response;
    case SlaMetric::kNextResponse:
      return s.next_response;
    case SlaMetric::kResolution:
      return s.resolution;
  }
  return s.resolution;
}

// The clock state the stored events leave behind.
struct ClockState {
  std::optional<std::int64_t> policy_id;
  bool paused = false;
  bool solved = false;
};

ClockState replay(const std::vector<store::SlaEventRow>& rows) {
  ClockState s;
  for (const auto& r : rows) {
    if (r.kind == "created" || r.kind == "policy_changed") s.policy_id = r.policy_id;
    if (r.kind == "paused") s.paused = true;
    if (r.kind == "resumed" || r.kind == "reopened") s.paused = false;
    if (r.kind == "solved") s.solved = true;
    if (r.kind == "reopened") s.solved = false;
  }
  return s;
}

struct Computed {
  const SlaService::Entry* entry = nullptr;  // the policy in force
  SlaStatus status;
};

// compute_sla over the stored events, with targets from the current settings. Nothing when the
// ticket's first policy no longer exists.
Result<std::optional<Computed>> compute_ticket_sla(const SlaService::Config& cfg,
                                                   const std::vector<store::SlaEventRow>& rows,
                                                   Millis now) {
  if (rows.empty() || rows.front().kind != "created" || !rows.front().policy_id)
    return std::optional<Computed>{};
  const auto* first = cfg.find(*rows.front().policy_id);
  if (!first) return std::optional<Computed>{};
  const SlaService::Entry* current = first;
  std::vector<SlaEvent> events;
  for (const auto& r : rows) {
    auto kind = sla_kind(r.kind);
    if (!kind) continue;
    SlaEvent e{r.at, *kind, std::nullopt};
    if (*kind == SlaEventKind::kPolicyChanged) {
      const auto* next = r.policy_id ? cfg.find(*r.policy_id) : nullptr;
      if (!next) continue;
      e.policy = next->policy;
      current = next;
    }
    events.push_back(std::move(e));
  }
  SlaClockOptions options;
  if (current->policy.warning_minutes)
    options.warning_lead = *current->policy.warning_minutes * 60'000;
  GONGDAN_ASSIGN(auto status, compute_sla(*current->calendar, first->policy, events, now, options));
  return std::optional<Computed>(Computed{current, std::move(status)});
}

// A ticket created under a policy, with no clock event stored since: its clock started at
// creation under that policy (on_change leaves that first event implied).
std::optional<store::SlaEventRow> implied_start(const Ticket& t,
                                                const std::vector<store::SlaEventRow>& rows) {
  if (!rows.empty() || !t.sla_policy_id) return std::nullopt;
  return store::SlaEventRow{t.created_at, "created", t.sla_policy_id};
}

std::optional<Millis> running_due(const SlaMetricStatus& m) {
  if (m.state != SlaMetricState::kRunning) return std::nullopt;
  return m.due_at;
}

}  // namespace

struct SlaService::Plan {
  std::shared_ptr<const Config> cfg;
  std::vector<store::SlaEventRow> added;  // clock events to store
  const Entry* entry = nullptr;           // the policy in force
  SlaStatus status;
  // The status before the change, when it may have met a target (a reply, a solve).
  std::optional<SlaStatus> before;
};

namespace {

auto timer_order(const SlaTimer& t) {
  return std::tuple(t.at, static_cast<int>(t.metric), t.breach);
}

// Every stop of the running metrics, sorted; with `first_only`, one a metric (its warning, else
// its breach) and none for a metric already breached.
std::vector<SlaTimer> timer_stops(std::int64_t ticket_id, const SlaStatus& s, bool warnings,
                                  bool first_only) {
  std::vector<SlaTimer> out;
  for (auto metric :
       {SlaMetric::kFirstResponse, SlaMetric::kNextResponse, SlaMetric::kResolution}) {
    const auto& m = metric_of(s, metric);
    if (m.state != SlaMetricState::kRunning || !m.due_at) continue;
    if (first_only && m.breached()) continue;
    const bool warn = warnings && m.warning_at && *m.warning_at < *m.due_at;
    if (warn) out.push_back({ticket_id, *m.warning_at, metric, false, *m.due_at});
    if (!warn || !first_only) out.push_back({ticket_id, *m.due_at, metric, true, *m.due_at});
  }
  std::ranges::sort(out, {}, timer_order);
  return out;
}

std::string timer_key(const SlaTimer& t) {
  return fmt::format("sla-t{}-{}-{}-{}", t.ticket_id, metric_name(t.metric),
                     t.breach ? "breach" : "warning", t.due_at);
}

boost::json::object timer_json(const SlaTimer& t) {
  return {{"ticket_id", t.ticket_id},
          {"metric", metric_name(t.metric)},
          {"kind", t.breach ? "breach" : "warning"},
          {"due_at", t.due_at},
          {"at", t.at}};
}

NewJob timer_job(const SlaTimer& t) {
  NewJob job;
  job.kind = std::string(kSlaTimerJob);
  job.run_at = t.at;
  job.idempotency_key = timer_key(t);
  job.payload = boost::json::serialize(timer_json(t));
  return job;
}

// A timer job's payload; `at_given` tells whether it carried its instant.
std::optional<SlaTimer> parse_timer(const boost::json::value& v, bool& at_given) {
  const auto* o = v.if_object();
  if (!o || !o->contains("ticket_id") || !o->contains("metric") || !o->contains("kind") ||
      !o->contains("due_at") || !o->at("ticket_id").is_int64() || !o->at("due_at").is_int64() ||
      !o->at("metric").is_string() || !o->at("kind").is_string())
    return std::nullopt;
  SlaTimer t;
  t.ticket_id = o->at("ticket_id").as_int64();
  t.due_at = o->at("due_at").as_int64();
  const auto& metric = o->at("metric").as_string();
  t.metric = metric == "first_response"  ? SlaMetric::kFirstResponse
             : metric == "next_response" ? SlaMetric::kNextResponse
                                         : SlaMetric::kResolution;
  t.breach = o->at("kind").as_string() == "breach";
  at_given = o->contains("at") && o->at("at").is_int64();
  t.at = at_given ? o->at("at").as_int64() : t.due_at;
  return t;
}

// An SLA outcome in the report rollups, with the ticket's dimensions now (docs/metrics.md).
void add_sla_rollup(store::Connection& c, const Ticket& t, const Catalog& catalog,
                    std::string_view metric, bool met, Millis now) {
  if (!rollups_kept()) return;
  RollupDeltas deltas;
  rollup_sla(report_state_of(t, select_field_keys(catalog.fields)), metric, met, now, deltas);
  for (const auto& [key, delta] : deltas) c.add_count(key, delta);
}

// The targets this change met in time (running or paused before, met now without a breach),
// in the history and the rollups; breaches are recorded by their timers.
Result<void> record_met(store::Connection& c, const Ticket& t, const Catalog& catalog,
                        const SlaStatus& before, const SlaStatus& after, Millis now) {
  for (auto metric :
       {SlaMetric::kFirstResponse, SlaMetric::kNextResponse, SlaMetric::kResolution}) {
    const auto& was = metric_of(before, metric);
    const auto& is = metric_of(after, metric);
    const bool started =
        was.state == SlaMetricState::kRunning || was.state == SlaMetricState::kPaused;
    if (!started || is.state != SlaMetricState::kMet || is.breached() || !is.target) continue;
    TicketEvent e;
    e.ticket_id = t.id;
    e.at = now;
    e.via = "sla";
    e.field = "sla_met";
    e.new_value = std::string(metric_name(metric));
    GONGDAN_TRY(store::insert_event(c, e));
    add_sla_rollup(c, t, catalog, *e.new_value, true, now);
  }
  return {};
}

}  // namespace

Result<std::optional<SlaService::Plan>> SlaService::plan(store::Connection& c, const Ticket& t,
                                                         bool created, const Message* message,
                                                         Millis now) {
  GONGDAN_ASSIGN(auto cfg, config(c));
  if (cfg->policies.empty() || (created && !cfg->any_active)) return std::optional<Plan>{};

  // The policy the ticket matches now: the first active one whose conditions all hold.
  std::optional<std::string> tier;
  if (cfg->uses_tier && t.organization_id) {
    GONGDAN_ASSIGN(auto org, load_one(c, organization_resource(), *t.organization_id));
    if (org) tier = org->tier;
  }
  const Entry* match = nullptr;
  for (const auto& e : cfg->policies) {
    if (e.policy.active && e.conditions.matches(t, tier)) {
      match = &e;
      break;
    }
  }

  std::vector<store::SlaEventRow> rows;
  std::vector<store::SlaEventRow> added;
  std::size_t in_rows = 0;  // how many of `added` are in `rows` already
  if (!created) {
    GONGDAN_ASSIGN(rows, store::list_sla_events(c, t.id));
    // A clock whose only event is its start is not stored (see below): store it now.
    if (auto start = implied_start(t, rows)) {
      rows.push_back(*start);
      added.push_back(*start);
      in_rows = 1;
    }
  }
  ClockState state;
  if (rows.empty()) {
    // The first policy a ticket matches starts its clock at the ticket's creation: the customer
    // has been waiting since then.
    if (!match) return std::optional<Plan>{};
    added.push_back({t.created_at, "created", match->policy.id});
    state.policy_id = match->policy.id;
  } else {
    state = replay(rows);
  }
  if (!created && message && !message->internal) {
    const bool customer = message->author_id == t.requester_id;
    added.push_back({now, customer ? "customer_reply" : "agent_reply", std::nullopt});
  }
  const bool unsolved = is_unsolved(t.category);
  if (state.solved && unsolved) {
    added.push_back({now, "reopened", std::nullopt});
    state.paused = false;
  } else if (!state.solved && !unsolved) {
    added.push_back({now, "solved", std::nullopt});
  }
  if (unsolved && pausing_category(t.category) != state.paused)
    added.push_back({now, state.paused ? "resumed" : "paused", std::nullopt});
  if (match && match->policy.id != state.policy_id)
    added.push_back({now, "policy_changed", match->policy.id});
  // Only a reply or a solve meets a target; the status before it tells which it met.
  std::optional<SlaStatus> before;
  const bool may_meet = std::ranges::any_of(
      added, [](const auto& e) { return e.kind == "agent_reply" || e.kind == "solved"; });
  if (!created && may_meet) {
    GONGDAN_ASSIGN(auto prior, compute_ticket_sla(*cfg, rows, now));
    if (prior) before = std::move(prior->status);
  }
  rows.insert(rows.end(), added.begin() + static_cast<std::ptrdiff_t>(in_rows), added.end());
  // A new ticket whose clock just starts keeps that start implied by its row (sla_policy_id
  // and created_at): one INSERT fewer for every ticket created under a policy.
  if (created && added.size() == 1) added.clear();

  GONGDAN_ASSIGN(auto computed, compute_ticket_sla(*cfg, rows, now));
  if (!computed) return std::optional<Plan>{};
  return std::optional<Plan>(Plan{std::move(cfg), std::move(added), computed->entry,
                                  std::move(computed->status), std::move(before)});
}

namespace {
// The plan before_insert made for the ticket this thread is creating, for its on_change to use
// (the same ticket, the same instant: computing it twice is wasted writer time).
struct CreatePlanned {
  std::int64_t number = 0;
  Millis created_at = 0;
  std::optional<SlaService::Plan> plan;
};
thread_local CreatePlanned t_create_planned;
}  // namespace

Result<void> SlaService::before_insert(store::Connection& c, Ticket& t, const Catalog& catalog,
                                       Millis now) {
  (void)catalog;
  t_create_planned = {};
  GONGDAN_ASSIGN(auto planned, plan(c, t, true, nullptr, now));
  if (!planned) {
    // No policy applies: a new ticket has no SLA, whatever it was copied from (a split).
    t.sla_policy_id.reset();
    t.first_response_due_at.reset();
    t.next_response_due_at.reset();
    t.resolution_due_at.reset();
    return {};
  }
  t_create_planned = {t.number, t.created_at, planned};
  const auto& s = planned->status;
  t.sla_policy_id = planned->entry->policy.id;
  t.first_response_due_at = running_due(s.first_response);
  t.next_response_due_at = running_due(s.next_response);
  t.resolution_due_at = running_due(s.resolution);
  return {};
}

Result<void> SlaService::on_change(store::Connection& c, TicketChange& change,
                                   const Catalog& catalog, Millis now) {
  Ticket& t = change.ticket;
  const bool created = change.type == "ticket.created";
  const std::int64_t old_policy = created ? 0 : t.sla_policy_id.value_or(0);
  std::optional<Plan> planned;
  if (created && t_create_planned.plan && t_create_planned.number == t.number &&
      t_create_planned.created_at == t.created_at &&
      t.sla_policy_id == t_create_planned.plan->entry->policy.id) {
    planned = std::move(t_create_planned.plan);
  } else {
    GONGDAN_ASSIGN(planned, plan(c, t, created, change.message ? &*change.message : nullptr, now));
  }
  t_create_planned = {};
  if (!planned) return {};
  for (const auto& e : planned->added) GONGDAN_TRY(store::insert_sla_event(c, t.id, e));
  const auto& s = planned->status;
  const std::optional<std::int64_t> policy_id = planned->entry->policy.id;
  const auto fr = running_due(s.first_response);
  const auto nr = running_due(s.next_response);
  const auto rs = running_due(s.resolution);
  // A new ticket has them already (before_insert), unless a hook changed what they follow from.
  if (policy_id != t.sla_policy_id || fr != t.first_response_due_at ||
      nr != t.next_response_due_at || rs != t.resolution_due_at) {
    GONGDAN_TRY(store::set_ticket_sla(c, t.id, policy_id, fr, nr, rs));
    t.sla_policy_id = policy_id;
    t.first_response_due_at = fr;
    t.next_response_due_at = nr;
    t.resolution_due_at = rs;
  }
  if (*policy_id != old_policy) {
    const auto* before = old_policy ? planned->cfg->find(old_policy) : nullptr;
    TicketEvent e;
    e.ticket_id = t.id;
    e.at = now;
    e.via = "sla";
    e.field = "sla_policy";
    if (before) e.old_value = before->policy.name;
    e.new_value = planned->entry->policy.name;
    GONGDAN_TRY(store::insert_event(c, e));
  }
  if (planned->before) GONGDAN_TRY(record_met(c, t, catalog, *planned->before, s, now));
  // Timers at the warning and due instants of the running metrics. They run as a chain: each
  // timer, when it runs, queues the next stop (sla_timer below), so a new ticket needs only its
  // nearest one. A later change queues the first stop of every metric again, since the chain
  // may have passed a metric that has started since. A timer whose due time has moved since (a
  // pause, a reply) finds nothing to report when it runs. Jobs are unique by key.
  const bool warnings = planned->entry->policy.warning_minutes.has_value();
  auto stops = timer_stops(t.id, s, warnings, /*first_only=*/true);
  if (created && stops.size() > 1) stops.resize(1);
  for (const auto& stop : stops) GONGDAN_TRY(add_timer(c, stop));
  return {};
}

Result<std::shared_ptr<const BusinessCalendar>> SlaService::ticket_calendar(store::Connection& c,
                                                                            const Ticket& t) {
  if (!t.sla_policy_id) return std::shared_ptr<const BusinessCalendar>{};
  GONGDAN_ASSIGN(auto cfg, config(c));
  const auto* entry = cfg->find(*t.sla_policy_id);
  if (!entry || !entry->policy.calendar_id) return std::shared_ptr<const BusinessCalendar>{};
  return entry->calendar;
}

Result<void> SlaService::run_timer(std::string_view payload, std::string_view key) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(payload, ec);
  bool at_given = false;
  auto timer = ec ? std::nullopt : parse_timer(parsed, at_given);
  if (!timer) return fail(ErrorCode::kInvalidArgument, "not an SLA timer");
  return fire(*timer, at_given, key);
}

Result<void> SlaService::run_timers(std::string_view payload) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(payload, ec);
  const auto* o = ec ? nullptr : parsed.if_object();
  const auto* list = o && o->contains("timers") ? o->at("timers").if_array() : nullptr;
  if (!list) return fail(ErrorCode::kInvalidArgument, "not a list of SLA timers");
  // Each timer is its own write, as if it were its own job: a retry of the list repeats none
  // that already fired (their keys are marked) and queues no next timer twice.
  std::vector<SlaTimer> later;
  Result<void> out;
  for (const auto& v : *list) {
    bool at_given = false;
    auto timer = parse_timer(v, at_given);
    if (!timer) continue;
    if (timer->at > clock_.now_ms()) {
      later.push_back(*timer);
      continue;
    }
    if (auto done = fire(*timer, at_given, timer_key(*timer)); !done && out) out = done;
  }
  if (!later.empty()) {
    auto queued = db_.write([&](store::Connection& c) -> Result<void> {
      for (const auto& t : later) GONGDAN_TRY(jobs_.enqueue(c, timer_job(t)));
      return {};
    });
    if (!queued && out) out = queued;
  }
  return out;
}

Result<void> SlaService::queue_timers(store::Connection& c, std::vector<SlaTimer> timers) {
  std::ranges::sort(timers, {}, timer_order);
  // Timers due within a second of each other go in one job, due at the last of them: a batch's
  // new tickets under one policy share their first instant to the millisecond or so.
  constexpr Millis kSpread = 1000;
  for (std::size_t i = 0; i < timers.size();) {
    std::size_t end = i + 1;
    while (end < timers.size() && timers[end].at - timers[i].at <= kSpread) ++end;
    if (end - i == 1) {
      GONGDAN_TRY(jobs_.enqueue(c, timer_job(timers[i])));
    } else {
      boost::json::array list;
      std::string keys;
      for (std::size_t k = i; k < end; ++k) {
        list.push_back(timer_json(timers[k]));
        keys += timer_key(timers[k]);
      }
      NewJob job;
      job.kind = std::string(kSlaTimersJob);
      job.run_at = timers[end - 1].at;
      job.idempotency_key = fmt::format("sla-g{}-{}-{:016x}", timers[i].ticket_id, end - i,
                                        static_cast<std::uint64_t>(std::hash<std::string>{}(keys)));
      job.payload = boost::json::serialize(boost::json::object{{"timers", std::move(list)}});
      GONGDAN_TRY(jobs_.enqueue(c, job));
    }
    i = end;
  }
  return {};
}

Result<void> SlaService::fire(const SlaTimer& timer, bool at_given, std::string_view key) {
  const std::int64_t ticket_id = timer.ticket_id;
  const Millis due_at = timer.due_at;
  const std::string metric(metric_name(timer.metric));
  const std::string kind = timer.breach ? "breach" : "warning";
  const SlaMetric which = timer.metric;
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(store::lock_ticket_row(c, ticket_id));
    const Millis now = clock_.now_ms();
    GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, ticket_id));
    if (!ticket) return {};
    GONGDAN_ASSIGN(auto cfg, config(c));
    GONGDAN_ASSIGN(auto rows, store::list_sla_events(c, ticket_id));
    if (auto start = implied_start(*ticket, rows)) rows.push_back(*start);
    // A breach is judged just after the due time, whenever the job happens to run.
    GONGDAN_ASSIGN(
        auto computed,
        compute_ticket_sla(*cfg, rows, kind == "breach" ? std::max(now, due_at + 1) : now));
    if (!computed) return {};
    const auto& m = metric_of(computed->status, which);
    const bool fire = kind == "breach" ? m.breached_at && *m.breached_at == due_at
                                       : m.state == SlaMetricState::kRunning &&
                                             m.due_at == due_at && !m.breached();
    // The chain: queue the next stop after this one, of the stops the ticket has now. A timer
    // queued before timers carried their instant ("at") takes its metric's warning instant.
    const bool breach = kind == "breach";
    const auto lead = computed->entry->policy.warning_minutes.value_or(0) * 60'000;
    Millis at = breach ? due_at : due_at - lead;
    if (at_given)
      at = timer.at;
    else if (!breach && m.due_at == due_at && m.warning_at)
      at = *m.warning_at;
    const auto here = std::tuple(at, static_cast<int>(which), breach);
    for (const auto& stop :
         timer_stops(ticket_id, computed->status,
                     computed->entry->policy.warning_minutes.has_value(), false)) {
      const bool itself = stop.metric == which && stop.breach == breach && stop.due_at == due_at;
      if (itself || timer_order(stop) <= here) continue;
      GONGDAN_TRY(jobs_.enqueue(c, timer_job(stop)));
      break;
    }
    if (!fire) return {};
    GONGDAN_ASSIGN(bool first_time, store::mark_sla_timer_fired(c, key, now));
    if (!first_time) return {};
    TicketEvent e;
    e.ticket_id = ticket_id;
    e.at = now;
    e.via = "sla";
    e.field = kind == "breach" ? "sla_breach" : "sla_warning";
    e.new_value = metric;
    GONGDAN_TRY(store::insert_event(c, e));
    if (breach) add_sla_rollup(c, *ticket, *catalog, metric, false, now);
    GONGDAN_TRY(webhooks_.enqueue_event(c, kind == "breach" ? "sla.breach" : "sla.warning", *ticket,
                                        *catalog, fmt::format("{}-{}-{}", metric, kind, due_at),
                                        now));
    if (escalation_) GONGDAN_TRY(escalation_(c, ticket_id, kind, metric, key));
    return {};
  });
}

}  // namespace gongdan::services
