// Persistence of SLA settings (business calendars, policies) and of each ticket's SLA clock:
// the events the clock is computed from, the due times on the ticket row, and the timers that
// already fired (so a timer job that runs twice records its breach once).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct CalendarRow {
  std::int64_t id = 0;
  std::string name;
  std::string spec;  // the JSON form of domain/business_calendar.hpp
  Millis created_at = 0;
  Millis updated_at = 0;
};

Result<std::vector<CalendarRow>> list_calendars(Connection& c);
Result<std::int64_t> insert_calendar(Connection& c, const CalendarRow& row);
Result<bool> update_calendar(Connection& c, const CalendarRow& row);
Result<bool> delete_calendar(Connection& c, std::int64_t id);

struct SlaPolicyRow {
  std::int64_t id = 0;
  std::string name;
  int position = 0;
  std::optional<std::int64_t> calendar_id;  // none: around the clock, UTC
  std::string conditions = "{}";            // {"priority": [...], "type": [...], ...}
  std::optional<std::int64_t> first_response_minutes;
  std::optional<std::int64_t> next_response_minutes;
  std::optional<std::int64_t> resolution_minutes;
  std::optional<std::int64_t> warning_minutes;
  bool active = true;
  Millis created_at = 0;
  Millis updated_at = 0;
};

Result<std::vector<SlaPolicyRow>> list_sla_policies(Connection& c);  // by position, id
Result<std::int64_t> insert_sla_policy(Connection& c, const SlaPolicyRow& row);
Result<bool> update_sla_policy(Connection& c, const SlaPolicyRow& row);
Result<bool> delete_sla_policy(Connection& c, std::int64_t id);

struct SlaEventRow {
  Millis at = 0;
  std::string kind;  // created, paused, resumed, agent_reply, customer_reply, solved, ...
  std::optional<std::int64_t> policy_id;
};

Result<std::vector<SlaEventRow>> list_sla_events(Connection& c, std::int64_t ticket_id);
Result<void> insert_sla_event(Connection& c, std::int64_t ticket_id, const SlaEventRow& e);
// The policy and due times on the ticket row (no new version: this is derived data).
Result<void> set_ticket_sla(Connection& c, std::int64_t ticket_id,
                            std::optional<std::int64_t> policy_id,
                            std::optional<Millis> first_response_due,
                            std::optional<Millis> next_response_due,
                            std::optional<Millis> resolution_due);
// True the first time `key` is marked.
Result<bool> mark_sla_timer_fired(Connection& c, std::string_view key, Millis at);

}  // namespace gongdan::store
