// Persistence of sign-in links (token digests only) and the mailbox that sends them.
#pragma once

#include <optional>
#include <string>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct LoginLinkRow {
  std::int64_t user_id = 0;
  std::string token_hash;
  std::string ip;
  Millis created_at = 0;
  Millis expires_at = 0;
};

Result<void> insert_login_link(Connection& c, const LoginLinkRow& row);
Result<std::int64_t> count_login_links_for_user(Connection& c, std::int64_t user_id, Millis since);
Result<std::int64_t> count_login_links_for_ip(Connection& c, std::string_view ip, Millis since);
// Marks the link used and gives its user, when it exists, is unused and has not expired at
// `now`; nullopt otherwise. Run on the writer, so two redeemers cannot both win.
Result<std::optional<std::int64_t>> consume_login_link(Connection& c, std::string_view token_hash,
                                                       Millis now);
Result<void> prune_login_links(Connection& c, Millis expired_before);
// The mailbox sign-in links go out from: one without a department first, else the first with
// an SMTP server; nullopt when mail out is not set up.
Result<std::optional<std::int64_t>> login_link_mailbox(Connection& c);

}  // namespace gongdan::store
