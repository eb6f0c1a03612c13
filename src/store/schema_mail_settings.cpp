#include "store/schema.hpp"

namespace gongdan::store {

// Mail settings per department and per ticket. mail_settings has one row per department that has
// its own settings, and the row with department_id 0 holds the defaults (tickets without a
// department, departments without a row). NULL in outside_replies or acknowledge means "inherit":
// the ticket's setting falls back to its department's, that to the defaults, the acknowledgement
// switch to the sending mailbox's `acknowledge`. Empty templates fall back the same way and, last,
// to the built-in texts. `signature` ends every agent reply sent by mail.
std::string_view mail_settings_schema_sql() {
  return R"sql(
CREATE TABLE mail_settings (
  department_id INTEGER PRIMARY KEY,
  outside_replies TEXT CHECK (outside_replies IN ('new_ticket', 'follower')),
  acknowledge INTEGER,
  ack_subject_en TEXT NOT NULL DEFAULT '',
  ack_body_en TEXT NOT NULL DEFAULT '',
  ack_subject_zh TEXT NOT NULL DEFAULT '',
  ack_body_zh TEXT NOT NULL DEFAULT '',
  signature TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL
);

CREATE TABLE ticket_mail_settings (
  ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
  outside_replies TEXT CHECK (outside_replies IN ('new_ticket', 'follower')),
  updated_at INTEGER NOT NULL
);
)sql";
}

}  // namespace gongdan::store
