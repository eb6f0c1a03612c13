// Business calendars and SLA policies as declared resources (services/resource_service.hpp).
// A calendar's request body is its spec itself (domain/calendar_item.hpp), replaced with PUT and
// named by the spec; one that a policy or an agent's working hours use cannot be removed. A
// policy's targets are a group of their own columns; its conditions and at least one target are
// checked when saved. SlaService::add_to declares both; the SLA clock and assignment read them
// through load_all / load_one.
#pragma once

#include "domain/calendar_item.hpp"
#include "domain/resource.hpp"
#include "domain/sla_policy.hpp"

namespace gongdan::services {

const Resource<CalendarItem>& calendar_resource();
const Resource<SlaPolicy>& sla_policy_resource();

}  // namespace gongdan::services
