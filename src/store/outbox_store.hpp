// Persistence of the mail outbox: messages to send, written in the same transaction as the ticket
// message they carry (and the mail job that sends each), and their delivery state: the log of a
// ticket's outgoing mail that the API shows.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "domain/mail_record.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

Result<std::int64_t> insert_outbound(Connection& c, const OutboundMail& row);
Result<std::optional<OutboundMail>> find_outbound(Connection& c, std::int64_t id);
Result<void> save_outbound_state(Connection& c, const OutboundMail& row);
Result<std::map<std::int64_t, OutboundMail>> outbound_of_messages(
    Connection& c, const std::vector<std::int64_t>& message_ids);
Result<std::int64_t> count_acknowledgements_since(Connection& c, std::string_view to_address,
                                                  Millis since);
// Every mail a ticket sent or is sending (replies and acknowledgements), newest first.
Result<std::vector<OutboundMail>> outbound_of_ticket(Connection& c, std::int64_t ticket_id,
                                                     int limit);
// The Message-IDs of a ticket's mail, oldest first, at most `limit` of the newest.
Result<std::vector<std::string>> ticket_mail_ids(Connection& c, std::int64_t ticket_id, int limit);

}  // namespace gongdan::store
