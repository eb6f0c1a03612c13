// Mail intake, the service half: threads an already-parsed message onto a ticket and stores it in
// one write, keeps the raw message, and keeps whatever could not be processed in a quarantine.
// The parsing (GMime), the loop guard and the HTML sanitiser run in channels/email, which builds
// an InboundMail and calls deliver(); this layer decides where the message goes.
//
// Threading, in order: a Message-ID we know in In-Reply-To/References, then the ticket token in
// the subject ([#1234]); never the subject text alone. The same Message-ID twice is stored once
// (the UNIQUE index on mail_messages is the final word, so two deliveries racing still make one
// message). A reply from someone who is neither the requester nor a follower opens a new ticket,
// unless the ticket's outside_replies setting (mail_settings_service.hpp) makes them a follower.
//
// Mail from an agent's address speaks as that agent only with proof: the agent's personal reply
// address for the ticket (reply_address.hpp) among its recipients. It is then a public reply by
// the agent (sent on to the requester like a reply from the desk). Without proof it is an
// internal note without an author, flagged "unverified sender".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/mail_record.hpp"
#include "services/attachment_files.hpp"
#include "services/directory.hpp"
#include "services/mail_settings_service.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "services/ticket_events_bus.hpp"
#include "services/ticket_hooks.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

struct InboundAttachment {
  std::string filename;
  std::string content_type;
  std::string content_id;  // without brackets; inline images are referenced as cid:<id>
  bool is_inline = false;
  std::string bytes;
};

struct InboundMail {
  std::string message_id;               // never empty: the caller makes one up when missing
  std::vector<std::string> thread_ids;  // In-Reply-To first, then References, newest first
  std::optional<std::int64_t> token_number;
  std::string from_email;
  std::string from_name;
  std::vector<std::string> recipients;  // To and Cc addresses: where a reply tag is looked for
  // Cc (address, name): people the customer copies, who join the ticket as followers.
  std::vector<std::pair<std::string, std::string>> cc;
  std::string subject;
  std::string text;         // what the sender wrote now (quotes folded away)
  std::string html;         // sanitised, folded
  std::string full_text;    // the whole text body
  std::string quoted_text;  // the folded history
  std::string quoted_html;  // sanitised
  std::vector<InboundAttachment> attachments;
  std::string raw;
  std::optional<std::int64_t> department_id;
  bool may_open_ticket = true;  // false for auto-replies and bounces (loop guard)
  bool may_auto_reply = true;   // false for those and for lists and bulk mail
  bool bounce = false;          // a delivery failure report
  std::string bounce_report;    // its status and diagnostic, for the outgoing mail it reports on
  // X-Gongdan-* headers of a message from a trusted mailbox (name, value); empty otherwise.
  std::vector<std::pair<std::string, std::string>> trusted_headers;
  std::string flags;  // loop-guard verdict and parser warnings, for the agent
};

enum class MailResult { kCreated, kAdded, kDuplicate };

struct MailOutcome {
  MailResult result = MailResult::kCreated;
  std::int64_t ticket_number = 0;
  std::int64_t message_id = 0;  // the ticket message
};

struct QuarantinedMail {
  QuarantineEntry row;
  std::string raw;
};

struct MailDetails {
  MailRecord record;
  std::string raw;                        // filled only when asked for
  bool internal = false;                  // the ticket message is an internal note (agents only)
  std::optional<std::int64_t> author_id;  // the ticket message's author
};

class MailIntakeService {
 public:
  MailIntakeService(store::Database& db, const Clock& clock, Directory& directory,
                    TicketEventBus& events, AttachmentFiles& files)
      : db_(db),
        clock_(clock),
        directory_(directory),
        events_(events),
        files_(files),
        settings_(db, clock, directory) {}

  // kConflict when the message may not open a ticket and threads onto none (an
  // auto-reply or bounce about nothing we know): the caller quarantines it.
  Result<MailOutcome> deliver(InboundMail mail);

  // Keeps `raw` with the reason; returns the quarantine id. Fails only when the raw bytes cannot
  // be stored durably (the caller then answers "try again later").
  Result<std::int64_t> quarantine(std::string_view raw, std::optional<std::int64_t> department_id,
                                  std::string_view reason);
  // The quarantine is for admins only (kPermissionDenied otherwise).
  Result<std::vector<QuarantineEntry>> list_quarantine(const Principal& who,
                                                       std::optional<std::string> status,
                                                       std::int64_t before_id, int limit);
  Result<QuarantinedMail> quarantined(const Principal& who, std::int64_t id, bool with_raw);
  // Removes an entry from the quarantine (admins; audited as mail.quarantine.delete with its
  // reason, size and hash). The row stays marked deleted, so its id is never reused; the raw
  // bytes stay in the content-addressed file store, which other mail may share.
  Result<void> delete_quarantined(const Principal& who, std::int64_t id);
  // Records the outcome of a retry: released onto ticket `ticket_number`, or still held with a new
  // reason.
  Result<QuarantineEntry> record_retry(std::int64_t id, std::optional<std::int64_t> ticket_number,
                                       std::string_view reason);

  // The mail behind a ticket message (the caller has checked that the ticket message is
  // visible); kNotFound for messages that did not come by mail.
  Result<MailDetails> mail_of_message(std::int64_t ticket_message_id, bool with_raw);

  AttachmentFiles& files() { return files_; }
  MailSettingsService& settings() { return settings_; }
  // The key that signs agents' reply addresses; without one no mail is ever verified.
  void set_signer(const SecretBox* signer) {
    signer_ = signer;
    settings_.set_signer(signer);
  }
  // The flags of the mail behind each message (messages that came by mail only).
  Result<std::map<std::int64_t, std::string>> mail_flags(const std::vector<std::int64_t>& ids);
  // Acknowledgements of new tickets go through the outbox; none without one.
  void set_outbox(class OutboxService* outbox) { outbox_ = outbox; }
  // The tickets service's hooks (SLA, webhooks), run inside each mail's write as in any other.
  void set_ticket_hooks(const std::vector<TicketHook*>* hooks) { hooks_ = hooks; }
  // New tickets of a department with automatic assignment get an agent like any other.
  void set_assigner(Assigner* assigner) { assigner_ = assigner; }
  // New tickets run the creation triggers through it (TicketsService::system_change).
  void set_tickets(class TicketsService* tickets) { tickets_ = tickets; }

 private:
  struct Delivery;  // deliver()'s steps (mail_delivery.cpp)

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  TicketEventBus& events_;
  AttachmentFiles& files_;
  class OutboxService* outbox_ = nullptr;
  const std::vector<TicketHook*>* hooks_ = nullptr;
  Assigner* assigner_ = nullptr;
  class TicketsService* tickets_ = nullptr;
  MailSettingsService settings_;
  const SecretBox* signer_ = nullptr;
};

}  // namespace gongdan::services
