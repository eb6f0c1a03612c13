// Inbound sources' rows beyond their declared resource: the events taken in (whose UNIQUE pair
// drops a provider's retries), the identities a provider knows contacts by, the IM outbox and
// calls logged on tickets.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/call_log.hpp"
#include "domain/inbound_source.hpp"
#include "store/database.hpp"

namespace gongdan::store {

// The event's row id; nullopt when the source delivered this event before (a retry).
Result<std::optional<std::int64_t>> claim_inbound_event(Connection& c, std::int64_t source_id,
                                                        std::string_view event_id,
                                                        std::string_view external_id, Millis now);
Result<void> set_inbound_event_ticket(Connection& c, std::int64_t event_row, std::int64_t ticket_id,
                                      std::optional<std::int64_t> message_id);
Result<void> count_inbound_message(Connection& c, std::int64_t source_id);
// Where a source's next message pull starts (WeCom's kf/sync_msg next_cursor); "" at first.
Result<std::string> inbound_sync_cursor(Connection& c, std::int64_t source_id);
Result<void> save_inbound_sync_cursor(Connection& c, std::int64_t source_id,
                                      std::string_view cursor);

Result<std::optional<std::int64_t>> find_provider_identity(Connection& c, std::int64_t source_id,
                                                           std::string_view external_id);
Result<void> add_provider_identity(Connection& c, std::int64_t source_id,
                                   std::string_view external_id, std::int64_t user_id,
                                   std::string_view display_name, Millis now);

// The ticket this sender's last message went to.
Result<std::optional<std::int64_t>> last_ticket_of_sender(Connection& c, std::int64_t source_id,
                                                          std::string_view external_id);
// The source and sender of a ticket's last inbound message: where replies go.
Result<std::optional<std::pair<std::int64_t, std::string>>> last_sender_of_ticket(
    Connection& c, std::int64_t ticket_id);

Result<std::int64_t> insert_outbound_im(Connection& c, const OutboundIm& row);
Result<std::optional<OutboundIm>> find_outbound_im(Connection& c, std::int64_t id);
Result<void> save_outbound_im_state(Connection& c, const OutboundIm& row);
Result<std::map<std::int64_t, OutboundIm>> outbound_im_of_messages(
    Connection& c, const std::vector<std::int64_t>& message_ids);

Result<std::int64_t> insert_call_log(Connection& c, const CallLog& call);
Result<std::vector<CallLog>> call_logs_of_ticket(Connection& c, std::int64_t ticket_id);

// Contacts whose phone identity is `number` (as stored, or its digits with a leading +).
Result<std::optional<std::int64_t>> find_contact_by_phone(Connection& c, std::string_view number);
// Unsolved tickets requested by `user_id`, newest first (at most `limit`), as ids.
Result<std::vector<std::int64_t>> open_tickets_of(Connection& c, std::int64_t user_id, int limit);

}  // namespace gongdan::store
