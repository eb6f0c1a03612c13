// Drafts and summaries (issue 22): a ticket's draft reply and summary from the model endpoint
// an admin set, the admin's test of that endpoint, and its request log.
#pragma once

#include "api/router.hpp"
#include "services/assist_service.hpp"

namespace gongdan::api {

void add_assist_routes(Router& router, services::AssistService& assist);

}  // namespace gongdan::api
