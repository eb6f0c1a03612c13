// An SLA policy as admins configure it: which tickets it applies to (conditions), the targets
// it measures them by, in minutes of its business calendar's working time, and how long before
// a due time to warn. Policies are tried in position order; a ticket gets the first active one
// whose conditions all hold. Pure: no I/O.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/ticket.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan {

// Targets in minutes of business time; an unset target means the policy does not measure it.
struct SlaTargets {
  std::optional<std::int64_t> first_response_minutes;
  std::optional<std::int64_t> next_response_minutes;
  std::optional<std::int64_t> resolution_minutes;
};

struct SlaPolicy {
  std::int64_t id = 0;
  std::string name;
  int position = 0;
  std::optional<std::int64_t> calendar_id;  // none: around the clock, UTC
  // {"priority": [...], "type": [...], "department": [ids], "organization_tier": [...]}
  boost::json::value conditions = boost::json::object{};
  SlaTargets targets;
  std::optional<std::int64_t> warning_minutes;
  bool active = true;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// A policy's conditions, read: each list empty means "any".
struct SlaConditions {
  std::vector<Priority> priorities;
  std::vector<TicketType> types;
  std::vector<std::int64_t> departments;
  std::vector<std::string> tiers;  // of the requester's organization

  // `tier`: the ticket's organization's, if it has one.
  bool matches(const Ticket& ticket, const std::optional<std::string>& tier) const;
};

// Reads a policy's conditions. Errors name the field ("conditions.priority").
Result<SlaConditions> read_sla_conditions(const boost::json::value& conditions);

}  // namespace gongdan
