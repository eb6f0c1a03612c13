#include "store/schema.hpp"

namespace gongdan::store {

// Sign-in links mailed to customers. Only the SHA-256 of the token is kept (like sessions), so a
// copy of the database cannot be used to sign in; used_at makes a link single-use.
std::string_view login_links_schema_sql() {
  return R"sql(
CREATE TABLE login_links (
  id {{id}},
  user_id INTEGER NOT NULL REFERENCES users (id),
  token_hash TEXT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE UNIQUE INDEX login_links_by_token ON login_links (token_hash);
CREATE INDEX login_links_by_user ON login_links (user_id, created_at);
CREATE INDEX login_links_by_ip ON login_links (ip, created_at);
)sql";
}

}  // namespace gongdan::store
