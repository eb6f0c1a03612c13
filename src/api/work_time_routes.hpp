// Handle time's routes (issue 19, docs/metrics.md), added beside add_all_routes with the service
// they answer from: a ticket's heartbeat and its time spent.
#pragma once

#include "api/router.hpp"
#include "services/work_time_service.hpp"

namespace gongdan::api {

void add_work_time_routes(Router& router, services::WorkTimeService& work);

}  // namespace gongdan::api
