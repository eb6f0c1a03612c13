#include "store/schema.hpp"

namespace gongdan::store {

// Mail threading and the quarantine. mail_messages holds every Message-ID we have seen or sent,
// with the ticket it belongs to: threading looks replies up here, and the UNIQUE index makes the
// same message arriving twice (two mailboxes, a re-fetch, an MTA retry) land once. Raw messages
// live in the content-addressed blob store, named by their SHA-256. mailboxes are the IMAP
// accounts polled per department; imap_password is sealed (libsodium secretbox, key file in the
// data directory), never stored in clear.
std::string_view mail_schema_sql() {
  return R"sql(
CREATE TABLE mail_messages (
  id {{id}},
  message_id TEXT NOT NULL,
  ticket_id INTEGER NOT NULL REFERENCES tickets (id),
  ticket_message_id INTEGER REFERENCES messages (id),
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  raw_sha256 TEXT NOT NULL DEFAULT '',
  raw_size INTEGER NOT NULL DEFAULT 0,
  from_address TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  full_text TEXT NOT NULL DEFAULT '',
  quoted_text TEXT NOT NULL DEFAULT '',
  quoted_html TEXT NOT NULL DEFAULT '',
  flags TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX mail_messages_by_message_id ON mail_messages (message_id);
CREATE INDEX mail_messages_by_ticket_message ON mail_messages (ticket_message_id);

CREATE TABLE mail_quarantine (
  id {{id}},
  raw_sha256 TEXT NOT NULL,
  raw_size INTEGER NOT NULL,
  department_id INTEGER,
  reason TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'released')),
  attempts INTEGER NOT NULL DEFAULT 1,
  ticket_number INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX mail_quarantine_by_status ON mail_quarantine (status, id);

CREATE TABLE mailboxes (
  id {{id}},
  address TEXT NOT NULL,
  department_id INTEGER REFERENCES departments (id),
  imap_host TEXT NOT NULL DEFAULT '',
  imap_port INTEGER NOT NULL DEFAULT 993,
  imap_tls TEXT NOT NULL DEFAULT 'tls' CHECK (imap_tls IN ('tls', 'starttls', 'none')),
  imap_user TEXT NOT NULL DEFAULT '',
  imap_password TEXT NOT NULL DEFAULT '',
  imap_folder TEXT NOT NULL DEFAULT 'INBOX',
  poll_seconds INTEGER NOT NULL DEFAULT 60,
  after_fetch TEXT NOT NULL DEFAULT 'seen' CHECK (after_fetch IN ('seen', 'move', 'delete')),
  move_to TEXT NOT NULL DEFAULT '',
  trusted INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  last_poll_at INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  fetched INTEGER NOT NULL DEFAULT 0,
  smtp_host TEXT NOT NULL DEFAULT '',
  smtp_port INTEGER NOT NULL DEFAULT 587,
  smtp_tls TEXT NOT NULL DEFAULT 'starttls' CHECK (smtp_tls IN ('tls', 'starttls', 'none')),
  smtp_user TEXT NOT NULL DEFAULT '',
  smtp_password TEXT NOT NULL DEFAULT '',
  acknowledge INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX mailboxes_by_address ON mailboxes (address);

CREATE TABLE outbound_mail (
  id {{id}},
  ticket_id INTEGER NOT NULL REFERENCES tickets (id),
  ticket_message_id INTEGER REFERENCES messages (id),
  mailbox_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('reply', 'acknowledgement')),
  message_id TEXT NOT NULL,
  from_address TEXT NOT NULL,
  from_name TEXT NOT NULL DEFAULT '',
  to_address TEXT NOT NULL,
  to_name TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL,
  in_reply_to TEXT NOT NULL DEFAULT '',
  thread_references TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  html TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX outbound_mail_due ON outbound_mail (status, next_attempt_at);
CREATE INDEX outbound_mail_by_message ON outbound_mail (ticket_message_id);
CREATE INDEX outbound_mail_by_recipient ON outbound_mail (to_address, kind, created_at);
)sql";
}

// Issue 20: the OAuth2 client a mailbox signs in to IMAP and SMTP with; secrets sealed.
std::string_view mailbox_oauth_schema_sql() {
  return R"sql(
ALTER TABLE mailboxes ADD COLUMN auth TEXT NOT NULL DEFAULT 'password';
ALTER TABLE mailboxes ADD COLUMN oauth_token_url TEXT NOT NULL DEFAULT '';
ALTER TABLE mailboxes ADD COLUMN oauth_client_id TEXT NOT NULL DEFAULT '';
ALTER TABLE mailboxes ADD COLUMN oauth_client_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE mailboxes ADD COLUMN oauth_refresh_token TEXT NOT NULL DEFAULT '';
ALTER TABLE mailboxes ADD COLUMN oauth_scope TEXT NOT NULL DEFAULT '';
)sql";
}

}  // namespace gongdan::store
