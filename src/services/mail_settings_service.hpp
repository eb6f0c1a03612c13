// Mail settings an admin sets per department (and as defaults), and agents per ticket:
// - outside_replies: what a reply from an address that is neither the requester nor a follower
//   becomes. "new_ticket" (the default: a stranger cannot post on someone else's ticket) or
//   "follower" (the sender is added as a follower and the message lands on the ticket — only
//   when the reply carries one of the ticket's Message-IDs in In-Reply-To/References, never on
//   the subject token alone, which anyone can type).
// - acknowledge: automatic acknowledgements of new mail tickets on or off (null: the sending
//   mailbox's own `acknowledge`), with subject and body templates in English and Chinese, chosen
//   by the requester's locale.
// - signature: text that ends every agent reply sent by mail (plain and HTML part).
// Lookup order: the ticket, its department's row, the defaults row (department 0), built-in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/ticket.hpp"
#include "services/directory.hpp"
#include "services/principal.hpp"
#include "services/secret_box.hpp"
#include "store/database.hpp"
#include "store/mail_settings_store.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

inline constexpr std::string_view kOutsideNewTicket = "new_ticket";
inline constexpr std::string_view kOutsideFollower = "follower";

// Absent members keep their value; an inner nullopt sets "inherit".
struct MailSettingsInput {
  std::optional<std::optional<std::string>> outside_replies;
  std::optional<std::optional<bool>> acknowledge;
  std::optional<std::string> ack_subject_en, ack_body_en, ack_subject_zh, ack_body_zh;
  std::optional<std::string> signature;
};

struct TicketMailSettings {
  std::int64_t ticket_number = 0;
  std::optional<std::string> outside_replies;  // the ticket's own; nullopt = inherited
  std::string effective_outside_replies;
  std::optional<std::string> reply_address;  // the asking agent's; none without a sending mailbox
};

// What an acknowledgement of a new ticket in `department` uses.
struct AckSettings {
  std::optional<bool> acknowledge;                       // nullopt: the mailbox decides
  std::string subject_en, body_en, subject_zh, body_zh;  // built-in texts when none was set
};

Result<std::string> effective_outside_replies(store::Connection& c, const Ticket& ticket);
Result<AckSettings> effective_ack_settings(store::Connection& c,
                                           std::optional<std::int64_t> department_id);
// The department's signature for agents' replies by mail (else the defaults'); "" for none.
Result<std::string> effective_signature(store::Connection& c,
                                        std::optional<std::int64_t> department_id);
// The placeholders acknowledgement templates may use; signatures may also use agent.name.
bool is_ack_placeholder(std::string_view name);

class MailSettingsService {
 public:
  MailSettingsService(store::Database& db, const Clock& clock, Directory& directory)
      : db_(db), clock_(clock), directory_(directory) {}
  void set_signer(const SecretBox* signer) { signer_ = signer; }

  // Admins only. department 0 is the defaults.
  Result<std::vector<store::MailSettingsRow>> list(const Principal& who);
  Result<store::MailSettingsRow> get(const Principal& who, std::int64_t department_id);
  Result<store::MailSettingsRow> update(const Principal& who, std::int64_t department_id,
                                        const MailSettingsInput& input);

  // Agents who can see the ticket (kNotFound otherwise).
  Result<TicketMailSettings> ticket_settings(const Principal& who, std::int64_t number);
  Result<TicketMailSettings> set_ticket_settings(const Principal& who, std::int64_t number,
                                                 std::optional<std::string> outside_replies);

 private:
  Result<Ticket> agent_ticket(const Principal& who, std::int64_t number);
  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  const SecretBox* signer_ = nullptr;
};

}  // namespace gongdan::services
