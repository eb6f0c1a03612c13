#include "store/schema.hpp"

namespace gongdan::store {

// Migration 5: what triggers and time-based automations carry out, and the automations
// themselves. mail_templates hold one variant per language; notifications are the agents'
// in-app inbox; ticket_status_since remembers when a ticket entered its status (the anchor of
// "pending for 3 days"); automation_fired makes each automation fire once per ticket and anchor.
// (The cleaner finds old finished jobs through jobs_due: a job finishes after its run_at.)
std::string_view automation_schema() {
  return R"sql(
CREATE TABLE mail_templates (
  id {{id}},
  name TEXT NOT NULL,
  variants TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE notifications (
  id {{id}},
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  ticket_id INTEGER,
  ticket_number INTEGER,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  read_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);

CREATE TABLE automations (
  id {{id}},
  name TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  definition TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE ticket_status_since (
  ticket_id INTEGER PRIMARY KEY,
  status_id INTEGER NOT NULL,
  since INTEGER NOT NULL
);

CREATE TABLE automation_fired (
  key TEXT PRIMARY KEY,
  at INTEGER NOT NULL
);
)sql";
}

}  // namespace gongdan::store
