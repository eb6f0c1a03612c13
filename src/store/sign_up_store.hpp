// Persistence of sign-ups waiting for their address to be proved: the link's digest and the
// chosen password's hash, never either in clear.
#pragma once

#include <optional>
#include <string>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct SignUpRow {
  std::string email;
  std::string email_norm;
  std::string name;
  std::string locale;
  std::string time_zone;
  std::string password_hash;
  std::string token_hash;
  std::string ip;
  Millis created_at = 0;
  Millis expires_at = 0;
};

Result<void> insert_sign_up(Connection& c, const SignUpRow& row);
Result<std::int64_t> count_sign_ups_for_email(Connection& c, std::string_view email_norm,
                                              Millis since);
// Marks the sign-up used and gives it, when it exists, is unused and has not expired at `now`;
// nullopt otherwise. One conditional update, so of two redemptions only one wins.
Result<std::optional<SignUpRow>> consume_sign_up(Connection& c, std::string_view token_hash,
                                                 Millis now);
Result<void> prune_sign_ups(Connection& c, Millis expired_before);

}  // namespace gongdan::store
