#include "store/mail_settings_store.hpp"

namespace gongdan::store {

Result<std::optional<std::string>> find_ticket_outside_replies(Connection& c,
                                                               std::int64_t ticket_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT outside_replies FROM ticket_mail_settings WHERE "
                               "ticket_id = ?"));
  GONGDAN_ASSIGN(bool row, q.bind(ticket_id).next());
  if (!row) return std::optional<std::string>{};
  return q.optional_text(0);
}

Result<void> save_ticket_outside_replies(Connection& c, std::int64_t ticket_id,
                                         const std::optional<std::string>& value, Millis now) {
  return run(c,
             "INSERT INTO ticket_mail_settings (ticket_id, outside_replies, updated_at) VALUES (?, "
             "?, ?) ON CONFLICT (ticket_id) DO UPDATE SET outside_replies = "
             "excluded.outside_replies, updated_at = excluded.updated_at",
             ticket_id, value, now);
}

Result<std::map<std::int64_t, std::string>> mail_flags_of_messages(
    Connection& c, const std::vector<std::int64_t>& message_ids) {
  std::map<std::int64_t, std::string> out;
  for (auto id : message_ids) {
    GONGDAN_ASSIGN(auto q, query(c,
                                 "SELECT flags FROM mail_messages WHERE ticket_message_id = ? "
                                 "AND direction = 'in' ORDER BY id LIMIT 1"));
    GONGDAN_ASSIGN(bool row, q.bind(id).next());
    if (row) out[id] = q.text(0);
  }
  return out;
}

Result<bool> mark_outbound_bounced(Connection& c, std::string_view message_id,
                                   std::string_view error) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE outbound_mail SET status = 'failed', last_error = ? "
                               "WHERE message_id = ? RETURNING id"));
  GONGDAN_ASSIGN(bool row, q.bind(error, message_id).next());
  if (row) {
    // Drain the statement so it is finished before it is reset.
    while (true) {
      GONGDAN_ASSIGN(bool more, q.next());
      if (!more) break;
    }
  }
  return row;
}

}  // namespace gongdan::store
