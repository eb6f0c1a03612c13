// A mailbox the desk reads and sends mail through: an address, an IMAP account polled for new
// mail (what to do with a fetched message, how often) and an SMTP server replies leave by.
// Passwords are held sealed (services/secret_box.hpp): whoever needs one in clear opens it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "util/clock.hpp"

namespace gongdan {

struct Mailbox {
  std::int64_t id = 0;
  std::string address;  // lower case
  std::optional<std::int64_t> department_id;
  std::string imap_host;  // empty: nothing to poll
  std::int64_t imap_port = 993;
  std::string imap_tls = "tls";  // tls, starttls or none
  std::string imap_user;
  std::string imap_password;  // sealed
  std::string imap_folder = "INBOX";
  std::int64_t poll_seconds = 60;
  std::string after_fetch = "seen";  // seen, move or delete
  std::string move_to;               // the folder `move` puts messages in
  bool trusted = false;              // its mail's X-Gongdan-* headers may set fields
  bool active = true;
  std::optional<Millis> last_poll_at;
  std::string last_error;  // of the last poll; empty: it worked
  std::int64_t fetched = 0;
  std::optional<Millis> idle_since;  // a connection has waited in IMAP IDLE since then
  std::string smtp_host;             // empty: this mailbox sends no mail
  std::int64_t smtp_port = 587;
  std::string smtp_tls = "starttls";
  std::string smtp_user;
  std::string smtp_password;  // sealed
  // password: the passwords above (an app password, a 授权码); oauth2: SASL XOAUTH2 on IMAP and
  // SMTP with access tokens from the OAuth2 client below (Microsoft 365, Gmail).
  std::string auth = "password";
  std::string oauth_token_url;
  std::string oauth_client_id;
  std::string oauth_client_secret;  // sealed
  std::string oauth_refresh_token;  // sealed
  std::string oauth_scope;
  bool acknowledge = false;  // automatic acknowledgement of new tickets (RFC 3834)
  Millis created_at = 0;
  Millis updated_at = 0;
};

// A mailbox's last IMAP poll, for monitoring.
struct MailboxPoll {
  std::int64_t id = 0;
  std::string address;
  std::optional<Millis> last_poll_at;  // none: never polled
  bool failing = false;                // the last poll failed
};

// The mailbox that sends a department's mail: the first of that department with an SMTP server,
// else the first without a department. `mailboxes` in id order.
const Mailbox* sending_mailbox(std::span<const Mailbox> mailboxes,
                               std::optional<std::int64_t> department_id);

// Host names and IMAP folder names go into URLs and IMAP commands: letters, digits, . - _ and
// the `extra` characters only, 1 to 255 of them.
bool is_plain_name(std::string_view name, std::string_view extra);

}  // namespace gongdan
