#include "services/automations_service.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "services/job_kinds.hpp"
#include "services/resource_load.hpp"
#include "services/rule_resources.hpp"
#include "services/triggers_service.hpp"
#include "store/automation_store.hpp"
#include "store/tickets_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {

struct AutomationsService::Entry {
  StoredRule automation;
  std::optional<RuleSet> rule;  // one rule: the conditions and actions
  std::int64_t amount = 0;
  std::string unit;   // minutes, hours, days, business_hours, business_days
  std::string since;  // status, created, updated
};

struct AutomationsService::Compiled {
  std::vector<Entry> entries;  // active ones, by position
  const Entry* find(std::int64_t id) const {
    for (const auto& e : entries)
      if (e.automation.id == id) return &e;
    return nullptr;
  }
};

namespace {

constexpr int kScanPage = 200;

Failure automation_error(std::string message, std::string field) {
  return fail(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}

// Conditions are judged on the ticket as it stands when the time comes: nothing about a change.
Result<void> check_timed_conditions(const std::vector<Condition>& list, std::string_view path) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& c = list[i];
    const std::string at = fmt::format("conditions.{}[{}]", path, i);
    if (c.op() == ConditionOperator::kChanged || c.op() == ConditionOperator::kChangedTo ||
        c.op() == ConditionOperator::kChangedFrom)
      return automation_error(
          "an automation looks at the ticket as it is, not at a change: use is / is_not",
          at + ".operator");
    if (c.field().starts_with("message.") || c.field() == "update_type")
      return automation_error("an automation has no message or update to look at", at + ".field");
  }
  return {};
}

Result<AutomationsService::Entry> compile_automation(const StoredRule& automation) {
  AutomationsService::Entry e;
  e.automation = automation;
  // "after": {"amount": 3, "unit": "business_days", "since": "status"}
  const auto* after = automation.after.if_object();
  if (!after)
    return automation_error(
        "expected {\"amount\": 3, \"unit\": \"business_days\", \"since\": \"status\"}", "after");
  for (const auto& kv : *after)
    if (kv.key() != "amount" && kv.key() != "unit" && kv.key() != "since")
      return automation_error(
          fmt::format("unknown key \"{}\" (allowed: \"amount\", \"unit\", \"since\")", kv.key()),
          fmt::format("after.{}", std::string_view(kv.key())));
  const auto* amount = after->if_contains("amount");
  if (!amount || !amount->is_int64() || amount->as_int64() < 1 || amount->as_int64() > 100000)
    return automation_error("a whole number from 1 to 100000", "after.amount");
  e.amount = amount->as_int64();
  const auto* unit = after->if_contains("unit");
  static constexpr std::array<std::string_view, 5> kUnits = {"minutes", "hours", "days",
                                                             "business_hours", "business_days"};
  if (!unit || !unit->is_string() || std::ranges::find(kUnits, unit->as_string()) == kUnits.end())
    return automation_error("one of minutes, hours, days, business_hours, business_days",
                            "after.unit");
  e.unit = std::string(unit->as_string());
  e.since = "status";
  if (const auto* since = after->if_contains("since")) {
    if (!since->is_string() || (since->as_string() != "status" && since->as_string() != "created" &&
                                since->as_string() != "updated"))
      return automation_error("one of status (entered its status), created, updated (last changed)",
                              "after.since");
    e.since = std::string(since->as_string());
  }
  GONGDAN_ASSIGN(auto rule,
                 to_rule(automation, fmt::format("a{}", automation.id ? automation.id : 1)));
  GONGDAN_TRY(check_timed_conditions(rule.all, "all"));
  GONGDAN_TRY(check_timed_conditions(rule.any, "any"));
  std::vector<Rule> rules;
  rules.push_back(std::move(rule));
  GONGDAN_ASSIGN(auto set, RuleSet::create(std::move(rules)));
  e.rule = std::move(set);
  return e;
}

Millis anchor_of(const AutomationsService::Entry& e, const Ticket& t, const StatusSince& since) {
  if (e.since == "created") return t.created_at;
  if (e.since == "updated") return t.updated_at;
  return since.since;
}

Millis due_of(const AutomationsService::Entry& e, Millis anchor, const BusinessCalendar* cal) {
  constexpr Millis kMinute = 60'000;
  constexpr Millis kHour = 60 * kMinute;
  constexpr Millis kDay = 24 * kHour;
  if (e.unit == "minutes") return anchor + e.amount * kMinute;
  if (e.unit == "hours") return anchor + e.amount * kHour;
  if (e.unit == "business_hours")
    return cal ? cal->add_business_time(anchor, e.amount * kHour) : anchor + e.amount * kHour;
  if (e.unit == "business_days")
    return cal ? cal->add_business_days(anchor, static_cast<int>(e.amount))
               : anchor + e.amount * kDay;
  return anchor + e.amount * kDay;
}

