#include "store/external_identities_store.hpp"

#include "store/column_table.hpp"
#include "store/credentials_store.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kIdentities("external_identities e",
                              column("user_id", &ExternalIdentity::user_id),
                              column("subject", &ExternalIdentity::subject));

}  // namespace

Result<std::optional<std::int64_t>> find_linked_user(Connection& c, std::string_view provider,
                                                     std::string_view subject) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT user_id FROM external_identities WHERE provider = ? AND "
                               "subject = ?"));
  return read_first_id(q.bind(provider, subject));
}

Result<void> link_identity(Connection& c, std::int64_t user_id, std::string_view provider,
                           std::string_view subject, Millis now) {
  return run(c,
             "INSERT INTO external_identities (user_id, provider, subject, created_at, seen_at) "
             "VALUES (?, ?, ?, ?, ?) ON CONFLICT (provider, subject) DO UPDATE SET seen_at = "
             "excluded.seen_at",
             user_id, provider, subject, now, now);
}

Result<std::vector<ExternalIdentity>> active_identities_of(Connection& c,
                                                           std::string_view provider) {
  static const std::string sql = kIdentities.select(
      "JOIN users u ON u.id = e.user_id WHERE e.provider = ? AND u.active = 1 ORDER BY e.id");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(provider), kIdentities);
}

Result<bool> deactivate_user(Connection& c, std::int64_t user_id, Millis now) {
  GONGDAN_ASSIGN(bool changed,
                 run_changed(c,
                             "UPDATE users SET active = 0, updated_at = ? WHERE id = ? AND "
                             "active = 1",
                             now, user_id));
  if (changed) GONGDAN_TRY(delete_sessions_of_user(c, user_id));
  return changed;
}

}  // namespace gongdan::store
