// Persistence of the IMAP mailboxes polled per department. The password column holds a sealed
// secret (services/secret_box.hpp); this layer never sees it in clear.
#pragma once

#include <optional>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct MailboxRow {
  std::int64_t id = 0;
  std::string address;
  std::optional<std::int64_t> department_id;
  std::string imap_host;
  std::int64_t imap_port = 993;
  std::string imap_tls = "tls";  // tls, starttls or none
  std::string imap_user;
  std::string imap_password;  // sealed
  std::string imap_folder = "INBOX";
  std::int64_t poll_seconds = 60;
  std::string after_fetch = "seen";  // seen, move or delete
  std::string move_to;
  bool trusted = false;
  bool active = true;
  std::optional<Millis> last_poll_at;
  std::string last_error;
  std::int64_t fetched = 0;
  std::string smtp_host;  // "" = this mailbox sends no mail
  std::int64_t smtp_port = 587;
  std::string smtp_tls = "starttls";
  std::string smtp_user;
  std::string smtp_password;  // sealed
  bool acknowledge = false;   // automatic acknowledgement of new tickets (RFC 3834)
  Millis created_at = 0;
  Millis updated_at = 0;
};

Result<std::int64_t> insert_mailbox(Connection& c, const MailboxRow& m);
Result<void> update_mailbox(Connection& c, const MailboxRow& m);
Result<bool> delete_mailbox(Connection& c, std::int64_t id);
Result<std::optional<MailboxRow>> find_mailbox(Connection& c, std::int64_t id);
Result<std::optional<MailboxRow>> find_mailbox_by_address(Connection& c, std::string_view address);
Result<std::vector<MailboxRow>> list_mailboxes(Connection& c);
// The mailbox that sends for a department: one of that department with an SMTP host, else one
// without a department.
Result<std::optional<MailboxRow>> sending_mailbox(Connection& c,
                                                  std::optional<std::int64_t> department_id);
// After a poll: when, what went wrong ("" for nothing) and how many messages were taken in.
Result<void> record_mailbox_poll(Connection& c, std::int64_t id, Millis at, std::string_view error,
                                 std::int64_t fetched);

}  // namespace gongdan::store