bool conditions_hold(const AutomationsService::Entry& e, const FactMap& facts) {
  return !e.rule->evaluate(facts, facts).fired_rules.empty();
}

}  // namespace

Result<std::shared_ptr<const AutomationsService::Compiled>> AutomationsService::compiled(
    store::Connection& c) {
  return compiled_.get([&]() -> Result<std::shared_ptr<const Compiled>> {
    GONGDAN_ASSIGN(auto automations, load_all(c, automation_resource()));
    auto out = std::make_shared<Compiled>();
    for (const auto& automation : automations) {
      if (!automation.active) continue;
      auto entry = compile_automation(automation);
      if (entry) out->entries.push_back(std::move(*entry));  // validated when saved
    }
    return std::shared_ptr<const Compiled>{out};
  });
}

Result<StatusSince> AutomationsService::status_since(store::Connection& c, const Ticket& t,
                                                     Millis now) {
  GONGDAN_ASSIGN(auto row, store::find_status_since(c, t.id));
  if (row && row->status_id == t.status_id) return *row;
  // A ticket we have not seen yet: it has been in its status at least since its last change.
  StatusSince since{t.status_id, row ? now : (t.version <= 1 ? t.created_at : t.updated_at)};
  GONGDAN_TRY(store::save_status_since(c, t.id, since));
  return since;
}

Result<void> AutomationsService::schedule(store::Connection& c, const Entry& e, const Ticket& t,
                                          const Catalog& catalog, const StatusSince& since,
                                          Millis now) {
  (void)catalog;
  const Millis anchor = anchor_of(e, t, since);
  std::shared_ptr<const BusinessCalendar> cal;
  if (e.unit.starts_with("business_")) {
    GONGDAN_ASSIGN(cal, sla_.ticket_calendar(c, t));
  }
  const Millis due = due_of(e, anchor, cal.get());
  NewJob job;
  job.kind = std::string(kAutomationJob);
  job.run_at = std::max(due, now);
  job.idempotency_key = fmt::format("auto{}-t{}-a{}-d{}", e.automation.id, t.id, anchor, due);
  job.payload = boost::json::serialize(boost::json::object{
      {"automation_id", e.automation.id}, {"ticket_id", t.id}, {"anchor", anchor}, {"due", due}});
  GONGDAN_TRY(jobs_.enqueue(c, job));
  return {};
}

Result<void> AutomationsService::on_change(store::Connection& c, TicketChange& change,
                                           const Catalog& catalog, Millis now) {
  GONGDAN_ASSIGN(auto cfg, compiled(c));
  if (cfg->entries.empty()) return {};
  const Ticket& t = change.ticket;
  GONGDAN_ASSIGN(auto since, status_since(c, t, now));
  if (t.category == StatusCategory::kClosed || t.merged_into) return {};
  const FactMap facts = ticket_facts(t, catalog, nullptr, "update");
  for (const auto& e : cfg->entries)
    if (conditions_hold(e, facts)) GONGDAN_TRY(schedule(c, e, t, catalog, since, now));
  return {};
}

Result<void> AutomationsService::run(std::string_view payload) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(payload, ec);
  const auto* o = ec ? nullptr : parsed.if_object();
  auto int_of = [&](std::string_view k) -> std::optional<std::int64_t> {
    if (!o || !o->contains(k) || !o->at(k).is_int64()) return std::nullopt;
    return o->at(k).as_int64();
  };
  const auto aid = int_of("automation_id");
  const auto tid = int_of("ticket_id");
  const auto anchor = int_of("anchor");
  if (!aid || !tid || !anchor) return fail(ErrorCode::kInvalidArgument, "not an automation job");
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  return db_.write([&](store::Connection& c) -> Result<void> {
    const Millis now = clock_.now_ms();
    GONGDAN_ASSIGN(auto cfg, compiled(c));
    const Entry* e = cfg->find(*aid);
    if (!e) return {};  // deleted or switched off since
    GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, *tid));
    if (!ticket || ticket->merged_into || ticket->category == StatusCategory::kClosed) return {};
    GONGDAN_ASSIGN(auto since, status_since(c, *ticket, now));
    // The anchor moved (the ticket changed status, say): a newer job is queued for it.
    if (anchor_of(*e, *ticket, since) != *anchor) return {};
    std::shared_ptr<const BusinessCalendar> cal;
    if (e->unit.starts_with("business_")) {
      GONGDAN_ASSIGN(cal, sla_.ticket_calendar(c, *ticket));
    }
    // The automation's delay or the ticket's calendar changed since this job was queued.
    if (due_of(*e, *anchor, cal.get()) > now + 1000)
      return schedule(c, *e, *ticket, *catalog, since, now);
    const std::string key = fmt::format("auto{}-t{}-a{}", e->automation.id, ticket->id, *anchor);
    return tickets_.system_change(
        c, ticket->id, "automation", {}, key,
        [&](const Catalog& cat, const Ticket&, Ticket& after) -> Result<TriggerOutcome> {
          TriggerOutcome out;
          out.via = "automation";
          const FactMap facts = ticket_facts(after, cat, nullptr, "update");
          const auto eval = e->rule->evaluate(facts, facts);
          if (eval.fired_rules.empty()) return out;
          GONGDAN_ASSIGN(bool first, store::mark_automation_fired(c, key, now));
          if (!first) return out;
          out.fired.push_back(e->automation.name);
          apply_fact_changes(eval.changed_facts, cat, after, now);
          for (const auto& fired : eval.actions)
            GONGDAN_TRY(collect_action(c, cat, &actions_, e->automation.name, fired.action, after,
                                       now, out));
          return out;
        });
  });
}

