#include "services/second_factor.hpp"

#include <algorithm>
#include <charconv>

#include "domain/totp.hpp"
#include "services/audit.hpp"
#include "store/roles_store.hpp"
#include "store/second_factor_store.hpp"
#include "store/users_store.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

constexpr std::string_view kWrongCode = "the code is not correct";

bool role_in(Role role, const std::vector<Role>& roles) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

Result<SecondFactorPolicy> load_policy(store::Connection& c) {
  SecondFactorPolicy policy;
  GONGDAN_ASSIGN(policy.roles, store::second_factor_roles(c));
  GONGDAN_ASSIGN(policy.custom_roles, store::second_factor_custom_roles(c));
  return policy;
}

// Ten characters from an alphabet without look-alikes (no l, o, 0, 1): 50 random bits.
std::string new_recovery_code() {
  static constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";
  const std::string raw = crypto::random_bytes(10);
  std::string code;
  for (unsigned char byte : raw) code += kAlphabet[byte % kAlphabet.size()];
  return code.substr(0, 5) + "-" + code.substr(5);
}

std::optional<std::int64_t> parse_number(std::string_view s) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace

bool SecondFactorPolicy::covers(const User& user) const {
  return role_in(user.role, roles) ||
         (user.role_id &&
          std::find(custom_roles.begin(), custom_roles.end(), *user.role_id) != custom_roles.end());
}

SecondFactorService::SecondFactorService(store::Database& db, const Clock& clock, AuthService& auth,
                                         const SecretBox& secrets, CredentialCache& cache,
                                         SecondFactorSettings settings)
    : db_(db),
      clock_(clock),
      auth_(auth),
      secrets_(secrets),
      cache_(cache),
      settings_(std::move(settings)) {}

Result<SignInStep> SecondFactorService::sign_in(std::string_view email, std::string_view password,
                                                std::string_view ip,
                                                std::string_view device_token) {
  GONGDAN_ASSIGN(auto user, auth_.check_password(email, password, ip));
  const Millis now = clock_.now_ms();
  SignInStep step;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto factor, store::find_second_factor(c, user.id));
    GONGDAN_TRY(auth_.clear_failures_within(c, text::normalize_email(user.email), ip));
    if (factor && factor->confirmed_at) {
      if (device_remembered(device_token, user.id, *factor->confirmed_at)) {
        GONGDAN_ASSIGN(step.signed_in, auth_.sign_in_within(c, user, ip, "remembered device"));
        return {};
      }
      step.challenge = crypto::random_token();
      step.challenge_expires_at = now + settings_.challenge_lifetime_ms;
      if (now % 20 == 0) GONGDAN_TRY(store::prune_sign_in_challenges(c, now));
      return store::insert_sign_in_challenge(c, crypto::sha256_hex(step.challenge), user.id, ip,
                                             now, step.challenge_expires_at);
    }
    GONGDAN_ASSIGN(auto policy, load_policy(c));
    const bool must_enrol = policy.covers(user);
    GONGDAN_ASSIGN(
        step.signed_in,
        auth_.sign_in_within(c, user, ip, must_enrol ? "must enrol a second factor" : "",
                             must_enrol ? SessionScope::kEnrolmentOnly : SessionScope::kFull));
    return {};
  }));
  return step;
}

Result<SecondStepDone> SecondFactorService::second_step(const SecondStep& step,
                                                        std::string_view ip) {
  const Millis now = clock_.now_ms();
  const std::string challenge_hash = crypto::sha256_hex(step.challenge);
  GONGDAN_ASSIGN(auto user_id, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_sign_in_challenge(c, challenge_hash, now);
                 }));
  if (!user_id)
    return fail(ErrorCode::kUnauthenticated,
                "the sign-in has expired; enter your email and password again", "challenge");
  GONGDAN_ASSIGN(auto user, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_user(c, *user_id);
                 }));
  if (!user || !user->active)
    return fail(ErrorCode::kUnauthenticated,
                "the sign-in has expired; enter your email and password again", "challenge");
  const std::string email_norm = text::normalize_email(user->email);
  GONGDAN_TRY(auth_.check_throttle(email_norm, ip));
  const std::string_view code = step.code.empty() ? step.recovery_code : step.code;
  SecondStepDone done;
  bool accepted = false;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto factor, store::find_second_factor(c, user->id));
    if (!factor || !factor->confirmed_at) return {};  // reset meanwhile: nothing proves it
    GONGDAN_ASSIGN(accepted, use_code(c, user->id, code));
    if (!accepted) return {};
    GONGDAN_TRY(store::delete_sign_in_challenge(c, challenge_hash));
    GONGDAN_TRY(auth_.clear_failures_within(c, email_norm, ip));
    GONGDAN_ASSIGN(
        done.signed_in,
        auth_.sign_in_within(c, *user, ip, step.code.empty() ? "recovery code" : "second factor"));
    if (step.remember_device) {
      done.device_expires_at = now + settings_.remember_device_ms;
      done.device_token = device_token(user->id, done.device_expires_at, *factor->confirmed_at);
    }
    return {};
  }));
  if (!accepted) {
    GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
      return auth_.record_failure_within(c, email_norm, ip, user->id, "auth.second_factor_failed");
    }));
    return fail(ErrorCode::kUnauthenticated,
                std::string(kWrongCode) + " (a code is accepted once; wait for the next one)",
                step.code.empty() ? "recovery_code" : "code");
  }
  return done;
}

