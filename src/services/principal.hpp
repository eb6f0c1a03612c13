// Who is asking: the signed-in person or the API token's owner, with what the credential allows.
// Built by AuthService; every service method that acts for someone takes one.
#pragma once

#include <cstdint>
#include <string>

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

  bool is_admin() const { return user.role == Role::kAdmin; }
  bool is_agent() const { return is_agent_role(user.role); }
  // The command line acts with full rights and no user.
  static Principal system() {
    Principal p;
    p.user.role = Role::kAdmin;
    p.user.name = "system";
    return p;
  }
};

// The usual first line of an admin-only command: "only admins may <what>" otherwise.
inline Result<void> require_admin(const Principal& who, std::string_view what) {
  if (!who.is_admin())
    return fail(ErrorCode::kPermissionDenied, "only admins may " + std::string(what));
  return {};
}

}  // namespace gongdan::services
