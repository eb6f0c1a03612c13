// Persistence of mail bookkeeping: the Message-IDs of messages in and out (threading and
// de-duplication) and the quarantine of messages that could not be processed.
#pragma once

#include <optional>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct MailRecord {
  std::int64_t id = 0;
  std::string message_id;  // without angle brackets
  std::int64_t ticket_id = 0;
  std::optional<std::int64_t> ticket_message_id;
  std::string direction;  // "in" or "out"
  std::string raw_sha256;
  std::int64_t raw_size = 0;
  std::string from_address;
  std::string subject;
  std::string full_text;  // the whole text body, before quote folding
  std::string quoted_text;
  std::string quoted_html;  // sanitised
  std::string flags;        // "; "-separated: loop-guard verdict, parser warnings
  Millis created_at = 0;
};

struct QuarantineRow {
  std::int64_t id = 0;
  std::string raw_sha256;
  std::int64_t raw_size = 0;
  std::optional<std::int64_t> department_id;
  std::string reason;
  std::string status;  // "held" or "released"
  std::int64_t attempts = 0;
  std::optional<std::int64_t> ticket_number;
  Millis created_at = 0;
  Millis updated_at = 0;
};

Result<std::optional<MailRecord>> find_mail_by_message_id(Connection& c,
                                                          std::string_view message_id);
Result<std::optional<MailRecord>> find_mail_of_ticket_message(Connection& c,
                                                              std::int64_t ticket_message_id);
Result<std::int64_t> insert_mail_record(Connection& c, const MailRecord& m);
Result<void> set_message_html(Connection& c, std::int64_t message_id, std::string_view html);

Result<std::int64_t> insert_quarantine(Connection& c, const QuarantineRow& q);
// Held rows first, newest first, after `after_id` when given (cursor paging by id descending).
Result<std::vector<QuarantineRow>> list_quarantine(Connection& c, std::optional<std::string> status,
                                                   std::int64_t before_id, int limit);
Result<std::optional<QuarantineRow>> find_quarantine(Connection& c, std::int64_t id);
Result<void> update_quarantine(Connection& c, const QuarantineRow& q);

}  // namespace gongdan::store
