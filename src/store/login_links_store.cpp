#include "store/login_links_store.hpp"

namespace gongdan::store {

Result<void> insert_login_link(Connection& c, const LoginLinkRow& row) {
  return run(c,
             "INSERT INTO login_links (user_id, token_hash, ip, created_at, expires_at) VALUES (?, "
             "?, ?, ?, ?)",
             row.user_id, row.token_hash, row.ip, row.created_at, row.expires_at);
}

Result<std::int64_t> count_login_links_for_user(Connection& c, std::int64_t user_id, Millis since) {
  return select_count(c, "SELECT COUNT(*) FROM login_links WHERE user_id = ? AND created_at >= ?",
                      user_id, since);
}

Result<std::int64_t> count_login_links_for_ip(Connection& c, std::string_view ip, Millis since) {
  return select_count(c, "SELECT COUNT(*) FROM login_links WHERE ip = ? AND created_at >= ?", ip,
                      since);
}

Result<std::optional<std::int64_t>> consume_login_link(Connection& c, std::string_view token_hash,
                                                       Millis now) {
  // One conditional update: of two redemptions racing on PostgreSQL's writers, the second
  // waits for the first's row lock, then finds used_at set and updates nothing.
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE login_links SET used_at = ? WHERE token_hash = ? AND "
                               "used_at IS NULL AND expires_at > ? RETURNING user_id"));
  return read_first_id(q.bind(now, token_hash, now));
}

Result<void> prune_login_links(Connection& c, Millis expired_before) {
  return run(c, "DELETE FROM login_links WHERE expires_at < ?", expired_before);
}

Result<std::optional<std::int64_t>> login_link_mailbox(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id FROM mailboxes WHERE smtp_host <> '' ORDER BY "
                               "CASE WHEN department_id IS NULL THEN 0 ELSE 1 END, id LIMIT 1"));
  return read_first_id(q);
}

}  // namespace gongdan::store