Result<bool> SecondFactorService::use_code(store::Connection& c, std::int64_t user_id,
                                           std::string_view code) {
  GONGDAN_ASSIGN(auto factor, store::find_second_factor(c, user_id));
  if (!factor) return false;
  if (code.size() == static_cast<std::size_t>(totp::kDigits)) {
    GONGDAN_ASSIGN(auto secret, secrets_.open(factor->sealed_secret));
    auto step = totp::matching_step(secret, clock_.now_ms(), code);
    if (!step) return false;
    return store::use_second_factor_step(c, user_id, *step);
  }
  const std::string normalized = totp::normalize_recovery_code(code);
  if (normalized.size() != 10) return false;
  return store::use_recovery_code(c, user_id, recovery_digest(user_id, normalized),
                                  clock_.now_ms());
}

Result<SecondFactorStatus> SecondFactorService::status(const Principal& who) {
  SecondFactorStatus s;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto factor, store::find_second_factor(c, who.user.id));
    GONGDAN_ASSIGN(auto policy, load_policy(c));
    s.required = policy.covers(who.user);
    if (!factor) return {};
    s.enabled = factor->confirmed_at.has_value();
    s.pending = !s.enabled;
    s.enabled_at = factor->confirmed_at;
    GONGDAN_ASSIGN(s.recovery_codes_left, store::count_unused_recovery_codes(c, who.user.id));
    return {};
  }));
  return s;
}

Result<Enrolment> SecondFactorService::start_enrolment(const Principal& who) {
  if (who.via != CredentialKind::kSession || who.user.id == 0)
    return fail(ErrorCode::kPermissionDenied, "enrol a second factor from a signed-in browser");
  const std::string secret = crypto::random_bytes(totp::kSecretBytes);
  Enrolment enrolment{totp::base32(secret), {}};
  enrolment.uri = totp::otpauth_uri(settings_.issuer, who.user.email, enrolment.secret);
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto factor, store::find_second_factor(c, who.user.id));
    if (factor && factor->confirmed_at)
      return fail(ErrorCode::kConflict,
                  "two-factor sign-in is on already; turn it off before enrolling again");
    return store::put_pending_second_factor(c, who.user.id, secrets_.seal(secret), clock_.now_ms());
  }));
  return enrolment;
}

Result<std::vector<std::string>> SecondFactorService::confirm(const Principal& who,
                                                              std::string_view code) {
  std::vector<std::string> codes;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto factor, store::find_second_factor(c, who.user.id));
    if (!factor)
      return fail(ErrorCode::kConflict, "start the enrolment first: there is no secret to confirm");
    if (factor->confirmed_at) return fail(ErrorCode::kConflict, "two-factor sign-in is on already");
    GONGDAN_ASSIGN(auto secret, secrets_.open(factor->sealed_secret));
    const Millis now = clock_.now_ms();
    auto step = totp::matching_step(secret, now, code);
    if (!step) return fail(ErrorCode::kInvalidArgument, std::string(kWrongCode), "code");
    GONGDAN_TRY(store::confirm_second_factor(c, who.user.id, now, *step));
    for (int i = 0; i < settings_.recovery_codes; ++i) {
      codes.push_back(new_recovery_code());
      GONGDAN_TRY(store::insert_recovery_code(
          c, who.user.id,
          recovery_digest(who.user.id, totp::normalize_recovery_code(codes.back()))));
    }
    GONGDAN_TRY(store::lift_enrolment_only(c, who.user.id));
    c.after_commit([this, id = who.user.id] { cache_.evict(CredentialTarget::user(id, false)); });
    return record_audit(c, now, who.user.id, "user.second_factor_enable",
                        "user:" + std::to_string(who.user.id), who.ip);
  }));
  return codes;
}

Result<void> SecondFactorService::disable(const Principal& who, std::string_view code) {
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto policy, load_policy(c));
    if (policy.covers(who.user))
      return fail(ErrorCode::kPermissionDenied,
                  "your role must use two-factor sign-in; an admin can reset it for you");
    GONGDAN_ASSIGN(auto factor, store::find_second_factor(c, who.user.id));
    if (!factor || !factor->confirmed_at)
      return fail(ErrorCode::kConflict, "two-factor sign-in is not on");
    GONGDAN_ASSIGN(bool proven, use_code(c, who.user.id, code));
    if (!proven) return fail(ErrorCode::kInvalidArgument, std::string(kWrongCode), "code");
    GONGDAN_TRY(store::delete_second_factor(c, who.user.id));
    return record_audit(c, clock_.now_ms(), who.user.id, "user.second_factor_disable",
                        "user:" + std::to_string(who.user.id), who.ip);
  });
}

