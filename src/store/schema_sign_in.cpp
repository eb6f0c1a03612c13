#include "store/schema.hpp"

namespace gongdan::store {

// Issue 21. Sign-in through other systems. ldap_directories is a declared resource
// (services/ldap_service.cpp); its service password is sealed with the data directory's key.
// external_identities links an account to who it is in another system (for LDAP the entry's
// DN, as "ldap:<directory id>"); an account may have several.
std::string_view sign_in_schema_sql() {
  return R"sql(
CREATE TABLE ldap_directories (
  id {{id}},
  name TEXT NOT NULL,
  name_norm TEXT NOT NULL UNIQUE,
  active INTEGER NOT NULL DEFAULT 1,
  url TEXT NOT NULL,
  start_tls INTEGER NOT NULL DEFAULT 0,
  bind_dn TEXT NOT NULL DEFAULT '',
  bind_password TEXT NOT NULL DEFAULT '',
  base_dn TEXT NOT NULL,
  user_filter TEXT NOT NULL,
  email_attribute TEXT NOT NULL DEFAULT 'mail',
  name_attribute TEXT NOT NULL DEFAULT 'cn',
  group_filter TEXT NOT NULL DEFAULT '',
  mappings TEXT NOT NULL DEFAULT '[]',
  unmapped TEXT NOT NULL DEFAULT 'refuse',
  sync_minutes INTEGER NOT NULL DEFAULT 60,
  last_sync_at INTEGER,
  last_sync_result TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE external_identities (
  id {{id}},
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  subject TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  seen_at INTEGER NOT NULL,
  UNIQUE (provider, subject)
);
CREATE INDEX external_identities_by_user ON external_identities (user_id);
)sql";
}

// Issue 21. oidc_providers is a declared resource (services/oidc_service.cpp); its client secret
// is sealed. oidc_logins holds each sign-in sent to a provider until it comes back (once): the
// digest of its state, the nonce and PKCE verifier it must match, and the digest of the cookie
// that ties it to the browser that started it.
std::string_view oidc_schema_sql() {
  return R"sql(
CREATE TABLE oidc_providers (
  id {{id}},
  name TEXT NOT NULL,
  name_norm TEXT NOT NULL UNIQUE,
  active INTEGER NOT NULL DEFAULT 1,
  issuer TEXT NOT NULL,
  client_id TEXT NOT NULL,
  client_secret TEXT NOT NULL DEFAULT '',
  scopes TEXT NOT NULL DEFAULT 'openid email profile',
  mappings TEXT NOT NULL DEFAULT '[]',
  unmapped TEXT NOT NULL DEFAULT 'refuse',
  create_accounts INTEGER NOT NULL DEFAULT 1,
  use_userinfo INTEGER NOT NULL DEFAULT 0,
  button_en TEXT NOT NULL DEFAULT '',
  button_zh TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE oidc_logins (
  state_hash TEXT PRIMARY KEY,
  provider_id INTEGER NOT NULL REFERENCES oidc_providers (id) ON DELETE CASCADE,
  browser_hash TEXT NOT NULL,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  return_to TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX oidc_logins_by_expiry ON oidc_logins (expires_at);
)sql";
}

// Issue 21. saml_providers is a declared resource (services/saml_service.cpp). saml_logins holds
// each AuthnRequest sent, by the digest of its RelayState, until it expires: the Response must
// answer its ID, and marks it used (kept, so that a replayed Response is told apart from an
// unknown one). saml_assertions_seen keeps each accepted assertion's ID until it expires, so
// the same assertion never signs anyone in twice.
std::string_view saml_schema_sql() {
  return R"sql(
CREATE TABLE saml_providers (
  id {{id}},
  name TEXT NOT NULL,
  name_norm TEXT NOT NULL UNIQUE,
  active INTEGER NOT NULL DEFAULT 1,
  entity_id TEXT NOT NULL DEFAULT '',
  sso_url TEXT NOT NULL DEFAULT '',
  certificate TEXT NOT NULL DEFAULT '',
  metadata TEXT NOT NULL DEFAULT '',
  email_attribute TEXT NOT NULL DEFAULT 'email',
  name_attribute TEXT NOT NULL DEFAULT 'displayName',
  mappings TEXT NOT NULL DEFAULT '[]',
  unmapped TEXT NOT NULL DEFAULT 'refuse',
  create_accounts INTEGER NOT NULL DEFAULT 1,
  button_en TEXT NOT NULL DEFAULT '',
  button_zh TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE saml_logins (
  relay_hash TEXT PRIMARY KEY,
  provider_id INTEGER NOT NULL REFERENCES saml_providers (id) ON DELETE CASCADE,
  request_id TEXT NOT NULL,
  return_to TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX saml_logins_by_expiry ON saml_logins (expires_at);
CREATE TABLE saml_assertions_seen (
  provider_id INTEGER NOT NULL REFERENCES saml_providers (id) ON DELETE CASCADE,
  assertion_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (provider_id, assertion_id)
);
CREATE INDEX saml_assertions_seen_by_expiry ON saml_assertions_seen (expires_at);
)sql";
}

}  // namespace gongdan::store
