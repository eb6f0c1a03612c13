#include "store/roles_store.hpp"

namespace gongdan::store {

Result<std::optional<std::string>> role_permissions(Connection& c, std::int64_t role_id) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT permissions FROM roles WHERE id = ?"));
  return read_first(q.bind(role_id), [](const Query& r) { return r.text(0); });
}

Result<std::vector<std::int64_t>> role_holders(Connection& c, std::int64_t role_id) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT id FROM users WHERE role_id = ? ORDER BY id"));
  return read_rows(q.bind(role_id), [](const Query& r) { return r.integer(0); });
}

Result<void> set_holders_base_role(Connection& c, std::int64_t role_id, Role base) {
  return run(c, "UPDATE users SET role = ? WHERE role_id = ?", role_name(base), role_id);
}

}  // namespace gongdan::store
