#include "store/catalog_store.hpp"

#include "util/text.hpp"

namespace gongdan::store {
namespace {

template <class Row, class Read>
Result<std::vector<Row>> collect(Query& q, Read read) {
  std::vector<Row> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    out.push_back(read(q));
  }
  return out;
}

Result<bool> changed(Connection& c, Query& q) {
  GONGDAN_TRY(q.run());
  return c.changes() > 0;
}

Result<std::int64_t> returning_id(Query& q) {
  GONGDAN_ASSIGN(bool row, q.next());
  if (!row) return fail(ErrorCode::kInternal, "insert returned no id");
  return q.integer(0);
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> out;
  for (auto w : text::split(s, ' '))
    if (!w.empty()) out.emplace_back(w);
  return out;
}

Organization read_organization(const Query& q) {
  return Organization{q.integer(0), q.text(1), split_words(q.text(2)), q.integer(3) != 0,
                      q.text(4),    q.text(5), q.integer(6),           q.integer(7)};
}

constexpr std::string_view kOrgColumns =
    "id, name, domains, shared_tickets, tier, notes, created_at, updated_at";

}  // namespace

Result<std::vector<Status>> list_statuses(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, name, name_zh, category, position, active FROM "
                               "statuses ORDER BY position, id"));
  return collect<Status>(q, [](const Query& r) {
    return Status{r.integer(0),
                  r.text(1),
                  r.text(2),
                  parse_category(r.text(3)).value_or(StatusCategory::kOpen),
                  static_cast<int>(r.integer(4)),
                  r.integer(5) != 0};
  });
}

Result<std::int64_t> insert_status(Connection& c, const Status& s) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO statuses (name, name_zh, category, position, active) "
                               "VALUES (?, ?, ?, ?, ?) RETURNING id"));
  q.bind(s.name, s.name_zh, category_name(s.category), s.position, s.active);
  return returning_id(q);
}

Result<bool> update_status(Connection& c, const Status& s) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE statuses SET name = ?, name_zh = ?, position = ?, "
                               "active = ? WHERE id = ?"));
  q.bind(s.name, s.name_zh, s.position, s.active, s.id);
  return changed(c, q);
}

Result<std::vector<Department>> list_departments(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, name, description, created_at FROM departments "
                               "ORDER BY name"));
  return collect<Department>(q, [](const Query& r) {
    return Department{r.integer(0), r.text(1), r.text(2), r.integer(3)};
  });
}

Result<std::int64_t> insert_department(Connection& c, const Department& d) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO departments (name, name_norm, description, "
                               "created_at) VALUES (?, ?, ?, ?) RETURNING id"));
  q.bind(d.name, text::to_lower_ascii(d.name), d.description, d.created_at);
  auto id = returning_id(q);
  if (!id && id.error().code == ErrorCode::kConflict)
    return fail(ErrorCode::kConflict, "a department with this name exists", "name");
  return id;
}

Result<bool> update_department(Connection& c, const Department& d) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE departments SET name = ?, name_norm = ?, description = ? "
                               "WHERE id = ?"));
  q.bind(d.name, text::to_lower_ascii(d.name), d.description, d.id);
  auto done = changed(c, q);
  if (!done && done.error().code == ErrorCode::kConflict)
    return fail(ErrorCode::kConflict, "a department with this name exists", "name");
  return done;
}

Result<std::vector<std::int64_t>> departments_of_agent(Connection& c, std::int64_t agent_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT department_id FROM agent_departments WHERE agent_id = ? "
                               "ORDER BY department_id"));
  q.bind(agent_id);
  return collect<std::int64_t>(q, [](const Query& r) { return r.integer(0); });
}

Result<std::vector<std::int64_t>> agents_of_department(Connection& c, std::int64_t department_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT agent_id FROM agent_departments WHERE department_id = ? "
                               "ORDER BY agent_id"));
  q.bind(department_id);
  return collect<std::int64_t>(q, [](const Query& r) { return r.integer(0); });
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
  GONGDAN_ASSIGN(auto q, query(c, "UPDATE users SET all_departments = ? WHERE id = ?"));
  return q.bind(all, agent_id).run();
}

Result<bool> agent_sees_all_departments(Connection& c, std::int64_t agent_id) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT all_departments FROM users WHERE id = ?"));
  GONGDAN_ASSIGN(bool row, q.bind(agent_id).next());
  return row && q.integer(0) != 0;
}

Result<std::vector<Organization>> list_organizations(Connection& c, std::int64_t after_id,
                                                     int limit) {
  static const std::string sql =
      "SELECT " + std::string(kOrgColumns) + " FROM organizations WHERE id > ? ORDER BY id LIMIT ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  q.bind(after_id, limit);
  return collect<Organization>(q, read_organization);
}

Result<std::optional<Organization>> find_organization(Connection& c, std::int64_t id) {
  static const std::string sql =
      "SELECT " + std::string(kOrgColumns) + " FROM organizations WHERE id = ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  GONGDAN_ASSIGN(bool row, q.bind(id).next());
  if (!row) return std::optional<Organization>{};
  return std::optional<Organization>(read_organization(q));
}

Result<std::optional<Organization>> find_organization_by_domain(Connection& c,
                                                                std::string_view domain) {
  static const std::string sql = "SELECT " + std::string(kOrgColumns) +
                                 " FROM organizations WHERE ' ' || domains || ' ' LIKE ? "
                                 "ORDER BY id LIMIT 1";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  GONGDAN_ASSIGN(bool row, q.bind("% " + text::to_lower_ascii(domain) + " %").next());
  if (!row) return std::optional<Organization>{};
  return std::optional<Organization>(read_organization(q));
}

