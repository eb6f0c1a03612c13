// The mailboxes an admin sets up, per department or for every one: an address, an IMAP account
// polled for new mail and an SMTP server replies leave by. Their list, reading and editing is the
// declared resource `mailboxes` (services/resource_service.hpp); passwords are sealed with the
// data directory's key before they are stored and never shown again. What the mail channel
// needs of them is here: the accounts to poll, with passwords opened, a poll's outcome, and which
// mailbox sends a department's mail.
//
// Threads: every method may be called from any thread; state is the database's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/mailbox.hpp"
#include "domain/outgoing_mail.hpp"
#include "domain/resource.hpp"
#include "services/principal.hpp"
#include "services/resource_service.hpp"
#include "services/secret_box.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

const Resource<Mailbox>& mailbox_resource();

// A mailbox with its passwords in clear, for the poller and the SMTP sending only.
struct MailboxAccount {
  Mailbox mailbox;
  std::string password;
  std::string smtp_password;
  OAuthClient oauth;  // when the mailbox signs in with OAuth2 (auth oauth2); else empty

  // Its SMTP server, to send by.
  SmtpServer smtp_server() const {
    return {mailbox.smtp_host, mailbox.smtp_port, mailbox.smtp_tls,
            mailbox.smtp_user, smtp_password,     oauth};
  }
};

// Inside a write: the mailbox that sends a department's mail (domain/mailbox.hpp), if any.
Result<std::optional<Mailbox>> sending_mailbox(store::Connection& c,
                                               std::optional<std::int64_t> department_id);
// Whether `address` (lower case) is one of our own mailboxes (mail to it would loop).
Result<bool> is_own_address(store::Connection& c, std::string_view address);

class MailboxesService {
 public:
  MailboxesService(store::Database& db, const Clock& clock, const SecretBox& secrets)
      : db_(db), clock_(clock), secrets_(secrets) {}

  // Declares the resource with its checks.
  void add_to(Resources& resources);
  // The mailbox as `who` may see it: kPermissionDenied for all but admins, kNotFound.
  Result<Mailbox> find(const Principal& who, std::int64_t id);

  // Active mailboxes with an IMAP host, passwords opened; one sealed with another key is left
  // out (its own poll, through account(), reports why).
  Result<std::vector<MailboxAccount>> accounts();
  Result<std::optional<MailboxAccount>> account(std::int64_t id);
  // After a poll: what went wrong ("" for nothing) and how many messages were taken in.
  Result<void> record_poll(std::int64_t id, std::string_view error, std::int64_t fetched);
  // An OAuth2 token endpoint handed a new refresh token for the mailbox: sealed and kept.
  Result<void> save_refresh_token(std::int64_t id, std::string_view token);
  // Whether a connection now waits in IMAP IDLE on the mailbox (idle_since: now, or none).
  Result<void> record_idle(std::int64_t id, bool idling);

 private:
  // Opens the account's sealed passwords and OAuth2 secrets.
  Result<void> open_secrets(MailboxAccount& a) const;

  store::Database& db_;
  const Clock& clock_;
  const SecretBox& secrets_;
  ResourceService* items_ = nullptr;  // set by add_to
};

}  // namespace gongdan::services
