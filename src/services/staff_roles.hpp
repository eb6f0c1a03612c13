// Custom roles: an admin composes a staff role from named permissions (domain/permission.hpp),
// declared once as the resource "roles" (/api/v1/roles), and gives it to agents
// (UsersService). A principal and a viewer carry the permissions of the holder's role; every
// check asks for a permission. Changing a role's permissions reaches its holders at once (their
// cached credentials go, on every node); a role still held cannot be removed (409).
#pragma once

#include <optional>

#include "domain/permission.hpp"
#include "domain/resource.hpp"
#include "services/resource_service.hpp"
#include "services/store_fwd.hpp"

namespace gongdan::services {

class CredentialCache;

const Resource<StaffRole>& staff_role_resource();
void add_staff_roles(Resources& resources, CredentialCache& credentials);

// The permissions of the user's custom role; nothing for a built-in role (its preset applies).
// A role that has gone meanwhile gives no permission at all rather than the base role's.
Result<std::optional<PermissionSet>> custom_permissions(store::Connection& c, const User& user);
// Stored permission names to a set; names this build does not know are skipped (a role written
// by a newer release).
PermissionSet stored_permissions(std::string_view names);

}  // namespace gongdan::services
