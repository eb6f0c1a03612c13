// OpenID Connect sign-ins sent to a provider and not back yet: table oidc_logins. A row is taken
// (read and deleted in one write) when the provider sends the browser back, so a state works
// once; rows past expires_at are swept when a new sign-in starts.
#pragma once

#include <optional>
#include <string>

#include "store/database.hpp"

namespace gongdan::store {

struct OidcLogin {
  std::string state_hash;  // SHA-256 hex of the state sent to the provider
  std::int64_t provider_id = 0;
  std::string browser_hash;  // SHA-256 hex of the cookie set on the browser that started it
  std::string nonce;
  std::string code_verifier;
  std::string redirect_uri;
  std::string return_to;
  Millis expires_at = 0;
};

// Stores `login`, first removing the rows that expired before `now`.
Result<void> insert_oidc_login(Connection& c, const OidcLogin& login, Millis now);
// The row with this state digest, deleted; nothing when there is none.
Result<std::optional<OidcLogin>> take_oidc_login(Connection& c, std::string_view state_hash);

}  // namespace gongdan::store
