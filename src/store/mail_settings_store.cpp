#include "store/mail_settings_store.hpp"

namespace gongdan::store {
namespace {

constexpr std::string_view kMailSettingsColumns =
    "department_id, outside_replies, acknowledge, ack_subject_en, ack_body_en, ack_subject_zh, "
    "ack_body_zh, updated_at, signature";

MailSettingsRow read_mail_settings(const Query& q) {
  MailSettingsRow r;
  r.department_id = q.integer(0);
  r.outside_replies = q.optional_text(1);
  if (auto a = q.optional_integer(2)) r.acknowledge = *a != 0;
  r.ack_subject_en = q.text(3);
  r.ack_body_en = q.text(4);
  r.ack_subject_zh = q.text(5);
  r.ack_body_zh = q.text(6);
  r.updated_at = q.integer(7);
  r.signature = q.text(8);
  return r;
}

}  // namespace

Result<std::optional<MailSettingsRow>> find_mail_settings(Connection& c,
                                                          std::int64_t department_id) {
  static const std::string sql =
      "SELECT " + std::string(kMailSettingsColumns) + " FROM mail_settings WHERE department_id = ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  GONGDAN_ASSIGN(bool row, q.bind(department_id).next());
  if (!row) return std::optional<MailSettingsRow>{};
  return std::optional<MailSettingsRow>(read_mail_settings(q));
}

Result<std::vector<MailSettingsRow>> list_mail_settings(Connection& c) {
  static const std::string sql =
      "SELECT " + std::string(kMailSettingsColumns) + " FROM mail_settings ORDER BY department_id";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  std::vector<MailSettingsRow> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    out.push_back(read_mail_settings(q));
  }
  return out;
}

Result<void> save_mail_settings(Connection& c, const MailSettingsRow& r) {
  GONGDAN_ASSIGN(
      auto q,
      query(
          c,
          "INSERT INTO mail_settings (department_id, outside_replies, acknowledge, "
          "ack_subject_en, ack_body_en, ack_subject_zh, ack_body_zh, updated_at, "
          "signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (department_id) DO UPDATE SET "
          "outside_replies = excluded.outside_replies, acknowledge = "
          "excluded.acknowledge, ack_subject_en = excluded.ack_subject_en, "
          "ack_body_en = excluded.ack_body_en, ack_subject_zh = "
          "excluded.ack_subject_zh, ack_body_zh = excluded.ack_body_zh, "
          "updated_at = excluded.updated_at, signature = excluded.signature"));
  std::optional<std::int64_t> ack;
  if (r.acknowledge) ack = *r.acknowledge ? 1 : 0;
  return q
      .bind(r.department_id, r.outside_replies, ack, r.ack_subject_en, r.ack_body_en,
            r.ack_subject_zh, r.ack_body_zh, r.updated_at, r.signature)
      .run();
}

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
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO ticket_mail_settings (ticket_id, outside_replies, "
                               "updated_at) VALUES (?, ?, ?) ON CONFLICT (ticket_id) DO UPDATE "
                               "SET outside_replies = excluded.outside_replies, updated_at = "
                               "excluded.updated_at"));
  return q.bind(ticket_id, value, now).run();
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
