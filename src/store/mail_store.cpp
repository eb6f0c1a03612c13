#include "store/mail_store.hpp"

#include "store/column_table.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kMailRecords(
    "mail_messages", column("id", &MailRecord::id), column("message_id", &MailRecord::message_id),
    column("ticket_id", &MailRecord::ticket_id),
    column("ticket_message_id", &MailRecord::ticket_message_id),
    column("direction", &MailRecord::direction), column("raw_sha256", &MailRecord::raw_sha256),
    column("raw_size", &MailRecord::raw_size), column("from_address", &MailRecord::from_address),
    column("subject", &MailRecord::subject), column("full_text", &MailRecord::full_text),
    column("quoted_text", &MailRecord::quoted_text),
    column("quoted_html", &MailRecord::quoted_html), column("flags", &MailRecord::flags),
    column("created_at", &MailRecord::created_at));

const ColumnTable kQuarantine("mail_quarantine", column("id", &QuarantineEntry::id),
                              column("raw_sha256", &QuarantineEntry::raw_sha256),
                              column("raw_size", &QuarantineEntry::raw_size),
                              column("department_id", &QuarantineEntry::department_id),
                              column("reason", &QuarantineEntry::reason),
                              column("status", &QuarantineEntry::status),
                              column("attempts", &QuarantineEntry::attempts),
                              column("ticket_number", &QuarantineEntry::ticket_number),
                              column("created_at", &QuarantineEntry::created_at),
                              column("updated_at", &QuarantineEntry::updated_at));

Result<std::optional<MailRecord>> mail_where(Connection& c, const std::string& sql, auto&& value) {
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(value), kMailRecords);
}

}  // namespace

Result<std::optional<MailRecord>> find_mail_by_message_id(Connection& c,
                                                          std::string_view message_id) {
  static const std::string sql = kMailRecords.select("WHERE message_id = ?");
  return mail_where(c, sql, message_id);
}

Result<std::optional<MailRecord>> find_mail_of_ticket_message(Connection& c,
                                                              std::int64_t ticket_message_id) {
  static const std::string sql =
      kMailRecords.select("WHERE ticket_message_id = ? ORDER BY id LIMIT 1");
  return mail_where(c, sql, ticket_message_id);
}

Result<std::int64_t> insert_mail_record(Connection& c, const MailRecord& m) {
  return kMailRecords.insert(c, m, "mail record");
}

Result<void> set_message_html(Connection& c, std::int64_t message_id, std::string_view html) {
  return run(c, "UPDATE messages SET html = ? WHERE id = ?", html, message_id);
}

Result<std::int64_t> insert_quarantine(Connection& c, const QuarantineEntry& r) {
  return kQuarantine.insert(c, r, "quarantine");
}

Result<std::vector<QuarantineEntry>> list_quarantine(Connection& c,
                                                     std::optional<std::string> status,
                                                     std::int64_t before_id, int limit) {
  static const std::string sql = kQuarantine.select(
      "WHERE deleted_at IS NULL AND (? = '' OR status = ?) AND (? = 0 OR id < ?) ORDER BY id DESC "
      "LIMIT ?");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  const std::string s = status.value_or("");
  return read_rows(q.bind(s, s, before_id, before_id, limit), kQuarantine);
}

Result<std::optional<QuarantineEntry>> find_quarantine(Connection& c, std::int64_t id) {
  static const std::string sql = kQuarantine.select("WHERE id = ? AND deleted_at IS NULL");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(id), kQuarantine);
}

Result<void> update_quarantine(Connection& c, const QuarantineEntry& r) {
  return run(c,
             "UPDATE mail_quarantine SET reason = ?, status = ?, attempts = ?, ticket_number = ?, "
             "updated_at = ? WHERE id = ?",
             r.reason, r.status, r.attempts, r.ticket_number, r.updated_at, r.id);
}

Result<void> delete_quarantine(Connection& c, std::int64_t id, std::int64_t at) {
  return run(c, "UPDATE mail_quarantine SET deleted_at = ? WHERE id = ?", at, id);
}

}  // namespace gongdan::store