Result<std::int64_t> insert_organization(Connection& c, const Organization& o) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO organizations (name, name_norm, domains, "
                               "shared_tickets, tier, notes, created_at, updated_at) VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  q.bind(o.name, text::to_lower_ascii(o.name), join_words(o.domains), o.shared_tickets, o.tier,
         o.notes, o.created_at, o.updated_at);
  auto id = returning_id(q);
  if (!id && id.error().code == ErrorCode::kConflict)
    return fail(ErrorCode::kConflict, "an organization with this name exists", "name");
  return id;
}

Result<bool> update_organization(Connection& c, const Organization& o) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE organizations SET name = ?, name_norm = ?, domains = ?, "
                               "shared_tickets = ?, tier = ?, notes = ?, updated_at = ? WHERE "
                               "id = ?"));
  q.bind(o.name, text::to_lower_ascii(o.name), join_words(o.domains), o.shared_tickets, o.tier,
         o.notes, o.updated_at, o.id);
  auto done = changed(c, q);
  if (!done && done.error().code == ErrorCode::kConflict)
    return fail(ErrorCode::kConflict, "an organization with this name exists", "name");
  return done;
}

Result<std::optional<std::int64_t>> organization_of_user(Connection& c, std::int64_t user_id) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT organization_id FROM users WHERE id = ?"));
  GONGDAN_ASSIGN(bool row, q.bind(user_id).next());
  if (!row) return std::optional<std::int64_t>{};
  return q.optional_integer(0);
}

Result<void> set_organization_of_user(Connection& c, std::int64_t user_id,
                                      std::optional<std::int64_t> organization_id) {
  GONGDAN_ASSIGN(auto q, query(c, "UPDATE users SET organization_id = ? WHERE id = ?"));
  return q.bind(organization_id, user_id).run();
}

Result<std::vector<CustomFieldRow>> list_custom_fields(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, key, type, label, label_zh, options, active, position "
                               "FROM custom_fields ORDER BY position, id"));
  return collect<CustomFieldRow>(q, [](const Query& r) {
    return CustomFieldRow{
        r.integer(0), r.text(1), r.text(2),         r.text(3),
        r.text(4),    r.text(5), r.integer(6) != 0, static_cast<int>(r.integer(7))};
  });
}

Result<std::int64_t> insert_custom_field(Connection& c, const CustomFieldRow& f) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO custom_fields (key, type, label, label_zh, options, "
                               "active, position) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  q.bind(f.key, f.type, f.label, f.label_zh, f.options, f.active, f.position);
  auto id = returning_id(q);
  if (!id && id.error().code == ErrorCode::kConflict)
    return fail(ErrorCode::kConflict, "a field with this key exists", "key");
  return id;
}

Result<bool> update_custom_field(Connection& c, const CustomFieldRow& f) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE custom_fields SET label = ?, label_zh = ?, options = ?, "
                               "active = ?, position = ? WHERE id = ?"));
  q.bind(f.label, f.label_zh, f.options, f.active, f.position, f.id);
  return changed(c, q);
}

Result<std::vector<FormRow>> list_forms(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, name, department_id, fields, active FROM ticket_forms "
                               "ORDER BY id"));
  return collect<FormRow>(q, [](const Query& r) {
    return FormRow{r.integer(0), r.text(1), r.optional_integer(2), r.text(3), r.integer(4) != 0};
  });
}

Result<std::int64_t> insert_form(Connection& c, const FormRow& f) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO ticket_forms (name, department_id, fields, active) "
                               "VALUES (?, ?, ?, ?) RETURNING id"));
  q.bind(f.name, f.department_id, f.fields, f.active);
  return returning_id(q);
}

Result<bool> update_form(Connection& c, const FormRow& f) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE ticket_forms SET name = ?, department_id = ?, fields = ?, "
                               "active = ? WHERE id = ?"));
  q.bind(f.name, f.department_id, f.fields, f.active, f.id);
  return changed(c, q);
}

Result<std::vector<SavedViewRow>> list_saved_views(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, name, owner_id, filters, sort, position, created_at "
                               "FROM saved_views ORDER BY position, id"));
  return collect<SavedViewRow>(q, [](const Query& r) {
    return SavedViewRow{r.integer(0), r.text(1), r.optional_integer(2),
                        r.text(3),    r.text(4), static_cast<int>(r.integer(5)),
                        r.integer(6)};
  });
}

Result<std::int64_t> insert_saved_view(Connection& c, const SavedViewRow& v) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO saved_views (name, owner_id, filters, sort, position, "
                               "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id"));
  q.bind(v.name, v.owner_id, v.filters, v.sort, v.position, v.created_at);
  return returning_id(q);
}

Result<bool> update_saved_view(Connection& c, const SavedViewRow& v) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE saved_views SET name = ?, filters = ?, sort = ?, "
                               "position = ? WHERE id = ?"));
  q.bind(v.name, v.filters, v.sort, v.position, v.id);
  return changed(c, q);
}

Result<bool> delete_saved_view(Connection& c, std::int64_t id) {
  GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM saved_views WHERE id = ?"));
  q.bind(id);
  return changed(c, q);
}

Result<std::optional<std::int64_t>> find_user_by_identity(Connection& c, std::string_view kind,
                                                          std::string_view value) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT user_id FROM contact_identities WHERE kind = ? AND "
                               "value_norm = ?"));
  GONGDAN_ASSIGN(bool row, q.bind(kind, text::normalize_email(value)).next());
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>(q.integer(0));
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
  q.bind(user_id);
  return collect<std::pair<std::string, std::string>>(q, [](const Query& r) {
    return std::pair{r.text(0), r.text(1)};
  });
}

}  // namespace gongdan::store
