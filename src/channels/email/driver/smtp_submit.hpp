// Hands one built message to a mailbox's SMTP server over libcurl (smtp://, smtps://, STARTTLS,
// AUTH when a user is set). Shared by the outbox sender and the sign-in link mailer.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "services/mailboxes_service.hpp"

namespace gongdan::email {

// `cancelled` is asked while the transfer runs; true aborts it (shutting down).
Result<void> smtp_submit(const services::MailboxAccount& account, std::string_view from_address,
                         std::string_view to_address, const std::string& message,
                         const std::function<bool()>& cancelled);

}  // namespace gongdan::email
