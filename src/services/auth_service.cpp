#include "services/auth_service.hpp"

#include <algorithm>

#include "services/audit.hpp"
#include "services/staff_roles.hpp"
#include "store/credentials_store.hpp"
#include "store/users_store.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

constexpr Millis kTokenTouchInterval = 60 * 1000;
constexpr std::string_view kInvalidCredentials = "the email or password is not correct";

}  // namespace

Result<std::vector<std::string>> normalize_scopes(std::vector<std::string> scopes) {
  if (scopes.empty()) scopes = {std::string(kScopeRead), std::string(kScopeWrite)};
  for (const auto& s : scopes) {
    if (s != kScopeRead && s != kScopeWrite && s != kScopeMail)
      return fail(ErrorCode::kInvalidArgument,
                  "unknown scope '" + s + "' (use read, write or mail)", "scopes");
  }
  std::sort(scopes.begin(), scopes.end());
  scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
  return scopes;
}

AuthService::AuthService(store::Database& db, const Clock& clock, AuthSettings settings,
                         CredentialCache& cache)
    : db_(db), clock_(clock), settings_(settings), cache_(cache) {}

Result<SignedIn> AuthService::login(std::string_view email, std::string_view password,
                                    std::string_view ip) {
  GONGDAN_ASSIGN(auto user, check_password(email, password, ip));
  SignedIn signed_in;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(signed_in, open_session(c, user, ip));
    GONGDAN_TRY(clear_failures_within(c, text::normalize_email(user.email), ip));
    return record_audit(c, clock_.now_ms(), user.id, "auth.login", user.email, ip);
  }));
  return signed_in;
}

Result<void> AuthService::check_throttle(std::string_view email_norm, std::string_view ip) {
  const Millis now = clock_.now_ms();
  PairFailures pair;
  std::int64_t address_failures = 0;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    const Millis since = now - settings_.failure_window_ms;
    GONGDAN_ASSIGN(pair, store::login_failures_for_pair(c, email_norm, ip, since));
    GONGDAN_ASSIGN(address_failures, store::count_login_failures_for_ip(c, ip, since));
    return {};
  }));
  if (auto wait = throttle_wait(pair, address_failures, now); wait > 0) {
    Error error{ErrorCode::kRateLimited, "too many failed sign-ins; try again later", {}};
    error.retry_after_seconds = static_cast<int>((wait + 999) / 1000);
    return fail(std::move(error));
  }
  return {};
}

Result<void> AuthService::record_failure_within(store::Connection& c, std::string_view email_norm,
                                                std::string_view ip,
                                                std::optional<std::int64_t> user_id,
                                                std::string_view action) {
  const Millis now = clock_.now_ms();
  GONGDAN_TRY(store::insert_login_failure(c, email_norm, ip, now));
  if (now % 50 == 0)  // prune now and then, not on every failure
    GONGDAN_TRY(store::prune_login_failures(c, now - 2 * settings_.failure_window_ms));
  return record_audit(c, now, user_id, action, email_norm, ip);
}

Result<void> AuthService::clear_failures_within(store::Connection& c, std::string_view email_norm,
                                                std::string_view ip) {
  return store::clear_login_failures_for_pair(c, email_norm, ip);
}

Result<User> AuthService::check_password(std::string_view email, std::string_view password,
                                         std::string_view ip) {
  const std::string email_norm = text::normalize_email(email);
  GONGDAN_TRY(check_throttle(email_norm, ip));
  GONGDAN_ASSIGN(auto found, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_user_by_email(c, email_norm);
                 }));
  const bool has_password = found && found->password_hash && !found->password_hash->empty();
  if (!has_password && password_directory_ && !password.empty())
    return check_directory_password(email, email_norm, password, ip,
                                    found ? std::optional(found->user.id) : std::nullopt);
  bool verified = false;
  if (has_password) {
    verified = crypto::verify_password(*found->password_hash, password);
  } else {
    verify_dummy(password);
  }
  if (!verified || !found->user.active) {
    const std::optional<std::int64_t> target = found ? std::optional(found->user.id) : std::nullopt;
    GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
      return record_failure_within(c, email_norm, ip, target, "auth.login_failed");
    }));
    return fail(ErrorCode::kUnauthenticated, std::string(kInvalidCredentials));
  }
  return found->user;
}

