#include "store/saml_logins_store.hpp"

namespace gongdan::store {

Result<void> insert_saml_login(Connection& c, const SamlLogin& login, Millis now) {
  GONGDAN_TRY(run(c, "DELETE FROM saml_logins WHERE expires_at < ?", now));
  GONGDAN_TRY(run(c, "DELETE FROM saml_assertions_seen WHERE expires_at < ?", now));
  return run(c,
             "INSERT INTO saml_logins (relay_hash, provider_id, request_id, return_to, "
             "expires_at) VALUES (?, ?, ?, ?, ?)",
             login.relay_hash, login.provider_id, login.request_id, login.return_to,
             login.expires_at);
}

Result<std::optional<SamlLogin>> find_saml_login(Connection& c, std::string_view relay_hash) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT relay_hash, provider_id, request_id, return_to, "
                               "expires_at, used FROM saml_logins WHERE relay_hash = ?"));
  return read_first(q.bind(relay_hash), [](const Query& r) {
    return SamlLogin{r.text(0), r.integer(1), r.text(2),
                     r.text(3), r.integer(4), r.integer(5) != 0};
  });
}

Result<bool> use_saml_login(Connection& c, std::string_view relay_hash) {
  return run_changed(c, "UPDATE saml_logins SET used = 1 WHERE relay_hash = ? AND used = 0",
                     relay_hash);
}

Result<bool> remember_saml_assertion(Connection& c, std::int64_t provider_id,
                                     std::string_view assertion_id, Millis expires_at) {
  return run_changed(c,
                     "INSERT INTO saml_assertions_seen (provider_id, assertion_id, expires_at) "
                     "VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                     provider_id, assertion_id, expires_at);
}

}  // namespace gongdan::store
