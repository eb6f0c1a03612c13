// The routes of triage (issue 22): each field's model and its held-out measures, training now,
// and a ticket's predictions. Added beside add_all_routes, with the service they answer from.
#pragma once

#include "api/router.hpp"
#include "services/triage_service.hpp"

namespace gongdan::api {

void add_triage_routes(Router& router, services::TriageService& triage);

}  // namespace gongdan::api
