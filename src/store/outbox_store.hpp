// Persistence of the mail outbox: messages to send, written in the same transaction as the ticket
// message they carry (and the mail job that sends each), and their delivery state: the log of a
// ticket's outgoing mail that the API shows.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct OutboundRow {
  std::int64_t id = 0;
  std::int64_t ticket_id = 0;
  std::optional<std::int64_t> ticket_message_id;
  std::int64_t mailbox_id = 0;
  std::string kind;        // "reply" or "acknowledgement"
  std::string message_id;  // without angle brackets
  std::string from_address;
  std::string from_name;
  std::string to_address;
  std::string to_name;
  std::string subject;
  std::string in_reply_to;
  std::string references;  // space-separated, without brackets
  std::string body;
  std::string html;
  std::string status = "queued";  // queued, sent or failed
  std::int64_t attempts = 0;
  Millis next_attempt_at = 0;  // when queued; the mail job's run_at is what schedules it
  std::string last_error;
  Millis created_at = 0;
  std::optional<Millis> sent_at;
};

Result<std::int64_t> insert_outbound(Connection& c, const OutboundRow& row);
Result<std::optional<OutboundRow>> find_outbound(Connection& c, std::int64_t id);
Result<void> save_outbound_state(Connection& c, const OutboundRow& row);
Result<std::map<std::int64_t, OutboundRow>> outbound_of_messages(
    Connection& c, const std::vector<std::int64_t>& message_ids);
Result<std::int64_t> count_acknowledgements_since(Connection& c, std::string_view to_address,
                                                  Millis since);
// Every mail a ticket sent or is sending (replies and acknowledgements), newest first.
Result<std::vector<OutboundRow>> outbound_of_ticket(Connection& c, std::int64_t ticket_id,
                                                    int limit);
// The Message-IDs of a ticket's mail, oldest first, at most `limit` of the newest.
Result<std::vector<std::string>> ticket_mail_ids(Connection& c, std::int64_t ticket_id, int limit);

}  // namespace gongdan::store
