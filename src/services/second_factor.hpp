// Two-factor sign-in with time-based codes (TOTP, RFC 6238, domain/totp.hpp). A person enrols
// by scanning a secret into an authenticator app and confirming one code; from then on a right
// password opens no session by itself, only a short-lived challenge, and the session comes with
// the second step (a code, or one of the recovery codes shown once at enrolment). Secrets are
// sealed with the data directory's key (SecretBox); recovery codes and challenges are stored
// as digests. Wrong codes count against the same throttle as wrong passwords, and a code (a
// time step) is accepted once. A browser may be remembered for some days by a signed cookie.
// Admins choose the roles that must enrol (a session of such a person without a factor may
// only enrol) and reset a person's factor; both are audited.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/auth_service.hpp"
#include "services/credential_cache.hpp"
#include "services/principal.hpp"
#include "services/secret_box.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

struct SecondFactorSettings {
  std::string issuer = "gongdan";  // the name authenticator apps show beside the account
  Millis challenge_lifetime_ms = 5 * 60 * 1000;
  Millis remember_device_ms = 30LL * 24 * 3600 * 1000;
  int recovery_codes = 10;
};

// Who must use two-factor sign-in: holders of these built-in roles (custom roles counted as
// one of them included, as everywhere a built-in role is named) and of these custom roles.
struct SecondFactorPolicy {
  std::vector<Role> roles;
  std::vector<std::int64_t> custom_roles;  // ids of roles (GET /api/v1/roles)
  bool covers(const User& user) const;
};

struct SecondFactorStatus {
  bool enabled = false;   // confirmed: sign-in asks for a code
  bool pending = false;   // a secret waits for its first code
  bool required = false;  // the person's role must use one
  std::int64_t recovery_codes_left = 0;
  std::optional<Millis> enabled_at;
};

struct Enrolment {
  std::string secret;  // base32, for typing into an app by hand
  std::string uri;     // otpauth://…, for the QR code
};

// A sign-in's first step: a session, or (for someone with a second factor) the challenge the
// second step answers.
struct SignInStep {
  std::optional<SignedIn> signed_in;
  std::string challenge;
  Millis challenge_expires_at = 0;
};

struct SecondStep {
  std::string challenge;
  std::string code;           // six digits from the app, or
  std::string recovery_code;  // one of the recovery codes
  bool remember_device = false;
};

struct SecondStepDone {
  SignedIn signed_in;
  std::string device_token;  // for the remember-this-device cookie; empty when not asked
  Millis device_expires_at = 0;
};

class SecondFactorService {
 public:
  SecondFactorService(store::Database& db, const Clock& clock, AuthService& auth,
                      const SecretBox& secrets, CredentialCache& cache,
                      SecondFactorSettings settings);

  // `device_token` is the remember-this-device cookie, when the browser sent one.
  Result<SignInStep> sign_in(std::string_view email, std::string_view password, std::string_view ip,
                             std::string_view device_token);
  Result<SecondStepDone> second_step(const SecondStep& step, std::string_view ip);

  Result<SecondFactorStatus> status(const Principal& who);
  // A new secret waiting for its first code; 409 when one is confirmed already.
  Result<Enrolment> start_enrolment(const Principal& who);
  // Turns the pending secret on with a right code; gives the recovery codes (shown once).
  Result<std::vector<std::string>> confirm(const Principal& who, std::string_view code);
  // Turns it off, proven with a code or a recovery code; 403 when the role requires one.
  Result<void> disable(const Principal& who, std::string_view code);
  // Admins: removes someone's second factor (they enrol again at their next sign-in when their
  // role requires one).
  Result<void> reset(const Principal& admin, std::int64_t user_id);

  Result<SecondFactorPolicy> policy(const Principal& who);
  // Replaces the policy; a custom role that does not exist is 400.
  Result<SecondFactorPolicy> set_policy(const Principal& admin, SecondFactorPolicy policy);

 private:
  // Whether `code` (six digits or a recovery code) proves the factor, using it up; inside `c`.
  Result<bool> use_code(store::Connection& c, std::int64_t user_id, std::string_view code);
  std::string recovery_digest(std::int64_t user_id, std::string_view code) const;
  std::string device_token(std::int64_t user_id, Millis expires_at, Millis enrolled_at) const;
  bool device_remembered(std::string_view token, std::int64_t user_id, Millis enrolled_at) const;

  store::Database& db_;
  const Clock& clock_;
  AuthService& auth_;
  const SecretBox& secrets_;
  CredentialCache& cache_;
  SecondFactorSettings settings_;
};

}  // namespace gongdan::services
