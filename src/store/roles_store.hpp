// Custom roles as the rest of the install reads them (the resource's own reads and writes are
// store/resource_store's): a role's permissions, who holds it. Functions run inside a read or
// write callback and take its Connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/user.hpp"
#include "store/database.hpp"

namespace gongdan::store {

// The role's permissions as stored (names separated by spaces); nothing when there is no role.
Result<std::optional<std::string>> role_permissions(Connection& c, std::int64_t role_id);
// The ids of the users who hold the role.
Result<std::vector<std::int64_t>> role_holders(Connection& c, std::int64_t role_id);
// The built-in role every holder counts as (domain/permission.hpp base_role_of).
Result<void> set_holders_base_role(Connection& c, std::int64_t role_id, Role base);

}  // namespace gongdan::store
