#include "store/mail_store.hpp"

namespace gongdan::store {
namespace {

constexpr std::string_view kMailColumns =
    "id, message_id, ticket_id, ticket_message_id, direction, raw_sha256, raw_size, from_address, "
    "subject, full_text, quoted_text, quoted_html, flags, created_at";

MailRecord read_mail_record(const Query& q) {
  MailRecord m;
  m.id = q.integer(0);
  m.message_id = q.text(1);
  m.ticket_id = q.integer(2);
  m.ticket_message_id = q.optional_integer(3);
  m.direction = q.text(4);
  m.raw_sha256 = q.text(5);
  m.raw_size = q.integer(6);
  m.from_address = q.text(7);
  m.subject = q.text(8);
  m.full_text = q.text(9);
  m.quoted_text = q.text(10);
  m.quoted_html = q.text(11);
  m.flags = q.text(12);
  m.created_at = q.integer(13);
  return m;
}

constexpr std::string_view kQuarantineColumns =
    "id, raw_sha256, raw_size, department_id, reason, status, attempts, ticket_number, created_at, "
    "updated_at";

QuarantineEntry read_quarantine_row(const Query& q) {
  return QuarantineEntry{q.integer(0), q.text(1),   q.integer(2), q.optional_integer(3),
                         q.text(4),    q.text(5),   q.integer(6), q.optional_integer(7),
                         q.integer(8), q.integer(9)};
}

Result<std::optional<MailRecord>> mail_where(Connection& c, const std::string& sql, auto&& value) {
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(value), read_mail_record);
}

}  // namespace

Result<std::optional<MailRecord>> find_mail_by_message_id(Connection& c,
                                                          std::string_view message_id) {
  static const std::string sql =
      "SELECT " + std::string(kMailColumns) + " FROM mail_messages WHERE message_id = ?";
  return mail_where(c, sql, message_id);
}

Result<std::optional<MailRecord>> find_mail_of_ticket_message(Connection& c,
                                                              std::int64_t ticket_message_id) {
  static const std::string sql = "SELECT " + std::string(kMailColumns) +
                                 " FROM mail_messages WHERE ticket_message_id = ? ORDER BY id "
                                 "LIMIT 1";
  return mail_where(c, sql, ticket_message_id);
}

Result<std::int64_t> insert_mail_record(Connection& c, const MailRecord& m) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO mail_messages (message_id, ticket_id, "
                               "ticket_message_id, direction, raw_sha256, raw_size, from_address, "
                               "subject, full_text, quoted_text, quoted_html, flags, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  q.bind(m.message_id, m.ticket_id, m.ticket_message_id, m.direction, m.raw_sha256, m.raw_size,
         m.from_address, m.subject, m.full_text, m.quoted_text, m.quoted_html, m.flags,
         m.created_at);
  return inserted_id(q, "mail record");
}

Result<void> set_message_html(Connection& c, std::int64_t message_id, std::string_view html) {
  GONGDAN_ASSIGN(auto q, query(c, "UPDATE messages SET html = ? WHERE id = ?"));
  return q.bind(html, message_id).run();
}

Result<std::int64_t> insert_quarantine(Connection& c, const QuarantineEntry& r) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO mail_quarantine (raw_sha256, raw_size, department_id, "
                               "reason, status, attempts, ticket_number, created_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  q.bind(r.raw_sha256, r.raw_size, r.department_id, r.reason, r.status, r.attempts, r.ticket_number,
         r.created_at, r.updated_at);
  return inserted_id(q, "quarantine");
}

Result<std::vector<QuarantineEntry>> list_quarantine(Connection& c,
                                                     std::optional<std::string> status,
                                                     std::int64_t before_id, int limit) {
  static const std::string sql =
      "SELECT " + std::string(kQuarantineColumns) +
      " FROM mail_quarantine WHERE (? = '' OR status = ?) AND (? = 0 OR id < ?) ORDER BY id DESC "
      "LIMIT ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  const std::string s = status.value_or("");
  return read_rows(q.bind(s, s, before_id, before_id, limit), read_quarantine_row);
}

Result<std::optional<QuarantineEntry>> find_quarantine(Connection& c, std::int64_t id) {
  static const std::string sql =
      "SELECT " + std::string(kQuarantineColumns) + " FROM mail_quarantine WHERE id = ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(id), read_quarantine_row);
}

Result<void> update_quarantine(Connection& c, const QuarantineEntry& r) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE mail_quarantine SET reason = ?, status = ?, attempts = ?, "
                               "ticket_number = ?, updated_at = ? WHERE id = ?"));
  return q.bind(r.reason, r.status, r.attempts, r.ticket_number, r.updated_at, r.id).run();
}

}  // namespace gongdan::store
