#include "store/credentials_store.hpp"

#include "store/column_table.hpp"
#include "store/users_store.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kTokens("api_tokens t", column("id", &ApiToken::id),
                          column("user_id", &ApiToken::user_id), column("name", &ApiToken::name),
                          column("scopes", &ApiToken::scopes),
                          column("created_at", &ApiToken::created_at),
                          column("last_used_at", &ApiToken::last_used_at),
                          column("revoked_at", &ApiToken::revoked_at));

}  // namespace

Result<void> insert_session(Connection& c, std::string_view token_hash, std::int64_t user_id,
                            std::string_view csrf_token, Millis now, Millis expires_at,
                            std::string_view ip, bool enrolment_only) {
  return run(c,
             "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, ip, "
             "enrolment_only) VALUES (?, ?, ?, ?, ?, ?, ?)",
             token_hash, user_id, csrf_token, now, expires_at, ip, enrolment_only);
}

Result<std::optional<SessionRow>> find_session(Connection& c, std::string_view token_hash) {
  static const std::string sql = "SELECT s.id, s.csrf_token, s.expires_at, s.enrolment_only, " +
                                 std::string(kUserAccountColumns) +
                                 " FROM sessions s JOIN users u ON u.id = s.user_id"
                                 " WHERE s.token_hash = ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(token_hash), [](const Query& r) {
    SessionRow s;
    s.id = r.integer(0);
    s.csrf_token = r.text(1);
    s.expires_at = r.integer(2);
    s.enrolment_only = r.integer(3) != 0;
    s.user = read_account_columns(r, 4);
    return s;
  });
}

Result<void> delete_session(Connection& c, std::string_view token_hash) {
  return run(c, "DELETE FROM sessions WHERE token_hash = ?", token_hash);
}

Result<void> delete_sessions_of_user(Connection& c, std::int64_t user_id) {
  return run(c, "DELETE FROM sessions WHERE user_id = ?", user_id);
}

Result<void> delete_expired_sessions(Connection& c, Millis now) {
  return run(c, "DELETE FROM sessions WHERE expires_at < ?", now);
}

Result<std::int64_t> insert_token(Connection& c, const ApiToken& t, std::string_view token_hash) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO api_tokens (user_id, name, token_hash, scopes, "
                               "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id"));
  return inserted_id(q.bind(t.user_id, t.name, token_hash, t.scopes, t.created_at), "token");
}

Result<std::optional<TokenWithUser>> find_token(Connection& c, std::string_view token_hash) {
  static const std::string sql = "SELECT " + kTokens.list() + ", " +
                                 std::string(kUserAccountColumns) +
                                 " FROM api_tokens t JOIN users u ON u.id = t.user_id"
                                 " WHERE t.token_hash = ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(token_hash), [](const Query& r) {
    return TokenWithUser{kTokens.read(r), read_account_columns(r, kTokens.kSize)};
  });
}

Result<std::vector<ApiToken>> list_tokens(Connection& c, std::int64_t user_id) {
  static const std::string sql =
      kTokens.select("WHERE t.user_id = ? AND t.revoked_at IS NULL ORDER BY t.id");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(user_id), kTokens);
}

Result<std::optional<ApiToken>> find_token_by_id(Connection& c, std::int64_t id) {
  return kTokens.find(c, id);
}

Result<void> revoke_token(Connection& c, std::int64_t id, Millis now) {
  return run(c, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now,
             id);
}

Result<void> revoke_tokens_of_user(Connection& c, std::int64_t user_id, Millis now) {
  return run(c, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
             now, user_id);
}

Result<void> touch_token(Connection& c, std::int64_t id, Millis now) {
  return run(c, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, id);
}

Result<void> insert_login_failure(Connection& c, std::string_view email_norm, std::string_view ip,
                                  Millis now) {
  return run(c, "INSERT INTO login_failures (at, email_norm, ip) VALUES (?, ?, ?)", now, email_norm,
             ip);
}

Result<PairFailures> login_failures_for_pair(Connection& c, std::string_view email_norm,
                                             std::string_view ip, Millis since) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT COUNT(*), COALESCE(MAX(at), 0) FROM login_failures "
                               "WHERE email_norm = ? AND ip = ? AND at >= ?"));
  GONGDAN_ASSIGN(bool row, q.bind(email_norm, ip, since).next());
  PairFailures out;
  if (row) out = {q.integer(0), q.integer(1)};
  return out;
}

Result<std::int64_t> count_login_failures_for_ip(Connection& c, std::string_view ip, Millis since) {
  return select_count(c, "SELECT COUNT(*) FROM login_failures WHERE ip = ? AND at >= ?", ip, since);
}

Result<void> clear_login_failures_for_pair(Connection& c, std::string_view email_norm,
                                           std::string_view ip) {
  return run(c, "DELETE FROM login_failures WHERE email_norm = ? AND ip = ?", email_norm, ip);
}

Result<void> prune_login_failures(Connection& c, Millis before) {
  return run(c, "DELETE FROM login_failures WHERE at < ?", before);
}

}  // namespace gongdan::store
