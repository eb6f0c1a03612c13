#include "store/second_factor_store.hpp"

#include "store/column_table.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kFactors("second_factors", column("user_id", &SecondFactorRow::user_id),
                           column("secret", &SecondFactorRow::sealed_secret),
                           column("created_at", &SecondFactorRow::created_at),
                           column("confirmed_at", &SecondFactorRow::confirmed_at),
                           column("last_step", &SecondFactorRow::last_step));

}  // namespace

Result<std::optional<SecondFactorRow>> find_second_factor(Connection& c, std::int64_t user_id) {
  static const std::string sql = kFactors.select("WHERE user_id = ?");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(user_id), kFactors);
}

Result<void> put_pending_second_factor(Connection& c, std::int64_t user_id,
                                       std::string_view sealed_secret, Millis now) {
  GONGDAN_TRY(delete_second_factor(c, user_id));
  return run(c, "INSERT INTO second_factors (user_id, secret, created_at) VALUES (?, ?, ?)",
             user_id, sealed_secret, now);
}

Result<void> confirm_second_factor(Connection& c, std::int64_t user_id, Millis now,
                                   std::int64_t step) {
  return run(c, "UPDATE second_factors SET confirmed_at = ?, last_step = ? WHERE user_id = ?", now,
             step, user_id);
}

Result<bool> use_second_factor_step(Connection& c, std::int64_t user_id, std::int64_t step) {
  return run_changed(c,
                     "UPDATE second_factors SET last_step = ? WHERE user_id = ? AND last_step < ?",
                     step, user_id, step);
}

Result<bool> delete_second_factor(Connection& c, std::int64_t user_id) {
  GONGDAN_TRY(run(c, "DELETE FROM recovery_codes WHERE user_id = ?", user_id));
  return run_changed(c, "DELETE FROM second_factors WHERE user_id = ?", user_id);
}

Result<void> insert_recovery_code(Connection& c, std::int64_t user_id, std::string_view code_hash) {
  return run(c, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)", user_id,
             code_hash);
}

Result<bool> use_recovery_code(Connection& c, std::int64_t user_id, std::string_view code_hash,
                               Millis now) {
  return run_changed(c,
                     "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? "
                     "AND used_at IS NULL",
                     now, user_id, code_hash);
}

Result<std::int64_t> count_unused_recovery_codes(Connection& c, std::int64_t user_id) {
  return select_count(
      c, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", user_id);
}

Result<void> insert_sign_in_challenge(Connection& c, std::string_view token_hash,
                                      std::int64_t user_id, std::string_view ip, Millis now,
                                      Millis expires_at) {
  return run(c,
             "INSERT INTO sign_in_challenges (token_hash, user_id, ip, created_at, expires_at) "
             "VALUES (?, ?, ?, ?, ?)",
             token_hash, user_id, ip, now, expires_at);
}

Result<std::optional<std::int64_t>> find_sign_in_challenge(Connection& c,
                                                           std::string_view token_hash,
                                                           Millis now) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT user_id FROM sign_in_challenges WHERE token_hash = ? AND "
                               "expires_at > ?"));
  return read_first_id(q.bind(token_hash, now));
}

Result<void> delete_sign_in_challenge(Connection& c, std::string_view token_hash) {
  return run(c, "DELETE FROM sign_in_challenges WHERE token_hash = ?", token_hash);
}

Result<void> prune_sign_in_challenges(Connection& c, Millis expired_before) {
  return run(c, "DELETE FROM sign_in_challenges WHERE expires_at < ?", expired_before);
}

Result<std::vector<Role>> second_factor_roles(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT role FROM second_factor_roles ORDER BY role"));
  GONGDAN_ASSIGN(auto names, read_texts(q));
  std::vector<Role> roles;
  for (const auto& name : names)
    if (auto role = parse_role(name)) roles.push_back(*role);
  return roles;
}

Result<void> set_second_factor_roles(Connection& c, const std::vector<Role>& roles) {
  GONGDAN_TRY(run(c, "DELETE FROM second_factor_roles"));
  for (Role role : roles)
    GONGDAN_TRY(run(c, "INSERT INTO second_factor_roles (role) VALUES (?)", role_name(role)));
  return {};
}

Result<std::vector<std::int64_t>> second_factor_custom_roles(Connection& c) {
  return select_ids(c, "SELECT role_id FROM second_factor_custom_roles ORDER BY role_id");
}

Result<void> set_second_factor_custom_roles(Connection& c, const std::vector<std::int64_t>& ids) {
  GONGDAN_TRY(run(c, "DELETE FROM second_factor_custom_roles"));
  for (auto id : ids)
    GONGDAN_TRY(run(c, "INSERT INTO second_factor_custom_roles (role_id) VALUES (?)", id));
  return {};
}

Result<std::vector<std::int64_t>> restrict_sessions_without_second_factor(Connection& c) {
  GONGDAN_ASSIGN(
      auto users,
      select_ids(c,
                 "SELECT u.id FROM users u WHERE (u.role IN (SELECT role FROM "
                 "second_factor_roles) OR u.role_id IN (SELECT role_id FROM "
                 "second_factor_custom_roles)) AND NOT EXISTS (SELECT 1 FROM second_factors f "
                 "WHERE f.user_id = u.id AND f.confirmed_at IS NOT NULL) AND EXISTS (SELECT 1 "
                 "FROM sessions s WHERE s.user_id = u.id)"));
  for (auto id : users)
    GONGDAN_TRY(run(c, "UPDATE sessions SET enrolment_only = 1 WHERE user_id = ?", id));
  return users;
}

Result<std::vector<std::int64_t>> lift_all_enrolment_only(Connection& c) {
  GONGDAN_ASSIGN(auto users,
                 select_ids(c, "SELECT DISTINCT user_id FROM sessions WHERE enrolment_only = 1"));
  GONGDAN_TRY(run(c, "UPDATE sessions SET enrolment_only = 0 WHERE enrolment_only = 1"));
  return users;
}

Result<void> lift_enrolment_only(Connection& c, std::int64_t user_id) {
  return run(c, "UPDATE sessions SET enrolment_only = 0 WHERE user_id = ?", user_id);
}

}  // namespace gongdan::store
