// The cached SLA settings shared by sla_service.cpp (which loads them) and sla_tickets.cpp (the
// clock inside ticket commands and the timers).
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "services/sla_service.hpp"

namespace gongdan::services {

struct SlaService::Entry {
  SlaPolicy policy;
  SlaConditions conditions;
  std::shared_ptr<const BusinessCalendar> calendar;  // always_open_calendar() without one
};

struct SlaService::Config {
  std::vector<Entry> policies;  // by position, then id; inactive ones too (tickets refer to them)
  bool any_active = false;
  bool uses_tier = false;
  const Entry* find(std::int64_t id) const {
    for (const auto& e : policies)
      if (e.policy.id == id) return &e;
    return nullptr;
  }
};

// Around the clock in UTC: the calendar of a policy without one.
const std::shared_ptr<const BusinessCalendar>& always_open_calendar();

}  // namespace gongdan::services
