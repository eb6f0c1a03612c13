#include <string>

#include "store/schema.hpp"

namespace gongdan::store {
namespace {

// jobs_due is the scheduler: the runner asks it for the earliest queued run_at and sleeps until
// then, so nothing ever scans tickets to find work.
constexpr std::string_view kJobsSql = R"sql(
CREATE TABLE jobs (
  id {{id}},
  kind TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  run_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'dead')),
  idempotency_key TEXT NOT NULL UNIQUE,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, run_at);
)sql";

constexpr std::string_view kWebhooksSql = R"sql(
CREATE TABLE webhooks (
  id {{id}},
  url TEXT NOT NULL,
  format TEXT NOT NULL DEFAULT 'json',
  events TEXT NOT NULL,
  department_id INTEGER,
  secret TEXT NOT NULL,
  template TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

constexpr std::string_view kWebhookDeliveriesSql = R"sql(
CREATE TABLE webhook_deliveries (
  id {{id}},
  webhook_id INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  job_id INTEGER NOT NULL,
  delivery TEXT NOT NULL,
  event TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  at INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT NOT NULL DEFAULT '',
  duration_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_by_hook ON webhook_deliveries (webhook_id, id);
)sql";

constexpr std::string_view kBusinessCalendarsSql = R"sql(
CREATE TABLE business_calendars (
  id {{id}},
  name TEXT NOT NULL,
  spec TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

constexpr std::string_view kSlaPoliciesSql = R"sql(
CREATE TABLE sla_policies (
  id {{id}},
  name TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  calendar_id INTEGER REFERENCES business_calendars (id),
  conditions TEXT NOT NULL DEFAULT '{}',
  first_response_minutes INTEGER,
  next_response_minutes INTEGER,
  resolution_minutes INTEGER,
  warning_minutes INTEGER,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

constexpr std::string_view kTicketSlaEventsSql = R"sql(
CREATE TABLE ticket_sla_events (
  id {{id}},
  ticket_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  policy_id INTEGER
);
CREATE INDEX ticket_sla_events_by_ticket ON ticket_sla_events (ticket_id, id);
)sql";

// Rebuilt by migration 6 (schema_skills.cpp) to widen its CHECK.
constexpr std::string_view kDepartmentAssignmentSql = R"sql(
CREATE TABLE department_assignment (
  department_id INTEGER PRIMARY KEY REFERENCES departments (id) ON DELETE CASCADE,
  mode TEXT NOT NULL CHECK (mode IN ('manual', 'round_robin', 'least_loaded')),
  max_open_per_agent INTEGER,
  last_agent_id INTEGER,
  updated_at INTEGER NOT NULL
);
)sql";

constexpr std::string_view kTriggersSql = R"sql(
CREATE TABLE triggers (
  id {{id}},
  name TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  definition TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

constexpr std::string_view kMacrosSql = R"sql(
CREATE TABLE macros (
  id {{id}},
  name TEXT NOT NULL,
  owner_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
  actions TEXT NOT NULL DEFAULT '[]',
  reply TEXT NOT NULL DEFAULT '',
  reply_internal INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

constexpr std::string_view kSlaTimersFiredSql = R"sql(
CREATE TABLE sla_timers_fired (
  key TEXT PRIMARY KEY,
  at INTEGER NOT NULL
);
)sql";

}  // namespace

// Migration 3, one table a constant: the durable job queue, webhook subscriptions and their
// deliveries, and SLA: business calendars, policies, each ticket's SLA clock events and the
// timers that already fired; automatic assignment per department; triggers and macros. The
// text is the one released (schema_text_test.cpp holds it to that).
std::string_view jobs_schema() {
  static const std::string sql = [] {
    std::string text;
    for (auto part : {kJobsSql, kWebhooksSql, kWebhookDeliveriesSql, kBusinessCalendarsSql,
                      kSlaPoliciesSql, kTicketSlaEventsSql, kDepartmentAssignmentSql, kTriggersSql,
                      kMacrosSql, kSlaTimersFiredSql})
      text += part;
    return text;
  }();
  return sql;
}

}  // namespace gongdan::store
