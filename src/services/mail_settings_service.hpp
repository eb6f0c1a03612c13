// Mail settings (domain/mail_settings.hpp): per department and the defaults, the declared
// resource `mail_settings` (admins; services/resource_service.hpp), and per ticket, here (agents
// who see the ticket): who may answer it by mail, and the asking agent's own reply address. The
// functions below read the settings inside a ticket or mail write, in the lookup order the
// domain sets.
#pragma once

#include <optional>
#include <string>

#include "domain/mail_settings.hpp"
#include "domain/resource.hpp"
#include "domain/ticket.hpp"
#include "services/directory.hpp"
#include "services/principal.hpp"
#include "services/resource_service.hpp"
#include "services/secret_box.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

const Resource<MailSettings>& mail_settings_resource();

struct TicketMailSettings {
  std::int64_t ticket_number = 0;
  std::optional<std::string> outside_replies;  // the ticket's own; nullopt = inherited
  std::string effective_outside_replies;
  std::optional<std::string> reply_address;  // the asking agent's; none without a sending mailbox
};

Result<std::string> effective_outside_replies(store::Connection& c, const Ticket& ticket);
Result<AckSettings> effective_ack_settings(store::Connection& c,
                                           std::optional<std::int64_t> department_id);
// The department's signature for agents' replies by mail (else the defaults'); "" for none.
Result<std::string> effective_signature(store::Connection& c,
                                        std::optional<std::int64_t> department_id);

class MailSettingsService {
 public:
  MailSettingsService(store::Database& db, const Clock& clock, Directory& directory)
      : db_(db), clock_(clock), directory_(directory) {}
  void set_signer(const SecretBox* signer) { signer_ = signer; }

  // Declares the per-department settings with their template checks.
  static void add_to(Resources& resources);

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
