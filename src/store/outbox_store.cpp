#include "store/outbox_store.hpp"

#include <algorithm>

namespace gongdan::store {
namespace {

constexpr std::string_view kOutboundColumns =
    "id, ticket_id, ticket_message_id, mailbox_id, kind, message_id, from_address, from_name, "
    "to_address, to_name, subject, in_reply_to, thread_references, body, html, status, attempts, "
    "next_attempt_at, last_error, created_at, sent_at";

OutboundMail read_outbound(const Query& q) {
  OutboundMail r;
  r.id = q.integer(0);
  r.ticket_id = q.integer(1);
  r.ticket_message_id = q.optional_integer(2);
  r.mailbox_id = q.integer(3);
  r.kind = q.text(4);
  r.message_id = q.text(5);
  r.from_address = q.text(6);
  r.from_name = q.text(7);
  r.to_address = q.text(8);
  r.to_name = q.text(9);
  r.subject = q.text(10);
  r.in_reply_to = q.text(11);
  r.references = q.text(12);
  r.body = q.text(13);
  r.html = q.text(14);
  r.status = q.text(15);
  r.attempts = q.integer(16);
  r.next_attempt_at = q.integer(17);
  r.last_error = q.text(18);
  r.created_at = q.integer(19);
  r.sent_at = q.optional_integer(20);
  return r;
}

}  // namespace

Result<std::int64_t> insert_outbound(Connection& c, const OutboundMail& r) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO outbound_mail (ticket_id, ticket_message_id, "
                               "mailbox_id, kind, message_id, from_address, from_name, to_address, "
                               "to_name, subject, in_reply_to, thread_references, body, html, "
                               "status, attempts, next_attempt_at, last_error, created_at) VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                               "RETURNING id"));
  q.bind(r.ticket_id, r.ticket_message_id, r.mailbox_id, r.kind, r.message_id, r.from_address,
         r.from_name, r.to_address, r.to_name, r.subject, r.in_reply_to, r.references, r.body,
         r.html, r.status, r.attempts, r.next_attempt_at, r.last_error, r.created_at);
  return inserted_id(q, "outbound");
}

Result<std::optional<OutboundMail>> find_outbound(Connection& c, std::int64_t id) {
  static const std::string sql =
      "SELECT " + std::string(kOutboundColumns) + " FROM outbound_mail WHERE id = ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(id), read_outbound);
}

Result<void> save_outbound_state(Connection& c, const OutboundMail& r) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE outbound_mail SET status = ?, attempts = ?, "
                               "next_attempt_at = ?, last_error = ?, sent_at = ? WHERE id = ?"));
  return q.bind(r.status, r.attempts, r.next_attempt_at, r.last_error, r.sent_at, r.id).run();
}

Result<std::map<std::int64_t, OutboundMail>> outbound_of_messages(
    Connection& c, const std::vector<std::int64_t>& message_ids) {
  static const std::string sql = "SELECT " + std::string(kOutboundColumns) +
                                 " FROM outbound_mail WHERE ticket_message_id = ? ORDER BY id";
  std::map<std::int64_t, OutboundMail> out;
  for (auto id : message_ids) {
    GONGDAN_ASSIGN(auto q, query(c, sql));
    GONGDAN_ASSIGN(auto rows, read_rows(q.bind(id), read_outbound));
    if (!rows.empty()) out[id] = std::move(rows.back());
  }
  return out;
}

Result<std::int64_t> count_acknowledgements_since(Connection& c, std::string_view to_address,
                                                  Millis since) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT COUNT(*) FROM outbound_mail WHERE to_address = ? AND "
                               "kind = 'acknowledgement' AND created_at >= ?"));
  return read_count(q.bind(to_address, since));
}

Result<std::vector<std::string>> ticket_mail_ids(Connection& c, std::int64_t ticket_id, int limit) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT message_id FROM mail_messages WHERE ticket_id = ? ORDER BY "
                               "id DESC LIMIT ?"));
  GONGDAN_ASSIGN(auto out, read_texts(q.bind(ticket_id, limit)));
  std::reverse(out.begin(), out.end());
  return out;
}

Result<std::vector<OutboundMail>> outbound_of_ticket(Connection& c, std::int64_t ticket_id,
                                                     int limit) {
  static const std::string sql = "SELECT " + std::string(kOutboundColumns) +
                                 " FROM outbound_mail WHERE ticket_id = ? ORDER BY id DESC LIMIT ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(ticket_id, limit), read_outbound);
}

}  // namespace gongdan::store
