#include "store/schema.hpp"

#include "store/assist_store.hpp"

namespace gongdan::store {
namespace {

// {{id}} is the engine's auto-increment primary key. Times are UTC milliseconds.
constexpr std::string_view k0001Accounts = R"sql(
CREATE TABLE users (
  id {{id}},
  role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'agent', 'light_agent', 'customer')),
  email TEXT NOT NULL,
  email_norm TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  locale TEXT NOT NULL DEFAULT 'en',
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  active INTEGER NOT NULL DEFAULT 1,
  password_hash TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX users_by_kind ON users ((role = 'customer'), id);

CREATE TABLE sessions (
  id {{id}},
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id {{id}},
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TABLE audit_log (
  id {{id}},
  at INTEGER NOT NULL,
  actor_id INTEGER,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE login_failures (
  id {{id}},
  at INTEGER NOT NULL,
  email_norm TEXT NOT NULL,
  ip TEXT NOT NULL
);
CREATE INDEX login_failures_by_email ON login_failures (email_norm, at);
CREATE INDEX login_failures_by_ip ON login_failures (ip, at);
)sql";

// Tickets and everything around them. Counters in view_counts are kept up to date by the
// tickets service in the same transaction as each change, so lists never count per request.
constexpr std::string_view k0002Tickets = R"sql(
CREATE TABLE organizations (
  id {{id}},
  name TEXT NOT NULL,
  name_norm TEXT NOT NULL UNIQUE,
  domains TEXT NOT NULL DEFAULT '',
  shared_tickets INTEGER NOT NULL DEFAULT 0,
  tier TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

ALTER TABLE users ADD COLUMN organization_id INTEGER REFERENCES organizations (id);
ALTER TABLE users ADD COLUMN all_departments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN signature TEXT NOT NULL DEFAULT '';

CREATE TABLE contact_identities (
  id {{id}},
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
  value TEXT NOT NULL,
  value_norm TEXT NOT NULL,
  UNIQUE (kind, value_norm)
);
CREATE INDEX contact_identities_by_user ON contact_identities (user_id);

CREATE TABLE departments (
  id {{id}},
  name TEXT NOT NULL,
  name_norm TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);

CREATE TABLE agent_departments (
  agent_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  department_id INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
  PRIMARY KEY (agent_id, department_id)
);
CREATE INDEX agent_departments_by_department ON agent_departments (department_id);

CREATE TABLE statuses (
  id {{id}},
  name TEXT NOT NULL,
  name_zh TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL CHECK (category IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
  position INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1
);
INSERT INTO statuses (name, name_zh, category, position) VALUES
  ('New', '新建', 'new', 1), ('Open', '处理中', 'open', 2), ('Pending', '等待回复', 'pending', 3),
  ('On hold', '挂起', 'on_hold', 4), ('Solved', '已解决', 'solved', 5), ('Closed', '已关闭', 'closed', 6);

CREATE TABLE custom_fields (
  id {{id}},
  key TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  label TEXT NOT NULL,
  label_zh TEXT NOT NULL DEFAULT '',
  options TEXT NOT NULL DEFAULT '[]',
  active INTEGER NOT NULL DEFAULT 1,
  position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE ticket_forms (
  id {{id}},
  name TEXT NOT NULL,
  department_id INTEGER REFERENCES departments (id) ON DELETE CASCADE,
  fields TEXT NOT NULL DEFAULT '[]',
  active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE ticket_numbers (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  next_number INTEGER NOT NULL
);
INSERT INTO ticket_numbers VALUES (1, 1);

CREATE TABLE tickets (
  id {{id}},
  number INTEGER NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  status_id INTEGER NOT NULL REFERENCES statuses (id),
  category TEXT NOT NULL,
  priority INTEGER NOT NULL,
  type TEXT NOT NULL,
  department_id INTEGER REFERENCES departments (id),
  assignee_id INTEGER REFERENCES users (id),
  requester_id INTEGER NOT NULL REFERENCES users (id),
  organization_id INTEGER REFERENCES organizations (id),
  channel TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '',
  custom_fields TEXT NOT NULL DEFAULT '{}',
  merged_into INTEGER,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  first_response_at INTEGER,
  solved_at INTEGER,
  sla_policy_id INTEGER,
  first_response_due_at INTEGER,
  next_response_due_at INTEGER,
  resolution_due_at INTEGER
);
CREATE INDEX tickets_by_department ON tickets (department_id, category, updated_at, id);
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, category, updated_at, id);
CREATE INDEX tickets_by_category ON tickets (category, updated_at, id);
CREATE INDEX tickets_by_requester ON tickets (requester_id, updated_at, id);
CREATE INDEX tickets_by_organization ON tickets (organization_id, updated_at, id);
CREATE INDEX tickets_by_status ON tickets (status_id, updated_at, id);
CREATE INDEX tickets_by_updated ON tickets (updated_at, id);
CREATE INDEX tickets_by_created ON tickets (created_at, id);
CREATE INDEX tickets_by_priority ON tickets (priority, updated_at, id);

CREATE TABLE ticket_tags (
  tag TEXT NOT NULL,
  ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, ticket_id)
);
CREATE INDEX ticket_tags_by_ticket ON ticket_tags (ticket_id);

CREATE TABLE ticket_followers (
  ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (ticket_id, user_id)
);

CREATE TABLE ticket_links (
  ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  other_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  PRIMARY KEY (ticket_id, other_id)
);

CREATE TABLE messages (
  id {{id}},
  ticket_id INTEGER NOT NULL REFERENCES tickets (id),
  author_id INTEGER REFERENCES users (id),
  internal INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL,
  html TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX messages_by_ticket ON messages (ticket_id, id);

CREATE TABLE attachments (
  id {{id}},
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  claimed_type TEXT NOT NULL DEFAULT '',
  filename TEXT NOT NULL,
  uploader_id INTEGER REFERENCES users (id),
  message_id INTEGER REFERENCES messages (id),
  created_at INTEGER NOT NULL
);
CREATE INDEX attachments_by_message ON attachments (message_id);

CREATE TABLE ticket_events (
  id {{id}},
  ticket_id INTEGER NOT NULL REFERENCES tickets (id),
  at INTEGER NOT NULL,
  actor_id INTEGER REFERENCES users (id),
  via TEXT NOT NULL,
  field TEXT NOT NULL,
  old_value TEXT,
  new_value TEXT
);
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, id);

CREATE TABLE view_counts (
  view_key TEXT PRIMARY KEY,
  n INTEGER NOT NULL
);

CREATE TABLE saved_views (
  id {{id}},
  name TEXT NOT NULL,
  owner_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
  filters TEXT NOT NULL,
  sort TEXT NOT NULL DEFAULT '-updated_at',
  position INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE idempotency_keys (
  user_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  ticket_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
);

{{fts_tickets}}
{{fts_messages}}
{{fts_contacts}}
)sql";

}  // namespace

const std::vector<Migration>& schema_migrations() {
  static const std::vector<Migration> migrations = {
      {1, "accounts", k0001Accounts},
      {2, "tickets", k0002Tickets},
      {3, "jobs", jobs_schema()},
      {4, "mail", mail_schema_sql()},
      {5, "automation", automation_schema()},
      {6, "skills", skills_schema_sql()},
      {7, "job claims", job_claims_schema()},
      {8, "mail_settings", mail_settings_schema_sql()},
      {9, "login_links", login_links_schema_sql()},
      {10, "ticket number sequence", ticket_number_sequence_schema()},
      {11, "counter shards", count_shards_schema()},
      {12, "search buckets", search_buckets_schema()},
      {13, "search blocks", search_blocks_schema()},
      {14, "mail jobs", mail_jobs_schema()},
      {15, "security", security_schema_sql()},
      {16, "knowledge base", kb_schema_sql()},
      {17, "reports", reports_schema_sql()},
      {18, "identity", identity_schema_sql()},
      {19, "inbound", inbound_schema_sql()},
      {21, "import", import_schema_sql()},
      // The request that enqueued a job, so its log lines carry the same id (operations.md).
      {22, "job request ids", "ALTER TABLE jobs ADD COLUMN request_id TEXT NOT NULL DEFAULT ''"},
      {23, "customer satisfaction", csat_schema_sql()},
      {24, "triage", triage_schema_sql()},
      {25, "chat", chat_schema_sql()},
      {26, "sign-in providers", sign_in_schema_sql()},
      // A deleted quarantine entry is marked, not removed: SQLite would give its id to the next
      // entry, and the audit log's "quarantine:ID" must name one message only.
      {28, "quarantine deletions", "ALTER TABLE mail_quarantine ADD COLUMN deleted_at INTEGER"},
      {29, "openid connect", oidc_schema_sql()},
      // The language a ticket was written in (issue 22), detected when its requester writes.
      {30, "ticket language", "ALTER TABLE tickets ADD COLUMN language TEXT NOT NULL DEFAULT ''"},
      {31, "knowledge base schedules and outdated translations", kb_schedule_schema_sql()},
      // Where a WeCom customer-service source's next kf/sync_msg pull starts.
      {32, "inbound sync cursors",
       "ALTER TABLE inbound_sources ADD COLUMN sync_cursor TEXT NOT NULL DEFAULT ''"},
      {33, "report dimensions", report_dimensions_schema_sql()},
      {34, "personal data", privacy_schema_sql()},
      {35, "saml", saml_schema_sql()},
      {36, "drafts and summaries", assist_schema_sql()},
      // Since when a connection waits in IMAP IDLE on a mailbox (issue 20); NULL: polled only.
      {37, "mailbox idle", "ALTER TABLE mailboxes ADD COLUMN idle_since INTEGER"},
      // Mailboxes that sign in with OAuth2 (XOAUTH2) instead of a password (issue 20).
      {38, "mailbox oauth2", mailbox_oauth_schema_sql()},
      // A sender's last ticket (inbound_taking's open_ticket_of) is asked for on every IM
      // message: without this index each ask read every event of the source and sorted them,
      // so intake slowed as the source aged (bench/im_inbound.py: 112 messages/s at 18,000).
      {39, "inbound events by sender",
       "CREATE INDEX inbound_events_by_sender ON inbound_events (source_id, external_id, id)"},
      {40, "drafts and summaries limits", assist_limits_schema_sql()},
      {41, "knowledge base files and help centre settings", kb_files_schema_sql()},
      {42, "report schedules", report_schedules_schema_sql()},
      {43, "report daily rollups", report_daily_schema_sql()},
      {47, "similar tickets' sentence vectors", ticket_vectors_schema_sql()},
      // Issue 21, encryption at rest: the keys (by id and fingerprint) the install's files and
      // sealed secrets need, so a missing or wrong key is refused at start-up instead of a new
      // key being made over data it cannot read (services/key_check.hpp).
      {49, "encryption keys",
       "CREATE TABLE encryption_keys (key_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, "
       "added_at INTEGER NOT NULL, retired_at INTEGER)"},
      {50, "custom roles", roles_schema_sql()},
      // Issue 21: attachment files kept in the database (attachment_storage = "database"), so
      // nodes on one PostgreSQL share no directory. A head row per blob, then its stored
      // (encrypted) bytes in chunks of at most 1 MiB (store/attachment_blobs_store.hpp).
      {51, "attachment blobs in the database",
       "CREATE TABLE attachment_blob_heads (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, "
       "chunks INTEGER NOT NULL);"
       "CREATE TABLE attachment_blob_chunks (sha256 TEXT NOT NULL, chunk INTEGER NOT NULL, "
       "bytes {{blob}} NOT NULL, PRIMARY KEY (sha256, chunk))"},
      // Issue 19: days and months folded from finished hours by a job, not in the ticket write.
      {52, "report days and months", report_folds_schema_sql()},
      {53, "report hourly keys", report_hourly_keys_schema_sql()},
      // A saved view's inbox columns in order (issue 17), a JSON list; empty: the default.
      {55, "view columns", "ALTER TABLE saved_views ADD COLUMN columns TEXT NOT NULL DEFAULT '[]'"},
      // Issue 21: the two-factor policy names custom roles too (second_factor_roles' CHECK
      // holds built-in names only). Removing a role removes it from the policy.
      {56, "second factor for custom roles",
       "CREATE TABLE second_factor_custom_roles (role_id INTEGER PRIMARY KEY REFERENCES roles "
       "(id) ON DELETE CASCADE)"},
      // Issue 18: the knowledge base's generation, moved by every change the help centre shows
      // in the change's own transaction; each node reads it every five seconds, so a change
      // whose notice a node missed (PostgreSQL) still clears its kept pages (KbBackground).
      {57, "knowledge base generation",
       "CREATE TABLE kb_generation (id INTEGER PRIMARY KEY, value BIGINT NOT NULL);"
       "INSERT INTO kb_generation (id, value) VALUES (1, 0)"},
      // Issue 19: handle time, the time agents spend working on tickets (docs/metrics.md).
      {58, "ticket work time", ticket_work_schema_sql()},
  };
  return migrations;
}

}  // namespace gongdan::store
