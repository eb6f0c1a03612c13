#include "store/oidc_logins_store.hpp"

namespace gongdan::store {

Result<void> insert_oidc_login(Connection& c, const OidcLogin& login, Millis now) {
  GONGDAN_TRY(run(c, "DELETE FROM oidc_logins WHERE expires_at < ?", now));
  return run(c,
             "INSERT INTO oidc_logins (state_hash, provider_id, browser_hash, nonce, "
             "code_verifier, redirect_uri, return_to, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
             login.state_hash, login.provider_id, login.browser_hash, login.nonce,
             login.code_verifier, login.redirect_uri, login.return_to, login.expires_at);
}

Result<std::optional<OidcLogin>> take_oidc_login(Connection& c, std::string_view state_hash) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT state_hash, provider_id, browser_hash, nonce, "
                               "code_verifier, redirect_uri, return_to, expires_at FROM "
                               "oidc_logins WHERE state_hash = ?"));
  GONGDAN_ASSIGN(auto found, read_first(q.bind(state_hash), [](const Query& r) {
                   return OidcLogin{r.text(0), r.integer(1), r.text(2), r.text(3),
                                    r.text(4), r.text(5),    r.text(6), r.integer(7)};
                 }));
  if (found) GONGDAN_TRY(run(c, "DELETE FROM oidc_logins WHERE state_hash = ?", state_hash));
  return found;
}

}  // namespace gongdan::store
