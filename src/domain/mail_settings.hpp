// Mail settings an admin sets per department, and as the defaults (department 0) for tickets
// without a department and departments without their own:
// - outside_replies: what a reply from an address that is neither the requester nor a follower
//   becomes. "new_ticket" (the default: a stranger cannot post on someone else's ticket) or
//   "follower" (the sender is added as a follower and the message lands on the ticket — only
//   when the reply carries one of the ticket's Message-IDs in In-Reply-To/References, never on
//   the subject token alone, which anyone can type).
// - acknowledge: automatic acknowledgements of new mail tickets on or off (none: the sending
//   mailbox's own switch), with subject and body templates in English and Chinese, chosen by the
//   requester's locale.
// - signature: text that ends every agent reply sent by mail (plain and HTML part).
// Lookup order: the ticket's own outside_replies, its department's settings, the defaults,
// built-in. Pure: the caller reads the settings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/clock.hpp"

namespace gongdan {

inline constexpr std::string_view kOutsideNewTicket = "new_ticket";
inline constexpr std::string_view kOutsideFollower = "follower";

struct MailSettings {
  std::int64_t department_id = 0;              // 0: the defaults
  std::optional<std::string> outside_replies;  // new_ticket or follower; none: inherited
  std::optional<bool> acknowledge;             // none: inherited, last the mailbox's switch
  std::string ack_subject_en;                  // templates; empty: inherited, last built in
  std::string ack_body_en;
  std::string ack_subject_zh;
  std::string ack_body_zh;
  std::string signature;             // a template; empty: the defaults', else none
  std::optional<Millis> updated_at;  // none: never saved
};

// What an acknowledgement of a new ticket uses.
struct AckSettings {
  std::optional<bool> acknowledge;                       // none: the mailbox decides
  std::string subject_en, body_en, subject_zh, body_zh;  // built-in texts when none was set
};

// From a department's settings and the defaults (either may be missing).
std::string outside_replies_from(const MailSettings* department, const MailSettings* defaults);
AckSettings ack_settings_from(const MailSettings* department, const MailSettings* defaults);
std::string signature_from(const MailSettings* department, const MailSettings* defaults);

// The placeholders acknowledgement templates may use; signatures may also use agent.name.
bool is_ack_placeholder(std::string_view name);

}  // namespace gongdan
