#include "store/users_store.hpp"

#include <unordered_map>

#include "store/select_by_ids.hpp"
#include "util/text.hpp"

namespace gongdan::store {
namespace {

constexpr std::string_view kColumns =
    "id, role, email, name, locale, time_zone, active, created_at, updated_at, password_hash, "
    "organization_id, notes, role_id";

User read_user(const Query& q) { return read_user_at(q, 0); }

std::string select(std::string_view where) {
  return "SELECT " + std::string(kColumns) + " FROM users " + std::string(where);
}

}  // namespace

User read_user_columns(const Query& q, int first) {
  User u;
  u.id = q.integer(first);
  u.role = parse_role(q.text(first + 1)).value_or(Role::kCustomer);
  u.email = q.text(first + 2);
  u.name = q.text(first + 3);
  u.locale = q.text(first + 4);
  u.time_zone = q.text(first + 5);
  u.active = q.integer(first + 6) != 0;
  u.created_at = q.integer(first + 7);
  u.updated_at = q.integer(first + 8);
  return u;
}

std::string user_columns(std::string_view alias) {
  std::string out;
  for (auto column : text::split(kColumns, ',')) {
    if (!out.empty()) out += ", ";
    out += std::string(alias) + "." + text::trim(column);
  }
  return out;
}

User read_account_columns(const Query& q, int first) {
  User u = read_user_columns(q, first);
  u.role_id = q.optional_integer(first + 9);
  return u;
}

User read_user_at(const Query& q, int first) {
  if (q.is_null(first)) return User{};
  User u = read_user_columns(q, first);
  u.organization_id = q.optional_integer(first + 10);
  u.notes = q.text(first + 11);
  u.role_id = q.optional_integer(first + 12);
  return u;
}

namespace {
// The new user's id; nothing when `unless_taken` and the email is taken.
Result<std::optional<std::int64_t>> insert_user_row(Connection& c, const User& u,
                                                    const std::optional<std::string>& password_hash,
                                                    bool unless_taken) {
  static constexpr std::string_view kInsert =
      "INSERT INTO users (role, email, email_norm, name, locale, time_zone, active, password_hash, "
      "created_at, updated_at, organization_id, notes, role_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static const std::string plain = std::string(kInsert) + " RETURNING id";
  static const std::string polite =
      std::string(kInsert) + " ON CONFLICT (email_norm) DO NOTHING RETURNING id";
  GONGDAN_ASSIGN(auto q, query(c, unless_taken ? polite : plain));
  q.bind(role_name(u.role), u.email, text::normalize_email(u.email), u.name, u.locale, u.time_zone,
         u.active, password_hash, u.created_at, u.updated_at, u.organization_id, u.notes,
         u.role_id);
  auto row = q.next();
  if (!row) {
    if (row.error().code == ErrorCode::kConflict)
      return fail(ErrorCode::kConflict, "a user with this email already exists", "email");
    return fail(std::move(row).error());
  }
  if (!*row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>(q.integer(0));
}
}  // namespace

Result<std::int64_t> insert_user(Connection& c, const User& u,
                                 const std::optional<std::string>& password_hash) {
  GONGDAN_ASSIGN(auto id, insert_user_row(c, u, password_hash, false));
  if (!id) return fail(ErrorCode::kInternal, "the new user has no id");
  return *id;
}

Result<std::optional<std::int64_t>> insert_user_unless_taken(Connection& c, const User& u) {
  return insert_user_row(c, u, std::nullopt, true);
}

Result<std::optional<UserWithSecret>> find_user_by_email(Connection& c, std::string_view email) {
  static const std::string sql = select("WHERE email_norm = ?");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(text::normalize_email(email)), [](const Query& r) {
    return UserWithSecret{read_user(r), r.optional_text(9)};
  });
}

Result<std::optional<User>> find_user(Connection& c, std::int64_t id) {
  static const std::string sql = select("WHERE id = ?");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(id), read_user);
}

Result<std::vector<User>> list_users(Connection& c, UserKind kind, std::int64_t after_id, int limit,
                                     std::optional<std::int64_t> organization_id) {
  static const std::string agents =
      select("WHERE (role = 'customer') = FALSE AND id > ? ORDER BY id LIMIT ?");
  static const std::string customers =
      select("WHERE (role = 'customer') = TRUE AND id > ? ORDER BY id LIMIT ?");
  static const std::string all = select("WHERE id > ? ORDER BY id LIMIT ?");
  static const std::string members =
      select("WHERE role = 'customer' AND organization_id = ? AND id > ? ORDER BY id LIMIT ?");
  if (organization_id) {
    GONGDAN_ASSIGN(auto q, query(c, members));
    return read_rows(q.bind(*organization_id, after_id, limit), read_user);
  }
  const std::string& sql = kind == UserKind::kAgents      ? agents
                           : kind == UserKind::kCustomers ? customers
                                                          : all;
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(after_id, limit), read_user);
}

Result<void> update_user(Connection& c, const User& u) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE users SET role = ?, email = ?, email_norm = ?, name = ?, "
                               "locale = ?, time_zone = ?, active = ?, updated_at = ?, "
                               "organization_id = ?, notes = ?, role_id = ? WHERE id = ?"));
  q.bind(role_name(u.role), u.email, text::normalize_email(u.email), u.name, u.locale, u.time_zone,
         u.active, u.updated_at, u.organization_id, u.notes, u.role_id, u.id);
  auto done = q.run();
  if (!done && done.error().code == ErrorCode::kConflict)
    return fail(ErrorCode::kConflict, "a user with this email already exists", "email");
  return done;
}

Result<void> set_password_hash(Connection& c, std::int64_t user_id, std::string_view hash,
                               Millis now) {
  return run(c, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, now,
             user_id);
}

Result<std::int64_t> count_users(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT COUNT(*) FROM users"));
  return read_count(q);
}

}  // namespace gongdan::store

namespace gongdan::store {

// The users come back in the order of `ids` (search ranks contacts).
Result<std::vector<User>> find_users(Connection& c, const std::vector<std::int64_t>& ids) {
  static const std::string head = select("WHERE id");
  std::unordered_map<std::int64_t, User> found;
  GONGDAN_TRY(select_by_ids(c, head, ids, [&](const Query& q) {
    auto user = read_user(q);
    found.emplace(user.id, std::move(user));
  }));
  std::vector<User> out;
  out.reserve(ids.size());
  for (auto id : ids)
    if (auto it = found.find(id); it != found.end()) out.push_back(it->second);
  return out;
}

}  // namespace gongdan::store
