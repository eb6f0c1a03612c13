// What the mail channel writes about a mailbox beside its declaration (services/mailboxes_service):
// the outcome of each poll. Its own statement, so a poll never writes back an admin's change.
#pragma once

#include <optional>
#include <string_view>

#include "domain/mailbox.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

// After a poll: when, what went wrong ("" for nothing) and how many messages were taken in.
Result<void> record_mailbox_poll(Connection& c, std::int64_t id, Millis at, std::string_view error,
                                 std::int64_t fetched);

// A connection waits in IMAP IDLE on the mailbox since `since`; none: no longer.
Result<void> record_mailbox_idle(Connection& c, std::int64_t id, std::optional<Millis> since);

// An OAuth2 endpoint handed a new refresh token (sealed by the caller): keep it.
Result<void> save_mailbox_refresh_token(Connection& c, std::int64_t id, std::string_view sealed);

// Every active mailbox that polls IMAP, with its last poll (/metrics).
Result<std::vector<MailboxPoll>> mailbox_polls(Connection& c);

}  // namespace gongdan::store
