#include "store/schema.hpp"

namespace gongdan::store {

// Issue 21, custom roles: an admin's roles (a declared resource, services/staff_roles.cpp),
// their permissions as names separated by spaces, and the role a staff member holds. A role
// still held cannot be removed (the service says who holds it; the foreign key is the last
// guard).
std::string_view roles_schema_sql() {
  return R"sql(
CREATE TABLE roles (
  id {{id}},
  name TEXT NOT NULL,
  name_norm TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL DEFAULT '',
  permissions TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
ALTER TABLE users ADD COLUMN role_id INTEGER REFERENCES roles (id);
CREATE INDEX users_by_role_id ON users (role_id);
)sql";
}

}  // namespace gongdan::store