Result<User> AuthService::check_directory_password(std::string_view login,
                                                   std::string_view email_norm,
                                                   std::string_view password, std::string_view ip,
                                                   std::optional<std::int64_t> found_id) {
  GONGDAN_ASSIGN(auto user, password_directory_->sign_in(login, password, ip));
  if (user && user->active) return *user;
  // As long as a wrong password of a local account takes, so timing tells no accounts apart.
  if (!user) verify_dummy(password);
  const std::optional<std::int64_t> target = user ? std::optional(user->id) : found_id;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    return record_failure_within(c, email_norm, ip, target, "auth.login_failed");
  }));
  return fail(ErrorCode::kUnauthenticated, std::string(kInvalidCredentials));
}

void AuthService::verify_dummy(std::string_view password) {
  std::call_once(dummy_once_, [this] {
    dummy_hash_ = crypto::hash_password(crypto::random_token(16)).value_or("");
  });
  (void)crypto::verify_password(dummy_hash_, password);
}

Millis AuthService::throttle_wait(const PairFailures& pair, std::int64_t address_failures,
                                  Millis now) const {
  if (address_failures >= settings_.max_failures_per_address) return settings_.failure_window_ms;
  if (pair.count < settings_.free_failures_per_pair) return 0;
  const auto doublings = std::min<std::int64_t>(pair.count - settings_.free_failures_per_pair, 30);
  const Millis delay = std::min(settings_.first_delay_ms << doublings, settings_.failure_window_ms);
  return std::max<Millis>(0, pair.last_at + delay - now);
}

Result<SignedIn> AuthService::open_session(store::Connection& c, const User& user,
                                           std::string_view ip, SessionScope scope) {
  const Millis now = clock_.now_ms();
  SignedIn s{crypto::random_token(), crypto::random_token(), user, {}};
  GONGDAN_ASSIGN(auto custom, custom_permissions(c, user));
  if (is_agent_role(user.role)) s.permissions = custom ? *custom : preset_permissions(user.role);
  GONGDAN_TRY(store::insert_session(c, crypto::sha256_hex(s.session_token), user.id, s.csrf_token,
                                    now, now + settings_.session_lifetime_ms, ip,
                                    scope == SessionScope::kEnrolmentOnly));
  return s;
}

Result<SignedIn> AuthService::sign_in_within(store::Connection& c, const User& user,
                                             std::string_view ip, std::string_view how,
                                             SessionScope scope) {
  GONGDAN_ASSIGN(auto signed_in, open_session(c, user, ip, scope));
  GONGDAN_TRY(record_audit(c, clock_.now_ms(), user.id, "auth.login",
                           how.empty() ? user.email : user.email + " (" + std::string(how) + ")",
                           ip));
  return signed_in;
}

Result<void> AuthService::end_sessions_within(store::Connection& c, std::int64_t user_id) {
  GONGDAN_TRY(store::delete_sessions_of_user(c, user_id));
  c.after_commit([this, user_id] { cache_.evict(CredentialTarget::user(user_id)); });
  return {};
}

Result<void> AuthService::logout(const Principal& who) {
  if (who.via != CredentialKind::kSession)
    return fail(ErrorCode::kInvalidArgument, "only a browser session can sign out");
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto q, store::query(c, "DELETE FROM sessions WHERE id = ?"));
    GONGDAN_TRY(q.bind(who.credential_id).run());
    c.after_commit([this, id = who.credential_id] { cache_.evict(CredentialTarget::session(id)); });
    return record_audit(c, clock_.now_ms(), who.user.id, "auth.logout", who.user.email, who.ip);
  });
}

