// Helpers shared by the ticket route files.
#pragma once

#include "api/context.hpp"
#include "api/json.hpp"
#include "api/ticket_json.hpp"

namespace gongdan::api {

Result<std::int64_t> ticket_number(const Request& request);
// Answers one ticket with names filled in and its ETag header.
// `known`: the people the answer names, when the caller has them already (else they are read).
Response ticket_response(ApiContext& ctx, const services::Principal& who, const Ticket& ticket,
                         unsigned status, const People* known = nullptr,
                         const std::optional<ImportOrigin>& origin = std::nullopt);
// Reads a multipart/form-data request: its 'json' part (returned) and its files (uploaded,
// their ids appended to `uploaded`). Returns nothing when the request is not multipart.
Result<std::optional<std::string>> multipart_json(ApiContext& ctx, Request& request,
                                                  std::vector<std::int64_t>& uploaded);
// Messages as JSON with their authors' names and their attachments.
Result<json::array> messages_json(ApiContext& ctx, const services::Principal& who,
                                  const std::vector<Message>& messages, std::int64_t ticket_number);
Result<People> people_for(ApiContext& ctx, const std::vector<Ticket>& tickets,
                          const std::vector<std::int64_t>& more = {});

}  // namespace gongdan::api
