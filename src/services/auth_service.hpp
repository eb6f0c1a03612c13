// Sign-in, sessions, API tokens and brute-force throttling. Passwords are Argon2id hashes;
// session ids and tokens are 256 random bits of which only the SHA-256 digest is stored, so a
// copy of the database cannot be replayed as credentials.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/api_token.hpp"
#include "domain/login_failures.hpp"
#include "services/credential_cache.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

// Sign-in throttling slows guessing down without letting anyone lock another person out:
// failures count per account and client address (the pair), and after `free_failures_per_pair`
// of them each further try from that address waits `first_delay_ms`, doubling with every failure
// up to the window; the right password from another address is never held up. One address
// that fails `max_failures_per_address` times within the window, over any accounts, waits for
// the window to pass.
struct AuthSettings {
  int free_failures_per_pair = 5;
  Millis first_delay_ms = 1000;
  int max_failures_per_address = 20;
  Millis failure_window_ms = 15 * 60 * 1000;
  Millis session_lifetime_ms = 14LL * 24 * 3600 * 1000;
  // Sign-in links by mail: how long one stays valid, and how many may be asked for per account
  // and per client address within that time.
  Millis login_link_lifetime_ms = 15 * 60 * 1000;
  int max_links_per_account = 3;
  int max_links_per_address = 10;
};

struct SignedIn {
  std::string session_token;  // goes into the cookie
  std::string csrf_token;
  User user;
  PermissionSet permissions;  // what the user's role allows, for the desk
};

struct LoginLink {
  std::string token;  // goes into the mailed URL only; the database keeps its digest
  User user;
  std::int64_t mailbox_id = 0;  // the mailbox that sends it
  Millis expires_at = 0;
};

struct NewToken {
  ApiToken row;
  std::string token;  // shown once
};

inline constexpr std::string_view kScopeRead = "read";
inline constexpr std::string_view kScopeWrite = "write";
// Posting raw mail to /api/v1/mail/inbound (mailgate) and nothing else.
inline constexpr std::string_view kScopeMail = "mail";

// What a password change does to the user's API tokens.
enum class ApiTokens { kRevoke, kKeep };

// What a new session may do: everything its user may, or only enrol a second factor (the role
// must use one and the user has none yet).
enum class SessionScope { kFull, kEnrolmentOnly };

// Another place that checks passwords (LDAP: services/ldap_service.hpp), asked about accounts
// without a password of their own here. The account the login signs in as (made or brought up
// to date); nullopt for a login it does not know or a wrong password (counted as a failure);
// any error is the answer as it is (a 503 when the directory cannot be reached is no failure).
class PasswordDirectory {
 public:
  virtual ~PasswordDirectory() = default;
  virtual Result<std::optional<User>> sign_in(std::string_view login, std::string_view password,
                                              std::string_view ip) = 0;
};

class AuthService {
 public:
  AuthService(store::Database& db, const Clock& clock, AuthSettings settings,
              CredentialCache& cache);

  // Set once at start-up, before the server answers.
  void set_password_directory(PasswordDirectory* directory) { password_directory_ = directory; }

  Result<SignedIn> login(std::string_view email, std::string_view password, std::string_view ip);
  // The first half of login: throttling, the password check and the failure it records. The
  // account when the password is right and the account active; 401 (or 429) otherwise.
  Result<User> check_password(std::string_view email, std::string_view password,
                              std::string_view ip);
  // Whether this account-and-address pair must wait before another try (429 with Retry-After),
  // and a failed try to count against it: a wrong second-factor code counts like a wrong
  // password.
  Result<void> check_throttle(std::string_view email_norm, std::string_view ip);
  Result<void> record_failure_within(store::Connection& c, std::string_view email_norm,
                                     std::string_view ip, std::optional<std::int64_t> user_id,
                                     std::string_view action);
  Result<void> clear_failures_within(store::Connection& c, std::string_view email_norm,
                                     std::string_view ip);
  Result<void> logout(const Principal& who);
  Result<Principal> authenticate_session(std::string_view session_token, std::string_view ip);
  Result<Principal> authenticate_bearer(std::string_view token, std::string_view ip);
  // Verifies the current password, stores the new one, ends every session of the user and
  // opens a fresh one for the caller; revokes the user's API tokens too unless told to keep
  // them (a password change after a leak should not leave a token the intruder made).
  Result<SignedIn> change_password(const Principal& who, std::string_view current,
                                   std::string_view replacement,
                                   ApiTokens tokens = ApiTokens::kRevoke);

  // Sign-in by mail (login_links.cpp). A fresh single-use link for the active customer with this
  // email; nullopt, with nothing stored, when there is none, so answers do not reveal who has an
  // account. 503 when no mailbox can send, 429 when asked for too often.
  Result<std::optional<LoginLink>> issue_login_link(std::string_view email, std::string_view ip);
  // Uses the link up and opens a session; 401 when it is unknown, used or expired.
  Result<SignedIn> redeem_login_link(std::string_view token, std::string_view ip);

  // For other services' writes that prove who someone is (a redeemed sign-up link): opens a
  // session inside `c`, audited as auth.login with `how` after the email.
  Result<SignedIn> sign_in_within(store::Connection& c, const User& user, std::string_view ip,
                                  std::string_view how, SessionScope scope = SessionScope::kFull);
  // Inside `c`: ends every session of the user (their credentials leave the cache on commit).
  Result<void> end_sessions_within(store::Connection& c, std::int64_t user_id);

  Result<NewToken> create_token(const Principal& actor, std::int64_t user_id, std::string_view name,
                                std::vector<std::string> scopes);
  Result<std::vector<ApiToken>> list_tokens(const Principal& who);
  Result<void> revoke_token(const Principal& who, std::int64_t token_id);

 private:
  Result<SignedIn> open_session(store::Connection& c, const User& user, std::string_view ip,
                                SessionScope scope = SessionScope::kFull);
  // How long this account-and-address pair must still wait before another try; 0 for none.
  Millis throttle_wait(const PairFailures& pair, std::int64_t address_failures, Millis now) const;
  void touch_token_later(std::int64_t token_id);
  void verify_dummy(std::string_view password);
  // check_password for an account without a local password: asks the password directory.
  Result<User> check_directory_password(std::string_view login, std::string_view email_norm,
                                        std::string_view password, std::string_view ip,
                                        std::optional<std::int64_t> found_id);

  store::Database& db_;
  const Clock& clock_;
  AuthSettings settings_;
  CredentialCache& cache_;
  PasswordDirectory* password_directory_ = nullptr;
  // Verified against for unknown emails, so timing reveals nothing; made on first need so that
  // start-up does not pay for a password hash.
  std::once_flag dummy_once_;
  std::string dummy_hash_;

  std::mutex touched_mutex_;
  std::unordered_map<std::int64_t, Millis> token_touched_;  // guarded by touched_mutex_
};

Result<std::vector<std::string>> normalize_scopes(std::vector<std::string> scopes);

}  // namespace gongdan::services