Result<void> AutomationsService::scan(std::string_view payload) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(payload, ec);
  const auto* o = ec ? nullptr : parsed.if_object();
  if (!o || !o->contains("automation_id") || !o->contains("after_id") || !o->contains("version") ||
      !o->at("automation_id").is_int64() || !o->at("after_id").is_int64() ||
      !o->at("version").is_int64())
    return fail(ErrorCode::kInvalidArgument, "not an automation scan job");
  const std::int64_t aid = o->at("automation_id").as_int64();
  const std::int64_t after_id = o->at("after_id").as_int64();
  const std::int64_t version = o->at("version").as_int64();
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  return db_.write([&](store::Connection& c) -> Result<void> {
    const Millis now = clock_.now_ms();
    GONGDAN_ASSIGN(auto cfg, compiled(c));
    const Entry* e = cfg->find(aid);
    if (!e || e->automation.updated_at != version) return {};  // changed again: a newer scan runs
    GONGDAN_ASSIGN(auto ids, store::ticket_ids_after(c, after_id, kScanPage));
    for (auto id : ids) {
      GONGDAN_ASSIGN(auto t, store::find_ticket(c, id));
      if (!t) continue;
      if (!conditions_hold(*e, ticket_facts(*t, *catalog, nullptr, "update"))) continue;
      GONGDAN_ASSIGN(auto since, status_since(c, *t, now));
      GONGDAN_TRY(schedule(c, *e, *t, *catalog, since, now));
    }
    if (static_cast<int>(ids.size()) < kScanPage) return {};
    NewJob next;
    next.kind = std::string(kAutomationScanJob);
    next.run_at = now;
    next.idempotency_key = fmt::format("autoscan{}-v{}-{}", aid, version, ids.back());
    next.payload = boost::json::serialize(boost::json::object{
        {"automation_id", aid}, {"after_id", ids.back()}, {"version", version}});
    GONGDAN_TRY(jobs_.enqueue(c, next));
    return {};
  });
}

Result<void> AutomationsService::queue_scan(store::Connection& c, const StoredRule& automation,
                                            Millis now) {
  if (!automation.active) return {};
  NewJob job;
  job.kind = std::string(kAutomationScanJob);
  job.run_at = now;
  job.idempotency_key = fmt::format("autoscan{}-v{}-0", automation.id, automation.updated_at);
  job.payload = boost::json::serialize(boost::json::object{
      {"automation_id", automation.id}, {"after_id", 0}, {"version", automation.updated_at}});
  GONGDAN_TRY(jobs_.enqueue(c, job));
  return {};
}

void AutomationsService::add_to(Resources& resources) {
  Hooks<StoredRule> hooks;
  hooks.check = [this](store::Connection& c, const Principal&, StoredRule& automation,
                       const StoredRule* before) -> Result<void> {
    // Each change gets its own one-off scan, keyed by updated_at: two changes within one
    // millisecond (or on a test clock that stands still) must not share it.
    if (before && automation.updated_at <= before->updated_at)
      automation.updated_at = before->updated_at + 1;
    GONGDAN_TRY(compile_automation(automation));  // `after` and the conditions' kind
    GONGDAN_ASSIGN(auto rule, to_rule(automation, "a1"));
    return check_rule(c, directory_, &actions_, rule);
  };
  hooks.written = [this](store::Connection& c, const StoredRule& automation,
                         Change change) -> Result<void> {
    // The compiled automations are stale from the commit on, not only once the request answers:
    // the commit wakes the job runner, which may run the scan below first and find no automation.
    c.after_commit([this] { directory_.settings_changed_here(); });
    if (change == Change::kRemove) return {};
    return queue_scan(c, automation, automation.updated_at);
  };
  resources.add(automation_resource(), std::move(hooks));
}

}  // namespace gongdan::services
