#include "store/sign_up_store.hpp"

namespace gongdan::store {

Result<void> insert_sign_up(Connection& c, const SignUpRow& row) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO signup_requests (email, email_norm, name, locale, "
                               "time_zone, password_hash, token_hash, ip, created_at, expires_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  return q
      .bind(row.email, row.email_norm, row.name, row.locale, row.time_zone, row.password_hash,
            row.token_hash, row.ip, row.created_at, row.expires_at)
      .run();
}

Result<std::int64_t> count_sign_ups_for_email(Connection& c, std::string_view email_norm,
                                              Millis since) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT COUNT(*) FROM signup_requests WHERE email_norm = ? AND "
                               "created_at >= ?"));
  GONGDAN_ASSIGN(bool row, q.bind(email_norm, since).next());
  return row ? q.integer(0) : 0;
}

Result<std::optional<SignUpRow>> consume_sign_up(Connection& c, std::string_view token_hash,
                                                 Millis now) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE signup_requests SET used_at = ? WHERE token_hash = ? AND "
                               "used_at IS NULL AND expires_at > ? RETURNING email, email_norm, "
                               "name, locale, time_zone, password_hash, ip, created_at, "
                               "expires_at"));
  GONGDAN_ASSIGN(bool row, q.bind(now, token_hash, now).next());
  if (!row) return std::optional<SignUpRow>{};
  SignUpRow out;
  out.email = q.text(0);
  out.email_norm = q.text(1);
  out.name = q.text(2);
  out.locale = q.text(3);
  out.time_zone = q.text(4);
  out.password_hash = q.text(5);
  out.token_hash = std::string(token_hash);
  out.ip = q.text(6);
  out.created_at = q.integer(7);
  out.expires_at = q.integer(8);
  return std::optional<SignUpRow>(std::move(out));
}

Result<void> prune_sign_ups(Connection& c, Millis expired_before) {
  GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM signup_requests WHERE expires_at < ?"));
  return q.bind(expired_before).run();
}

}  // namespace gongdan::store
