// The cached SLA settings shared by sla_service.cpp (admin API) and sla_tickets.cpp (the clock
// inside ticket commands and the timers).
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "services/sla_service.hpp"

namespace gongdan::services {

struct SlaService::Entry {
  store::SlaPolicyRow row;
  SlaPolicy policy;  // targets for domain/sla_clock
  std::shared_ptr<const BusinessCalendar> calendar;
  std::vector<Priority> priorities;
  std::vector<TicketType> types;
  std::vector<std::int64_t> departments;
  std::vector<std::string> tiers;
};

struct SlaService::Config {
  std::vector<Entry> policies;  // by position, then id; inactive ones too (tickets refer to them)
  bool any_active = false;
  bool uses_tier = false;
  const Entry* find(std::int64_t id) const {
    for (const auto& e : policies)
      if (e.row.id == id) return &e;
    return nullptr;
  }
};

// Around the clock in UTC: the calendar of a policy without one.
const std::shared_ptr<const BusinessCalendar>& always_open_calendar();

// Reads a policy's conditions object: {"priority": [...], "type": [...], "department": [ids],
// "organization_tier": [...]}. Errors name the field ("conditions.priority").
Result<void> read_sla_conditions(const boost::json::object& conditions, SlaService::Entry& entry);

}  // namespace gongdan::services
