// SAML sign-ins sent to an identity provider (table saml_logins) and the assertions already
// accepted (saml_assertions_seen): a Response must answer a request sent from here, once, and
// an assertion signs someone in once. Rows past expires_at are swept when a sign-in starts.
#pragma once

#include <optional>
#include <string>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct SamlLogin {
  std::string relay_hash;  // SHA-256 hex of the RelayState sent with the AuthnRequest
  std::int64_t provider_id = 0;
  std::string request_id;  // the AuthnRequest's ID
  std::string return_to;
  Millis expires_at = 0;
  bool used = false;
};

// Stores `login`, first removing the logins and remembered assertions that expired before `now`.
Result<void> insert_saml_login(Connection& c, const SamlLogin& login, Millis now);
Result<std::optional<SamlLogin>> find_saml_login(Connection& c, std::string_view relay_hash);
// Marks the login used; false when it was used already.
Result<bool> use_saml_login(Connection& c, std::string_view relay_hash);
// Remembers an accepted assertion; false when it was seen before.
Result<bool> remember_saml_assertion(Connection& c, std::int64_t provider_id,
                                     std::string_view assertion_id, Millis expires_at);

}  // namespace gongdan::store
