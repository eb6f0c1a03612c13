// The client half of the MTA pipe (`gongdan mailgate`): posts one raw message to a server's
// /api/v1/mail/inbound over libcurl, the way Request Tracker's rt-mailgate does, and says what
// the MTA should do with it.
//
// Contract: one blocking HTTP request, bounded by `timeout_seconds` (connecting by 30 s). Never
// throws. A server that cannot be reached, answers 5xx, 408 or 429, or refuses the token (401,
// 403: a token being fixed must not bounce mail) means "keep the mail and try again"; any other
// 4xx is an answer no retry can change.
#pragma once

#include <string>
#include <string_view>

namespace gongdan::email {

struct MailgateTarget {
  std::string url;         // the server's base URL, or the full inbound URL
  std::string token;       // an API token with the mail scope
  std::string department;  // department id for new tickets; may be empty
  std::string mailbox;     // mailbox id the address belongs to; may be empty
  long timeout_seconds = 120;
};

enum class MailgateVerdict {
  kDelivered,   // 2xx: a ticket, a reply, a duplicate, or kept in quarantine
  kRetryLater,  // the MTA keeps the message
  kRefused,     // the MTA bounces it
};

struct MailgateAnswer {
  MailgateVerdict verdict = MailgateVerdict::kRetryLater;
  std::string explanation;  // for the MTA's log when not delivered
};

// `base` with /api/v1/mail/inbound and the department and mailbox parameters added.
std::string inbound_url(std::string base, const std::string& department,
                        const std::string& mailbox);

MailgateAnswer post_inbound_mail(const MailgateTarget& target, std::string_view message);

}  // namespace gongdan::email
