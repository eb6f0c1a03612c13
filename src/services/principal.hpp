// Who is asking: the signed-in person or the API token's owner, with what the credential allows.
// Built by AuthService; every service method that acts for someone takes one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/permission.hpp"
#include "domain/user.hpp"
#include "util/result.hpp"

namespace gongdan::services {

enum class CredentialKind { kSession, kToken, kSystem };

struct Principal {
  User user;
  CredentialKind via = CredentialKind::kSystem;
  std::int64_t credential_id = 0;  // session or token id
  std::string csrf_token;          // sessions only
  bool can_read = true;
  bool can_write = true;
  bool can_post_mail = false;  // tokens with the "mail" scope (mailgate)
  // A session of someone whose role must use a second factor and who has not enrolled one:
  // it may only enrol (and read who it is, and sign out); the dispatcher refuses the rest.
  bool enrolment_only = false;
  std::string ip;
  // The permissions of the user's custom role (User::role_id); none: the built-in role's preset.
  std::optional<PermissionSet> custom_permissions;

  bool is_agent() const { return is_agent_role(user.role); }
  PermissionSet permissions() const {
    return custom_permissions ? *custom_permissions : preset_permissions(user.role);
  }
  // Staff only: customers hold no permission whatever a set says.
  bool can(Permission p) const { return is_agent() && permissions().has(p); }
  // The command line acts with full rights and no user.
  static Principal system() {
    Principal p;
    p.user.role = Role::kAdmin;
    p.user.name = "system";
    return p;
  }
};

// The usual first line of a command that needs a permission: "your role may not <what>"
// otherwise (a 403 that names the permission).
inline Result<void> require(const Principal& who, Permission p, std::string_view what) {
  if (!who.can(p))
    return fail(ErrorCode::kPermissionDenied, "your role may not " + std::string(what) + " (" +
                                                  std::string(permission_name(p)) + ")");
  return {};
}

}  // namespace gongdan::services