Result<Principal> AuthService::authenticate_session(std::string_view session_token,
                                                    std::string_view ip) {
  const std::string digest = "s:" + crypto::sha256_hex(session_token);
  if (auto cached = cache_.get(digest, clock_.now_ms())) {
    cached->ip = std::string(ip);
    return *cached;
  }
  std::optional<PermissionSet> custom;
  GONGDAN_ASSIGN(
      auto session,
      store::read_value(db_, [&](store::Connection& c) -> Result<std::optional<store::SessionRow>> {
        auto found = store::find_session(c, digest.substr(2));
        if (found && *found) {
          GONGDAN_ASSIGN(custom, custom_permissions(c, (*found)->user));
        }
        return found;
      }));
  if (!session || session->expires_at < clock_.now_ms() || !session->user.active)
    return fail(ErrorCode::kUnauthenticated, "the session has ended; sign in again");
  Principal p;
  p.custom_permissions = custom;
  p.user = std::move(session->user);
  p.via = CredentialKind::kSession;
  p.credential_id = session->id;
  p.csrf_token = std::move(session->csrf_token);
  p.enrolment_only = session->enrolment_only;
  p.ip = std::string(ip);
  // Sessions past their end are refused above; a cached one must not outlive it either.
  if (session->expires_at - clock_.now_ms() > 10'000) cache_.put(digest, p, clock_.now_ms());
  return p;
}

Result<Principal> AuthService::authenticate_bearer(std::string_view token, std::string_view ip) {
  const std::string digest = "t:" + crypto::sha256_hex(token);
  if (auto cached = cache_.get(digest, clock_.now_ms())) {
    cached->ip = std::string(ip);
    touch_token_later(cached->credential_id);
    return *cached;
  }
  std::optional<PermissionSet> custom;
  GONGDAN_ASSIGN(auto found,
                 store::read_value(
                     db_, [&](store::Connection& c) -> Result<std::optional<store::TokenWithUser>> {
                       auto row = store::find_token(c, digest.substr(2));
                       if (row && *row) {
                         GONGDAN_ASSIGN(custom, custom_permissions(c, (*row)->user));
                       }
                       return row;
                     }));
  // A customer's token (made before customers were refused tokens) is not honoured.
  if (!found || found->token.revoked_at || !found->user.active || !is_agent_role(found->user.role))
    return fail(ErrorCode::kUnauthenticated, "the API token is not valid");
  Principal p;
  p.user = std::move(found->user);
  p.custom_permissions = custom;
  p.via = CredentialKind::kToken;
  p.credential_id = found->token.id;
  p.can_read = false;
  p.can_write = false;
  for (auto scope : text::split(found->token.scopes, ' ')) {
    if (scope == kScopeRead) p.can_read = true;
    if (scope == kScopeWrite) p.can_write = true;
    if (scope == kScopeMail) p.can_post_mail = true;
  }
  // A mail token does nothing else, even one made with more scopes before that was refused.
  if (p.can_post_mail) p.can_read = p.can_write = false;
  p.ip = std::string(ip);
  touch_token_later(found->token.id);
  cache_.put(digest, p, clock_.now_ms());
  return p;
}

void AuthService::touch_token_later(std::int64_t token_id) {
  const Millis now = clock_.now_ms();
  {
    std::lock_guard lock(touched_mutex_);
    auto& last = token_touched_[token_id];
    if (now - last < kTokenTouchInterval) return;
    last = now;
  }
  db_.write_detached(
      [token_id, now](store::Connection& c) { return store::touch_token(c, token_id, now); });
}

Result<SignedIn> AuthService::change_password(const Principal& who, std::string_view current,
                                              std::string_view replacement, ApiTokens tokens) {
  GONGDAN_ASSIGN(auto found, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_user_by_email(c, who.user.email);
                 }));
  if (!found || !found->password_hash || !crypto::verify_password(*found->password_hash, current))
    return fail(ErrorCode::kInvalidArgument, "the current password is not correct",
                "current_password");
  GONGDAN_TRY(validate_password(replacement, "new_password"));
  GONGDAN_ASSIGN(auto hash, crypto::hash_password(replacement));
  SignedIn signed_in;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    const Millis now = clock_.now_ms();
    GONGDAN_TRY(store::set_password_hash(c, who.user.id, hash, now));
    GONGDAN_TRY(store::delete_sessions_of_user(c, who.user.id));
    if (tokens == ApiTokens::kRevoke)
      GONGDAN_TRY(store::revoke_tokens_of_user(c, who.user.id, now));
    c.after_commit([this, id = who.user.id] { cache_.evict(CredentialTarget::user(id)); });
    GONGDAN_ASSIGN(signed_in, open_session(c, found->user, who.ip));
    return record_audit(c, now, who.user.id, "user.password_change", who.user.email, who.ip,
                        tokens == ApiTokens::kRevoke ? R"({"tokens_revoked":true})"
                                                     : R"({"tokens_revoked":false})");
  }));
  return signed_in;
}

