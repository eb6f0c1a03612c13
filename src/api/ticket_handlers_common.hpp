// Helpers shared by the ticket route files.
#pragma once

#include "api/context.hpp"
#include "api/json.hpp"
#include "api/ticket_json.hpp"

namespace gongdan::api {

Result<std::int64_t> ticket_number(const Request& request);
// Answers one ticket with names filled in and its ETag header.
Response ticket_response(ApiContext& ctx, const Ticket& ticket, unsigned status);
Result<People> people_for(ApiContext& ctx, const std::vector<Ticket>& tickets,
                          const std::vector<std::int64_t>& more = {});

}  // namespace gongdan::api
