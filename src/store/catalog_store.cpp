#include "store/catalog_store.hpp"

#include "util/text.hpp"

namespace gongdan::store {

Result<std::vector<std::int64_t>> departments_of_agent(Connection& c, std::int64_t agent_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT department_id FROM agent_departments WHERE agent_id = ? "
                               "ORDER BY department_id"));
  return read_ids(q.bind(agent_id));
}

Result<std::vector<std::int64_t>> agents_of_department(Connection& c, std::int64_t department_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT agent_id FROM agent_departments WHERE department_id = ? "
                               "ORDER BY agent_id"));
  return read_ids(q.bind(department_id));
}

Result<void> set_departments_of_agent(Connection& c, std::int64_t agent_id,
                                      const std::vector<std::int64_t>& departments) {
  GONGDAN_ASSIGN(auto clear, query(c, "DELETE FROM agent_departments WHERE agent_id = ?"));
  GONGDAN_TRY(clear.bind(agent_id).run());
  for (auto d : departments) {
    GONGDAN_ASSIGN(auto q, query(c,
                                 "INSERT INTO agent_departments (agent_id, department_id) VALUES "
                                 "(?, ?) ON CONFLICT DO NOTHING"));
    auto done = q.bind(agent_id, d).run();
    if (!done && done.error().code == ErrorCode::kConflict)
      return fail(ErrorCode::kInvalidArgument, "no such department", "departments");
    GONGDAN_TRY(std::move(done));
  }
  return {};
}

Result<void> set_all_departments(Connection& c, std::int64_t agent_id, bool all) {
  return run(c, "UPDATE users SET all_departments = ? WHERE id = ?", all, agent_id);
}

Result<bool> agent_sees_all_departments(Connection& c, std::int64_t agent_id) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT all_departments FROM users WHERE id = ?"));
  GONGDAN_ASSIGN(bool row, q.bind(agent_id).next());
  return row && q.integer(0) != 0;
}

Result<std::optional<std::int64_t>> find_organization_by_domain(Connection& c,
                                                                std::string_view domain) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id FROM organizations WHERE ' ' || domains || ' ' LIKE ? "
                               "ORDER BY id LIMIT 1"));
  return read_first_id(q.bind("% " + text::to_lower_ascii(domain) + " %"));
}

Result<std::optional<std::int64_t>> organization_of_user(Connection& c, std::int64_t user_id) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT organization_id FROM users WHERE id = ?"));
  GONGDAN_ASSIGN(bool row, q.bind(user_id).next());
  if (!row) return std::optional<std::int64_t>{};
  return q.optional_integer(0);
}

Result<void> set_organization_of_user(Connection& c, std::int64_t user_id,
                                      std::optional<std::int64_t> organization_id) {
  return run(c, "UPDATE users SET organization_id = ? WHERE id = ?", organization_id, user_id);
}

Result<std::optional<std::int64_t>> find_user_by_identity(Connection& c, std::string_view kind,
                                                          std::string_view value) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT user_id FROM contact_identities WHERE kind = ? AND "
                               "value_norm = ?"));
  return read_first_id(q.bind(kind, text::normalize_email(value)));
}

Result<void> add_identity(Connection& c, std::int64_t user_id, std::string_view kind,
                          std::string_view value) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO contact_identities (user_id, kind, value, value_norm) "
                               "VALUES (?, ?, ?, ?)"));
  auto done = q.bind(user_id, kind, value, text::normalize_email(value)).run();
  if (!done && done.error().code == ErrorCode::kConflict)
    return fail(ErrorCode::kConflict, "this " + std::string(kind) + " belongs to someone else",
                kind == "email" ? "emails" : "phones");
  return done;
}

Result<void> replace_identities(Connection& c, std::int64_t user_id, std::string_view kind,
                                const std::vector<std::string>& values) {
  GONGDAN_ASSIGN(auto clear,
                 query(c, "DELETE FROM contact_identities WHERE user_id = ? AND kind = ?"));
  GONGDAN_TRY(clear.bind(user_id, kind).run());
  for (const auto& v : values) GONGDAN_TRY(add_identity(c, user_id, kind, v));
  return {};
}

Result<std::vector<std::pair<std::string, std::string>>> identities_of(Connection& c,
                                                                       std::int64_t user_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT kind, value FROM contact_identities WHERE user_id = ? "
                               "ORDER BY id"));
  return read_rows(q.bind(user_id), [](const Query& r) { return std::pair{r.text(0), r.text(1)}; });
}

}  // namespace gongdan::store
