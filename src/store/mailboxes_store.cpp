#include "store/mailboxes_store.hpp"

namespace gongdan::store {
namespace {

constexpr std::string_view kMailboxColumns =
    "id, address, department_id, imap_host, imap_port, imap_tls, imap_user, imap_password, "
    "imap_folder, poll_seconds, after_fetch, move_to, trusted, active, last_poll_at, last_error, "
    "fetched, created_at, updated_at, smtp_host, smtp_port, smtp_tls, smtp_user, smtp_password, "
    "acknowledge";

MailboxRow read_mailbox(const Query& q) {
  MailboxRow m;
  m.id = q.integer(0);
  m.address = q.text(1);
  m.department_id = q.optional_integer(2);
  m.imap_host = q.text(3);
  m.imap_port = q.integer(4);
  m.imap_tls = q.text(5);
  m.imap_user = q.text(6);
  m.imap_password = q.text(7);
  m.imap_folder = q.text(8);
  m.poll_seconds = q.integer(9);
  m.after_fetch = q.text(10);
  m.move_to = q.text(11);
  m.trusted = q.integer(12) != 0;
  m.active = q.integer(13) != 0;
  m.last_poll_at = q.optional_integer(14);
  m.last_error = q.text(15);
  m.fetched = q.integer(16);
  m.created_at = q.integer(17);
  m.updated_at = q.integer(18);
  m.smtp_host = q.text(19);
  m.smtp_port = q.integer(20);
  m.smtp_tls = q.text(21);
  m.smtp_user = q.text(22);
  m.smtp_password = q.text(23);
  m.acknowledge = q.integer(24) != 0;
  return m;
}

Result<std::optional<MailboxRow>> one_mailbox(Connection& c, const std::string& sql, auto value) {
  GONGDAN_ASSIGN(auto q, query(c, sql));
  GONGDAN_ASSIGN(bool row, q.bind(value).next());
  if (!row) return std::optional<MailboxRow>{};
  return std::optional<MailboxRow>(read_mailbox(q));
}

}  // namespace

Result<std::int64_t> insert_mailbox(Connection& c, const MailboxRow& m) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO mailboxes (address, department_id, imap_host, "
                               "imap_port, imap_tls, imap_user, imap_password, imap_folder, "
                               "poll_seconds, after_fetch, move_to, trusted, active, created_at, "
                               "updated_at, smtp_host, smtp_port, smtp_tls, smtp_user, "
                               "smtp_password, acknowledge) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                               "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  q.bind(m.address, m.department_id, m.imap_host, m.imap_port, m.imap_tls, m.imap_user,
         m.imap_password, m.imap_folder, m.poll_seconds, m.after_fetch, m.move_to, m.trusted,
         m.active, m.created_at, m.updated_at, m.smtp_host, m.smtp_port, m.smtp_tls, m.smtp_user,
         m.smtp_password, m.acknowledge);
  GONGDAN_ASSIGN(bool row, q.next());
  if (!row) return fail(ErrorCode::kInternal, "mailbox insert returned no id");
  return q.integer(0);
}

Result<void> update_mailbox(Connection& c, const MailboxRow& m) {
  GONGDAN_ASSIGN(auto q,
                 query(c,
                       "UPDATE mailboxes SET address = ?, department_id = ?, imap_host = "
                       "?, imap_port = ?, imap_tls = ?, imap_user = ?, imap_password = ?, "
                       "imap_folder = ?, poll_seconds = ?, after_fetch = ?, move_to = ?, "
                       "trusted = ?, active = ?, updated_at = ?, smtp_host = ?, smtp_port = ?, "
                       "smtp_tls = ?, smtp_user = ?, smtp_password = ?, acknowledge = ? "
                       "WHERE id = ?"));
  return q
      .bind(m.address, m.department_id, m.imap_host, m.imap_port, m.imap_tls, m.imap_user,
            m.imap_password, m.imap_folder, m.poll_seconds, m.after_fetch, m.move_to, m.trusted,
            m.active, m.updated_at, m.smtp_host, m.smtp_port, m.smtp_tls, m.smtp_user,
            m.smtp_password, m.acknowledge, m.id)
      .run();
}

Result<bool> delete_mailbox(Connection& c, std::int64_t id) {
  GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM mailboxes WHERE id = ?"));
  GONGDAN_TRY(q.bind(id).run());
  return c.changes() == 1;
}

Result<std::optional<MailboxRow>> find_mailbox(Connection& c, std::int64_t id) {
  static const std::string sql =
      "SELECT " + std::string(kMailboxColumns) + " FROM mailboxes WHERE id = ?";
  return one_mailbox(c, sql, id);
}

Result<std::optional<MailboxRow>> find_mailbox_by_address(Connection& c, std::string_view address) {
  static const std::string sql =
      "SELECT " + std::string(kMailboxColumns) + " FROM mailboxes WHERE address = ?";
  return one_mailbox(c, sql, address);
}

Result<std::vector<MailboxRow>> list_mailboxes(Connection& c) {
  static const std::string sql =
      "SELECT " + std::string(kMailboxColumns) + " FROM mailboxes ORDER BY id";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  std::vector<MailboxRow> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    out.push_back(read_mailbox(q));
  }
  return out;
}

Result<std::optional<MailboxRow>> sending_mailbox(Connection& c,
                                                  std::optional<std::int64_t> department_id) {
  static const std::string sql = "SELECT " + std::string(kMailboxColumns) +
                                 " FROM mailboxes WHERE smtp_host <> '' AND "
                                 "(department_id = ? OR department_id IS NULL) ORDER BY "
                                 "department_id IS NULL, id LIMIT 1";
  return one_mailbox(c, sql, department_id.value_or(0));
}

Result<void> record_mailbox_poll(Connection& c, std::int64_t id, Millis at, std::string_view error,
                                 std::int64_t fetched) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE mailboxes SET last_poll_at = ?, last_error = ?, fetched = "
                               "fetched + ? WHERE id = ?"));
  return q.bind(at, error, fetched, id).run();
}

}  // namespace gongdan::store
