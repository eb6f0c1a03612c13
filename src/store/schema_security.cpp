#include "store/schema.hpp"

namespace gongdan::store {

// Issue 16. Tokens issued through the holes it closed are revoked: every customer's (customers
// hold none now) and every mail token a non-admin made for themselves through the API (the
// command line's have no actor in the audit log and stay). Sign-ups wait in signup_requests
// until the mailed link proves the address; only the link's SHA-256 and the password's
// Argon2id hash are kept. Sign-in failures are counted per account and client address.
std::string_view security_schema_sql() {
  return R"sql(
UPDATE api_tokens SET revoked_at = {{now_ms}}
 WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE role = 'customer');
UPDATE api_tokens SET revoked_at = {{now_ms}}
 WHERE revoked_at IS NULL AND scopes LIKE '%mail%'
   AND EXISTS (SELECT 1 FROM audit_log a JOIN users u ON u.id = a.actor_id
               WHERE a.action = 'token.create' AND u.role <> 'admin'
                 AND a.target = 'token:' || CAST(api_tokens.id AS TEXT));
CREATE TABLE signup_requests (
  id {{id}},
  email TEXT NOT NULL,
  email_norm TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  locale TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE UNIQUE INDEX signup_requests_by_token ON signup_requests (token_hash);
CREATE INDEX signup_requests_by_email ON signup_requests (email_norm, created_at);
CREATE INDEX login_failures_by_pair ON login_failures (email_norm, ip, at);
)sql";
}

}  // namespace gongdan::store
