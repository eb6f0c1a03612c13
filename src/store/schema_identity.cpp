#include "store/schema.hpp"

namespace gongdan::store {

// Issue 21. Two-factor sign-in: one TOTP secret per account, sealed with the data directory's
// key (like mailbox passwords) and usable once confirmed; last_step is the time step of the
// last code accepted, so a code is never accepted twice. Recovery codes and pending second
// steps keep only SHA-256 digests. second_factor_roles lists the roles that must enrol; a
// session opened for someone who must enrol but has not is marked enrolment_only.
// The audit log becomes a keyed hash chain: each row's hash covers the row and the previous
// row's hash; audit_head holds the chain's first and last row and a MAC of both, so removing
// rows from the end shows too. Rows written before this migration stay outside the chain.
std::string_view identity_schema_sql() {
  return R"sql(
CREATE TABLE second_factors (
  user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  last_step INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE recovery_codes (
  id {{id}},
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at INTEGER
);
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id);
CREATE TABLE sign_in_challenges (
  id {{id}},
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  ip TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sign_in_challenges_by_user ON sign_in_challenges (user_id);
CREATE TABLE second_factor_roles (
  role TEXT PRIMARY KEY CHECK (role IN ('admin', 'supervisor', 'agent', 'light_agent'))
);
ALTER TABLE sessions ADD COLUMN enrolment_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY,
  first_id INTEGER NOT NULL DEFAULT 0,
  last_id INTEGER NOT NULL DEFAULT 0,
  hash TEXT NOT NULL DEFAULT '',
  mac TEXT NOT NULL DEFAULT ''
);
INSERT INTO audit_head (id) VALUES (1);
)sql";
}

}  // namespace gongdan::store
