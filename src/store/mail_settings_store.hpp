// Persistence of mail settings per ticket (those per department are a declared resource,
// services/mail_settings_service.hpp), plus two small reads the mail channel needs: the flags of
// mail-borne messages, and marking an outgoing mail as bounced.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

// nullopt: the ticket inherits its department's setting.
Result<std::optional<std::string>> find_ticket_outside_replies(Connection& c,
                                                               std::int64_t ticket_id);
Result<void> save_ticket_outside_replies(Connection& c, std::int64_t ticket_id,
                                         const std::optional<std::string>& value, Millis now);

// The "; "-separated flags of the mail behind each ticket message that came by mail.
Result<std::map<std::int64_t, std::string>> mail_flags_of_messages(
    Connection& c, const std::vector<std::int64_t>& message_ids);

// A bounce reported on our outgoing mail `message_id`: the row turns "failed" with `error`,
// whatever its state was. False when no outgoing mail has that Message-ID.
Result<bool> mark_outbound_bounced(Connection& c, std::string_view message_id,
                                   std::string_view error);

}  // namespace gongdan::store
