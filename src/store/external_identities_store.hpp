// Accounts linked to who they are in another system (an LDAP entry, an OpenID Connect subject):
// table external_identities. `provider` is "ldap:<id>" or "oidc:<id>".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace gongdan::store {

struct ExternalIdentity {
  std::int64_t user_id = 0;
  std::string subject;
};

Result<std::optional<std::int64_t>> find_linked_user(Connection& c, std::string_view provider,
                                                     std::string_view subject);
// Links (or, when linked already, marks as seen now).
Result<void> link_identity(Connection& c, std::int64_t user_id, std::string_view provider,
                           std::string_view subject, Millis now);
// Every account linked to `provider` whose user is still active.
Result<std::vector<ExternalIdentity>> active_identities_of(Connection& c,
                                                           std::string_view provider);
// Deactivates the account and ends its sessions; false when it was inactive already.
Result<bool> deactivate_user(Connection& c, std::int64_t user_id, Millis now);

}  // namespace gongdan::store
