// The account someone signs in as when another system vouches for them (an LDAP directory, an
// OpenID Connect provider): found by the link kept from an earlier sign-in, else by email, else
// made just in time; every sign-in sets its role, name and departments from what that system
// says. An account with a password of its own here is never taken over by email: its owner
// signs in with that password.
#pragma once

#include <string>

#include "domain/ldap_directory.hpp"
#include "services/credential_cache.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

class Directory;

struct ExternalPerson {
  std::string provider;  // "ldap:<id>", "oidc:<id>"
  std::string subject;   // who they are there (a DN, a `sub`)
  std::string email;
  std::string name;
  MappedAccount account;
  bool may_create = true;  // false: only accounts that exist already sign in
};

// Where a browser goes after signing in through another system: `to` when it is a path on this
// server, else /desk (never another site: //evil.example, a scheme, a line break).
std::string safe_return_to(std::string_view to);

// 403 for an unusable email or (may_create false) no account; 409 for an account with its own
// password. Audits user.create and user.role (with "via": provider).
Result<User> provision_external_account(store::Database& db, const Clock& clock,
                                        CredentialCache& cache, Directory& directory,
                                        const ExternalPerson& person, std::string_view ip);

}  // namespace gongdan::services