Result<NewToken> AuthService::create_token(const Principal& actor, std::int64_t user_id,
                                           std::string_view name, std::vector<std::string> scopes) {
  const bool by_command_line = actor.via == CredentialKind::kSystem;
  if (!by_command_line && actor.user.id != user_id && !actor.can(Permission::kManageUsers))
    return fail(ErrorCode::kPermissionDenied, "you may create tokens only for yourself");
  if (name.size() > kMaxNameLength)
    return fail(ErrorCode::kInvalidArgument, "the name is too long", "name");
  GONGDAN_ASSIGN(scopes, normalize_scopes(std::move(scopes)));
  // A mail token posts raw mail under any From: address, so only admins and the command line
  // issue one; it can do nothing else, so it is never mixed with read or write.
  const bool mail = std::find(scopes.begin(), scopes.end(), kScopeMail) != scopes.end();
  if (mail && !by_command_line && !actor.can(Permission::kManageSettings))
    return fail(ErrorCode::kPermissionDenied,
                "only admins (or gongdan token create) may issue a token with the mail scope",
                "scopes");
  // Customers use the portal: a program acting as a customer has no use a session lacks.
  if (!by_command_line && !actor.is_agent())
    return fail(ErrorCode::kPermissionDenied, "customers may not create API tokens");
  if (mail && scopes.size() > 1)
    return fail(ErrorCode::kInvalidArgument,
                "the mail scope cannot be combined with read or write; make two tokens", "scopes");
  NewToken created;
  created.token = crypto::random_token();
  created.row.user_id = user_id;
  created.row.name = std::string(name);
  created.row.scopes = text::join(scopes, ' ');
  created.row.created_at = clock_.now_ms();
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto user, store::find_user(c, user_id));
    if (!user) return fail(ErrorCode::kNotFound, "no such user", "user");
    if (!is_agent_role(user->role))
      return fail(ErrorCode::kInvalidArgument, "a customer account cannot hold API tokens", "user");
    GONGDAN_ASSIGN(created.row.id,
                   store::insert_token(c, created.row, crypto::sha256_hex(created.token)));
    return record_audit(c, created.row.created_at, actor_id(actor), "token.create",
                        "token:" + std::to_string(created.row.id), actor.ip,
                        "{\"user_id\":" + std::to_string(user_id) + "}");
  }));
  return created;
}

Result<std::vector<ApiToken>> AuthService::list_tokens(const Principal& who) {
  GONGDAN_ASSIGN(auto tokens, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_tokens(c, who.user.id);
                 }));
  return tokens;
}

Result<void> AuthService::revoke_token(const Principal& who, std::int64_t token_id) {
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto token, store::find_token_by_id(c, token_id));
    // Another user's token answers like a missing one, so ids cannot be probed.
    if (!token || token->revoked_at ||
        (token->user_id != who.user.id && !who.can(Permission::kManageUsers)))
      return fail(ErrorCode::kNotFound, "no such token");
    const Millis now = clock_.now_ms();
    GONGDAN_TRY(store::revoke_token(c, token_id, now));
    c.after_commit([this, token_id] { cache_.evict(CredentialTarget::token(token_id)); });
    return record_audit(c, now, actor_id(who), "token.revoke", "token:" + std::to_string(token_id),
                        who.ip);
  });
}

}  // namespace gongdan::services
