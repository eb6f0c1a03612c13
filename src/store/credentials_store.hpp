// Persistence of what proves who someone is: browser sessions, API tokens and failed sign-in
// attempts. Secrets are never stored, only their SHA-256 digests.
#pragma once

#include <optional>
#include <vector>

#include "domain/api_token.hpp"
#include "domain/login_failures.hpp"
#include "domain/user.hpp"
#include "store/database.hpp"

namespace gongdan::store {

struct SessionRow {
  std::int64_t id = 0;
  std::string csrf_token;
  Millis expires_at = 0;
  bool enrolment_only = false;  // the role must use a second factor and none is enrolled yet
  User user;
};

struct TokenWithUser {
  ApiToken token;
  User user;
};

Result<void> insert_session(Connection& c, std::string_view token_hash, std::int64_t user_id,
                            std::string_view csrf_token, Millis now, Millis expires_at,
                            std::string_view ip, bool enrolment_only = false);
Result<std::optional<SessionRow>> find_session(Connection& c, std::string_view token_hash);
Result<void> delete_session(Connection& c, std::string_view token_hash);
Result<void> delete_sessions_of_user(Connection& c, std::int64_t user_id);
Result<void> delete_expired_sessions(Connection& c, Millis now);

Result<std::int64_t> insert_token(Connection& c, const ApiToken& token,
                                  std::string_view token_hash);
Result<std::optional<TokenWithUser>> find_token(Connection& c, std::string_view token_hash);
Result<std::vector<ApiToken>> list_tokens(Connection& c, std::int64_t user_id);
Result<std::optional<ApiToken>> find_token_by_id(Connection& c, std::int64_t id);
Result<void> revoke_token(Connection& c, std::int64_t id, Millis now);
Result<void> revoke_tokens_of_user(Connection& c, std::int64_t user_id, Millis now);
Result<void> touch_token(Connection& c, std::int64_t id, Millis now);

Result<void> insert_login_failure(Connection& c, std::string_view email_norm, std::string_view ip,
                                  Millis now);
// Failures of one account from one client address since `since`, and when the last one was.
Result<PairFailures> login_failures_for_pair(Connection& c, std::string_view email_norm,
                                             std::string_view ip, Millis since);
Result<std::int64_t> count_login_failures_for_ip(Connection& c, std::string_view ip, Millis since);
Result<void> clear_login_failures_for_pair(Connection& c, std::string_view email_norm,
                                           std::string_view ip);
Result<void> prune_login_failures(Connection& c, Millis before);

}  // namespace gongdan::store
