// Reading ticket create and change requests from JSON, shared by the single and bulk routes.
#pragma once

#include "api/json.hpp"
#include "services/tickets_service.hpp"

namespace gongdan::api {

Result<services::NewTicket> read_new_ticket(const json::object& body);
// Reads the change fields of `body`, ignoring keys in `skip` (which the caller handles).
Result<services::TicketChanges> read_ticket_changes(const json::object& body);
Result<std::optional<std::optional<std::int64_t>>> optional_nullable_id(const json::object& o,
                                                                        std::string_view key);
Result<std::optional<std::int64_t>> optional_id(const json::object& o, std::string_view key);
Result<std::vector<std::int64_t>> id_array(const json::object& o, std::string_view key);
// HTML from a client is never stored as sent: it goes through the mail sanitiser's allow-list,
// and a message sent as HTML only gets its plain text derived from it.
void sanitize_message_html(std::string& body, std::string& html);

}  // namespace gongdan::api
