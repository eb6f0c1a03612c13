#include "store/schema.hpp"

namespace gongdan::store {

// Issue 20. Cc and Bcc of outgoing mail (space-separated addresses). Inbound sources (IM and
// CTI webhooks, declared resources), the identities a provider knows a contact by, one row per
// provider event taken in (its UNIQUE pair is the dedupe of provider retries), the IM outbox
// (agent replies sent back through the source, each with its job), and calls logged on tickets.
// Ticket ids are not foreign keys here, as in the events: a row outlives nothing it names.
std::string_view inbound_schema_sql() {
  return R"sql(
ALTER TABLE outbound_mail ADD COLUMN cc_addresses TEXT NOT NULL DEFAULT '';
ALTER TABLE outbound_mail ADD COLUMN bcc_addresses TEXT NOT NULL DEFAULT '';

CREATE TABLE inbound_sources (
  id {{id}},
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  name_norm TEXT NOT NULL UNIQUE,
  department_id INTEGER REFERENCES departments (id),
  signing_secret TEXT NOT NULL DEFAULT '',
  api_token TEXT NOT NULL DEFAULT '',
  aes_key TEXT NOT NULL DEFAULT '',
  app_id TEXT NOT NULL DEFAULT '',
  api_base TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  received INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE provider_identities (
  id {{id}},
  source_id INTEGER NOT NULL REFERENCES inbound_sources (id) ON DELETE CASCADE,
  external_id TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  display_name TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  UNIQUE (source_id, external_id)
);
CREATE INDEX provider_identities_by_user ON provider_identities (user_id);

CREATE TABLE inbound_events (
  id {{id}},
  source_id INTEGER NOT NULL REFERENCES inbound_sources (id) ON DELETE CASCADE,
  provider_event_id TEXT NOT NULL,
  external_id TEXT NOT NULL DEFAULT '',
  ticket_id INTEGER,
  ticket_message_id INTEGER,
  created_at INTEGER NOT NULL,
  UNIQUE (source_id, provider_event_id)
);
CREATE INDEX inbound_events_by_ticket ON inbound_events (ticket_id, id);

CREATE TABLE outbound_im (
  id {{id}},
  source_id INTEGER NOT NULL,
  ticket_id INTEGER NOT NULL,
  ticket_message_id INTEGER,
  external_id TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX outbound_im_by_message ON outbound_im (ticket_message_id);

CREATE TABLE call_logs (
  id {{id}},
  ticket_id INTEGER NOT NULL,
  author_id INTEGER,
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  number TEXT NOT NULL DEFAULT '',
  duration_seconds INTEGER NOT NULL DEFAULT 0,
  outcome TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  recording_url TEXT NOT NULL DEFAULT '',
  started_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX call_logs_by_ticket ON call_logs (ticket_id, id);
)sql";
}

}  // namespace gongdan::store
