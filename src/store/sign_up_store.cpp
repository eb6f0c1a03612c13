#include "store/sign_up_store.hpp"

#include "store/column_table.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kSignUps("signup_requests", column("email", &SignUpRow::email),
                           column("email_norm", &SignUpRow::email_norm),
                           column("name", &SignUpRow::name), column("locale", &SignUpRow::locale),
                           column("time_zone", &SignUpRow::time_zone),
                           column("password_hash", &SignUpRow::password_hash),
                           column("token_hash", &SignUpRow::token_hash),
                           column("ip", &SignUpRow::ip),
                           column("created_at", &SignUpRow::created_at),
                           column("expires_at", &SignUpRow::expires_at));

}  // namespace

Result<void> insert_sign_up(Connection& c, const SignUpRow& row) {
  GONGDAN_TRY(kSignUps.insert(c, row, "sign-up"));  // a sign-up has no id to return
  return {};
}

Result<std::int64_t> count_sign_ups_for_email(Connection& c, std::string_view email_norm,
                                              Millis since) {
  return select_count(
      c, "SELECT COUNT(*) FROM signup_requests WHERE email_norm = ? AND created_at >= ?",
      email_norm, since);
}

Result<std::optional<SignUpRow>> consume_sign_up(Connection& c, std::string_view token_hash,
                                                 Millis now) {
  static const std::string sql =
      "UPDATE signup_requests SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND "
      "expires_at > ? RETURNING " +
      kSignUps.list();
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(now, token_hash, now), kSignUps);
}

Result<void> prune_sign_ups(Connection& c, Millis expired_before) {
  return run(c, "DELETE FROM signup_requests WHERE expires_at < ?", expired_before);
}

}  // namespace gongdan::store
