// Persistence of mail bookkeeping: the Message-IDs of messages in and out (threading and
// de-duplication) and the quarantine of messages that could not be processed.
#pragma once

#include <optional>
#include <vector>

#include "domain/mail_record.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

Result<std::optional<MailRecord>> find_mail_by_message_id(Connection& c,
                                                          std::string_view message_id);
Result<std::optional<MailRecord>> find_mail_of_ticket_message(Connection& c,
                                                              std::int64_t ticket_message_id);
Result<std::int64_t> insert_mail_record(Connection& c, const MailRecord& m);
Result<void> set_message_html(Connection& c, std::int64_t message_id, std::string_view html);

Result<std::int64_t> insert_quarantine(Connection& c, const QuarantineEntry& q);
// Held rows first, newest first, after `after_id` when given (cursor paging by id descending).
Result<std::vector<QuarantineEntry>> list_quarantine(Connection& c,
                                                     std::optional<std::string> status,
                                                     std::int64_t before_id, int limit);
Result<std::optional<QuarantineEntry>> find_quarantine(Connection& c, std::int64_t id);
Result<void> update_quarantine(Connection& c, const QuarantineEntry& q);
// Marks the entry deleted (its id is never given again); list and find skip it.
Result<void> delete_quarantine(Connection& c, std::int64_t id, std::int64_t at);

}  // namespace gongdan::store
