// Persistence of two-factor sign-in: each account's sealed TOTP secret, its recovery codes
// (SHA-256 digests), the pending second steps of sign-ins (digests), and the roles that must
// enrol. Sealing and checking codes are the service's; this file only stores.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/user.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct SecondFactorRow {
  std::int64_t user_id = 0;
  std::string sealed_secret;
  Millis created_at = 0;
  std::optional<Millis> confirmed_at;
  std::int64_t last_step = 0;
};

Result<std::optional<SecondFactorRow>> find_second_factor(Connection& c, std::int64_t user_id);
// A new, unconfirmed secret replaces whatever the account had (and its recovery codes go).
Result<void> put_pending_second_factor(Connection& c, std::int64_t user_id,
                                       std::string_view sealed_secret, Millis now);
Result<void> confirm_second_factor(Connection& c, std::int64_t user_id, Millis now,
                                   std::int64_t step);
// Records `step` as used; false when a code of that step or a later one was used already, so
// two sign-ins racing with one code cannot both win.
Result<bool> use_second_factor_step(Connection& c, std::int64_t user_id, std::int64_t step);
// Removes the secret and the recovery codes; false when there was none.
Result<bool> delete_second_factor(Connection& c, std::int64_t user_id);

Result<void> insert_recovery_code(Connection& c, std::int64_t user_id, std::string_view code_hash);
// Marks the unused code with this digest used; false when there is none.
Result<bool> use_recovery_code(Connection& c, std::int64_t user_id, std::string_view code_hash,
                               Millis now);
Result<std::int64_t> count_unused_recovery_codes(Connection& c, std::int64_t user_id);

Result<void> insert_sign_in_challenge(Connection& c, std::string_view token_hash,
                                      std::int64_t user_id, std::string_view ip, Millis now,
                                      Millis expires_at);
// The user of a challenge that has not expired at `now`; nullopt otherwise.
Result<std::optional<std::int64_t>> find_sign_in_challenge(Connection& c,
                                                           std::string_view token_hash, Millis now);
Result<void> delete_sign_in_challenge(Connection& c, std::string_view token_hash);
Result<void> prune_sign_in_challenges(Connection& c, Millis expired_before);

Result<std::vector<Role>> second_factor_roles(Connection& c);
Result<void> set_second_factor_roles(Connection& c, const std::vector<Role>& roles);
// The custom roles (ids of roles) that must enrol, in order.
Result<std::vector<std::int64_t>> second_factor_custom_roles(Connection& c);
Result<void> set_second_factor_custom_roles(Connection& c, const std::vector<std::int64_t>& ids);
// Marks the open sessions of people whose role is in second_factor_roles and who have no
// confirmed second factor as fit only for enrolling, and gives those people's ids.
Result<std::vector<std::int64_t>> restrict_sessions_without_second_factor(Connection& c);
Result<void> lift_enrolment_only(Connection& c, std::int64_t user_id);
// Lifts the mark from every session and gives the ids of the people who had it.
Result<std::vector<std::int64_t>> lift_all_enrolment_only(Connection& c);

}  // namespace gongdan::store