Result<void> SecondFactorService::reset(const Principal& admin, std::int64_t user_id) {
  GONGDAN_TRY(require(admin, Permission::kManageUsers, "reset another person's second factor"));
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto user, store::find_user(c, user_id));
    if (!user) return fail(ErrorCode::kNotFound, "no such user");
    GONGDAN_ASSIGN(bool removed, store::delete_second_factor(c, user_id));
    if (!removed) return fail(ErrorCode::kConflict, "this person has no second factor to reset");
    GONGDAN_ASSIGN(auto restricted, store::restrict_sessions_without_second_factor(c));
    (void)restricted;
    c.after_commit([this, user_id] { cache_.evict(CredentialTarget::user(user_id)); });
    return record_audit(c, clock_.now_ms(), actor_id(admin), "user.second_factor_reset",
                        "user:" + std::to_string(user_id), admin.ip);
  });
}

Result<SecondFactorPolicy> SecondFactorService::policy(const Principal& who) {
  GONGDAN_TRY(require(who, Permission::kManageUsers, "read the two-factor policy"));
  return store::read_value(db_, [](store::Connection& c) { return load_policy(c); });
}

Result<SecondFactorPolicy> SecondFactorService::set_policy(const Principal& admin,
                                                           SecondFactorPolicy policy) {
  GONGDAN_TRY(require(admin, Permission::kManageUsers, "change the two-factor policy"));
  auto& roles = policy.roles;
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  auto& custom = policy.custom_roles;
  std::sort(custom.begin(), custom.end());
  custom.erase(std::unique(custom.begin(), custom.end()), custom.end());
  if (role_in(Role::kCustomer, roles))
    return fail(ErrorCode::kInvalidArgument,
                "two-factor sign-in can be required of agents' roles only, not customers",
                "required_roles");
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    for (auto id : custom) {
      GONGDAN_ASSIGN(auto exists, store::role_permissions(c, id));
      if (!exists)
        return fail(ErrorCode::kInvalidArgument, "no custom role has the id " + std::to_string(id),
                    "required_custom_roles");
    }
    GONGDAN_TRY(store::set_second_factor_roles(c, roles));
    GONGDAN_TRY(store::set_second_factor_custom_roles(c, custom));
    // Sessions of roles no longer listed are free again; those of roles now listed, held.
    GONGDAN_ASSIGN(auto lifted, store::lift_all_enrolment_only(c));
    GONGDAN_ASSIGN(auto restricted, store::restrict_sessions_without_second_factor(c));
    restricted.insert(restricted.end(), lifted.begin(), lifted.end());
    c.after_commit([this, restricted] {
      for (auto id : restricted) cache_.evict(CredentialTarget::user(id));
    });
    std::string names;
    for (Role role : roles)
      names += std::string(names.empty() ? "" : ",") + "\"" + std::string(role_name(role)) + "\"";
    std::string ids;
    for (auto id : custom) ids += std::string(ids.empty() ? "" : ",") + std::to_string(id);
    return record_audit(
        c, clock_.now_ms(), actor_id(admin), "settings.second_factor_roles", "second_factor_policy",
        admin.ip, "{\"required_roles\":[" + names + "],\"required_custom_roles\":[" + ids + "]}");
  }));
  return policy;
}

std::string SecondFactorService::recovery_digest(std::int64_t user_id,
                                                 std::string_view code) const {
  // Keyed, so a copy of the database alone cannot be searched for the 50-bit codes.
  return secrets_.mac("recovery code\n" + std::to_string(user_id) + "\n" + std::string(code));
}

std::string SecondFactorService::device_token(std::int64_t user_id, Millis expires_at,
                                              Millis enrolled_at) const {
  const std::string payload = std::to_string(user_id) + "." + std::to_string(expires_at);
  return payload + "." +
         secrets_.mac("remembered device\n" + payload + "\n" + std::to_string(enrolled_at));
}

// The cookie names the user, its end and the enrolment it was made under: a reset or a new
// enrolment makes every remembered browser ask again.
bool SecondFactorService::device_remembered(std::string_view token, std::int64_t user_id,
                                            Millis enrolled_at) const {
  auto parts = text::split(token, '.');
  if (parts.size() != 3) return false;
  auto id = parse_number(parts[0]);
  auto expires_at = parse_number(parts[1]);
  if (!id || !expires_at || *id != user_id || *expires_at <= clock_.now_ms()) return false;
  return crypto::equal_constant_time(token, device_token(user_id, *expires_at, enrolled_at));
}

}  // namespace gongdan::services
