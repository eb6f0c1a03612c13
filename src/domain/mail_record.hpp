// Mail bookkeeping: the record of each message in and out (threading and de-duplication go by
// its Message-ID), a message held in quarantine because it could not be processed, and a
// message in the outbox with its delivery state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/clock.hpp"

namespace gongdan {

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

struct QuarantineEntry {
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

struct OutboundMail {
  std::int64_t id = 0;
  std::int64_t ticket_id = 0;
  std::optional<std::int64_t> ticket_message_id;
  std::int64_t mailbox_id = 0;
  std::string kind;        // "reply" or "acknowledgement"
  std::string message_id;  // without angle brackets
  std::string from_address;
  std::string from_name;
  std::string to_address;
  std::string to_name;
  std::string cc;   // space-separated addresses, shown to every recipient
  std::string bcc;  // space-separated addresses, in the envelope only
  std::string subject;
  std::string in_reply_to;
  std::string references;  // space-separated, without brackets
  std::string body;
  std::string html;
  std::string status = "queued";  // queued, sent or failed
  std::int64_t attempts = 0;
  Millis next_attempt_at = 0;  // when queued; the mail job's run_at is what schedules it
  std::string last_error;
  Millis created_at = 0;
  std::optional<Millis> sent_at;
};

}  // namespace gongdan
