// The IMAP mailboxes an admin sets up per department: an address, an IMAP account, a poll
// interval and what to do with fetched mail. Passwords are sealed with the data directory's key
// before they are stored and are never shown again. The poller (channels/email) reads the
// accounts, with passwords opened, through accounts().
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/directory.hpp"
#include "services/principal.hpp"
#include "services/secret_box.hpp"
#include "store/database.hpp"
#include "store/mailboxes_store.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

// Absent members keep their value (or take the default on create).
struct MailboxInput {
  std::optional<std::string> address;
  std::optional<std::optional<std::int64_t>> department_id;
  std::optional<std::string> imap_host;
  std::optional<std::int64_t> imap_port;
  std::optional<std::string> imap_tls;
  std::optional<std::string> imap_user;
  std::optional<std::string> imap_password;
  std::optional<std::string> imap_folder;
  std::optional<std::int64_t> poll_seconds;
  std::optional<std::string> after_fetch;
  std::optional<std::string> move_to;
  std::optional<bool> trusted;
  std::optional<bool> active;
  std::optional<std::string> smtp_host;
  std::optional<std::int64_t> smtp_port;
  std::optional<std::string> smtp_tls;
  std::optional<std::string> smtp_user;
  std::optional<std::string> smtp_password;
  std::optional<bool> acknowledge;
};

// A mailbox with its password in clear, for the poller only.
struct MailboxAccount {
  store::MailboxRow row;
  std::string password;
  std::string smtp_password;
};

class MailboxesService {
 public:
  MailboxesService(store::Database& db, const Clock& clock, Directory& directory,
                   const SecretBox& secrets)
      : db_(db), clock_(clock), directory_(directory), secrets_(secrets) {}

  // Admins only (kPermissionDenied otherwise). Rows come back with the password column empty.
  Result<store::MailboxRow> create(const Principal& who, const MailboxInput& input);
  Result<store::MailboxRow> update(const Principal& who, std::int64_t id,
                                   const MailboxInput& input);
  Result<void> remove(const Principal& who, std::int64_t id);
  Result<std::vector<store::MailboxRow>> list(const Principal& who);
  Result<store::MailboxRow> get(const Principal& who, std::int64_t id);

  // Active mailboxes with an IMAP host, passwords opened.
  Result<std::vector<MailboxAccount>> accounts();
  Result<std::optional<MailboxAccount>> account(std::int64_t id);
  Result<void> record_poll(std::int64_t id, std::string_view error, std::int64_t fetched);

 private:
  Result<void> apply(const MailboxInput& input, store::MailboxRow& row);
  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  const SecretBox& secrets_;
};

}  // namespace gongdan::services
