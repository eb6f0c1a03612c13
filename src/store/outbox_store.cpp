#include "store/outbox_store.hpp"

#include <algorithm>

#include "store/column_table.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kOutbound(
    "outbound_mail", column("id", &OutboundMail::id), column("ticket_id", &OutboundMail::ticket_id),
    column("ticket_message_id", &OutboundMail::ticket_message_id),
    column("mailbox_id", &OutboundMail::mailbox_id), column("kind", &OutboundMail::kind),
    column("message_id", &OutboundMail::message_id),
    column("from_address", &OutboundMail::from_address),
    column("from_name", &OutboundMail::from_name), column("to_address", &OutboundMail::to_address),
    column("to_name", &OutboundMail::to_name), column("cc_addresses", &OutboundMail::cc),
    column("bcc_addresses", &OutboundMail::bcc), column("subject", &OutboundMail::subject),
    column("in_reply_to", &OutboundMail::in_reply_to),
    column("thread_references", &OutboundMail::references), column("body", &OutboundMail::body),
    column("html", &OutboundMail::html), column("status", &OutboundMail::status),
    column("attempts", &OutboundMail::attempts),
    column("next_attempt_at", &OutboundMail::next_attempt_at),
    column("last_error", &OutboundMail::last_error),
    column("created_at", &OutboundMail::created_at), column("sent_at", &OutboundMail::sent_at));

}  // namespace

Result<std::int64_t> insert_outbound(Connection& c, const OutboundMail& r) {
  return kOutbound.insert(c, r, "outbound");
}

Result<std::optional<OutboundMail>> find_outbound(Connection& c, std::int64_t id) {
  return kOutbound.find(c, id);
}

Result<void> save_outbound_state(Connection& c, const OutboundMail& r) {
  return run(c,
             "UPDATE outbound_mail SET status = ?, attempts = ?, next_attempt_at = ?, last_error = "
             "?, sent_at = ? WHERE id = ?",
             r.status, r.attempts, r.next_attempt_at, r.last_error, r.sent_at, r.id);
}

Result<std::map<std::int64_t, OutboundMail>> outbound_of_messages(
    Connection& c, const std::vector<std::int64_t>& message_ids) {
  static const std::string sql = kOutbound.select("WHERE ticket_message_id = ? ORDER BY id");
  std::map<std::int64_t, OutboundMail> out;
  for (auto id : message_ids) {
    GONGDAN_ASSIGN(auto q, query(c, sql));
    GONGDAN_ASSIGN(auto rows, read_rows(q.bind(id), kOutbound));
    if (!rows.empty()) out[id] = std::move(rows.back());
  }
  return out;
}

Result<std::int64_t> count_acknowledgements_since(Connection& c, std::string_view to_address,
                                                  Millis since) {
  return select_count(c,
                      "SELECT COUNT(*) FROM outbound_mail WHERE to_address = ? AND kind = "
                      "'acknowledgement' AND created_at >= ?",
                      to_address, since);
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
  static const std::string sql = kOutbound.select("WHERE ticket_id = ? ORDER BY id DESC LIMIT ?");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(ticket_id, limit), kOutbound);
}

}  // namespace gongdan::store
