// AuthService: sign-in links mailed to customers (the portal's password-less sign-in).
#include "services/audit.hpp"
#include "services/auth_service.hpp"
#include "services/link_mailbox.hpp"
#include "store/login_links_store.hpp"
#include "store/users_store.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::services {

Result<std::int64_t> link_mailbox(store::Connection& c, std::string_view what) {
  GONGDAN_ASSIGN(auto mailbox, store::login_link_mailbox(c));
  if (!mailbox)
    return fail(ErrorCode::kUnavailable, std::string(what) + ": no mailbox has an SMTP server");
  return *mailbox;
}

Result<std::optional<LoginLink>> AuthService::issue_login_link(std::string_view email,
                                                               std::string_view ip) {
  const Millis now = clock_.now_ms();
  const Millis since = now - settings_.login_link_lifetime_ms;
  const std::string email_norm = text::normalize_email(email);
  std::optional<LoginLink> link;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    link.reset();
    GONGDAN_ASSIGN(auto mailbox, link_mailbox(c, "sign-in links need mail out"));
    GONGDAN_ASSIGN(auto by_address, store::count_login_links_for_ip(c, ip, since));
    if (by_address >= settings_.max_links_per_address) {
      Error error{ErrorCode::kRateLimited, "too many sign-in links asked for; try again later", {}};
      error.retry_after_seconds = static_cast<int>(settings_.login_link_lifetime_ms / 1000);
      return fail(std::move(error));
    }
    GONGDAN_ASSIGN(auto found, store::find_user_by_email(c, email_norm));
    if (!found || !found->user.active || found->user.role != Role::kCustomer) return {};
    // Quietly nothing more for this account: its owner already has links in the mail.
    GONGDAN_ASSIGN(auto by_account, store::count_login_links_for_user(c, found->user.id, since));
    if (by_account >= settings_.max_links_per_account) return {};
    LoginLink made{crypto::random_token(), found->user, mailbox,
                   now + settings_.login_link_lifetime_ms};
    store::LoginLinkRow row;
    row.user_id = made.user.id;
    row.token_hash = crypto::sha256_hex(made.token);
    row.ip = std::string(ip);
    row.created_at = now;
    row.expires_at = made.expires_at;
    GONGDAN_TRY(store::insert_login_link(c, row));
    if (now % 20 == 0)  // prune now and then, not on every request
      GONGDAN_TRY(store::prune_login_links(c, now - 24 * 3600 * 1000));
    GONGDAN_TRY(record_audit(c, now, made.user.id, "auth.link_sent", made.user.email, ip));
    link = std::move(made);
    return {};
  }));
  return link;
}

Result<SignedIn> AuthService::redeem_login_link(std::string_view token, std::string_view ip) {
  const Millis now = clock_.now_ms();
  SignedIn signed_in;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto user_id, store::consume_login_link(c, crypto::sha256_hex(token), now));
    std::optional<User> user;
    if (user_id) {
      GONGDAN_ASSIGN(user, store::find_user(c, *user_id));
    }
    if (!user || !user->active)
      return fail(ErrorCode::kUnauthenticated,
                  "this sign-in link is not valid: it was used already, has expired or never "
                  "existed; ask for a new one");
    GONGDAN_ASSIGN(signed_in, open_session(c, *user, ip));
    return record_audit(c, now, user->id, "auth.login", user->email + " (link)", ip);
  }));
  return signed_in;
}

}  // namespace gongdan::services
