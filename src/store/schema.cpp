#include "store/schema.hpp"

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

}  // namespace

const std::vector<Migration>& schema_migrations() {
  static const std::vector<Migration> migrations = {
      {1, "accounts", k0001Accounts},
  };
  return migrations;
}

}  // namespace gongdan::store
