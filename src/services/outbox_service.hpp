// The mail outbox. Agent replies and automatic acknowledgements become outbound_mail rows, each
// with a mail job (jobs/mail_job), in the same transaction as the ticket message (or the new
// ticket) they answer, so a committed reply is never lost. The job asks prepare() for everything
// it sends in one call, and reports each try to record_attempt(): the row is the ticket's
// outbound-mail log ("queued", "sent", or "failed" after the job's last attempt, visible on the
// message through the API); the retries and their backoff are the job queue's.
//
// Every outgoing mail gets a Message-ID that is also written to mail_messages, so the customer's
// answer threads onto the ticket. Acknowledgements follow RFC 3834: only to the sender, never to
// our own addresses, at most `max_acks_per_hour` per address, and never quoting the message.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/mail_record.hpp"
#include "domain/outgoing_mail.hpp"
#include "services/attachment_files.hpp"
#include "services/job_queue.hpp"
#include "services/mailboxes_service.hpp"
#include "services/store_fwd.hpp"
#include "services/tickets_service.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

// Everything one outbound mail needs to be sent: the sending mailbox's SMTP server (password
// opened) and the message, attachments read (auto_submitted for acknowledgements, RFC 3834).
struct OutgoingDelivery {
  SmtpServer server;
  OutgoingMail mail;
  std::vector<std::string> bcc;  // in the envelope only
};

struct OutboxSettings {
  int max_acks_per_hour = 3;
  std::string token_prefix = "#";
};

class OutboxService final : public ReplyMailer {
 public:
  OutboxService(store::Database& db, const Clock& clock, AttachmentFiles& files,
                MailboxesService& mailboxes, JobQueue& jobs, OutboxSettings settings)
      : db_(db),
        clock_(clock),
        files_(files),
        mailboxes_(mailboxes),
        jobs_(jobs),
        settings_(std::move(settings)) {}

  // Inside the reply's write: queues the mail to the requester when the ticket's department
  // has a sending mailbox (else the reply stays on the desk only).
  // Its Cc: the agent's `copies.cc` and the ticket's customer followers (people the customer
  // copied), never the requester or one of our own addresses; its Bcc: `copies.bcc`.
  Result<void> on_public_reply(store::Connection& c, const Ticket& ticket, const Message& message,
                               const MailCopies& copies) override;
  Result<void> on_customer_ticket(store::Connection& c, const Ticket& ticket) override;
  // Inside the write that opened `ticket` from mail `answered_message_id` (empty for a ticket
  // from the portal or the web form).
  Result<void> acknowledge(store::Connection& c, const Ticket& ticket, std::string_view to_email,
                           std::string_view to_name, std::string_view answered_message_id);

  // Inside a trigger's or automation's write: an automatic mail (a rendered template) about
  // `ticket` from its department's sending mailbox, threaded on the ticket. False when there is
  // no sending mailbox or the address is one of ours (never mail ourselves).
  Result<bool> automatic_mail(store::Connection& c, const Ticket& ticket, std::string_view to_email,
                              std::string_view to_name, std::string subject, std::string body);

  // For the mail job: what outbound mail `outbound_id` sends, or nothing when it is gone or was
  // sent already (a job run again after a crash). kUnavailable when its mailbox is gone or has
  // no SMTP server (the job tries again later).
  Result<std::optional<OutgoingDelivery>> prepare(std::int64_t outbound_id);
  // One try: `error` empty when the server took the mail (then "sent"); `last` when the job
  // gives up after this one (then "failed").
  Result<void> record_attempt(std::int64_t outbound_id, std::string_view error, bool last);
  Result<std::map<std::int64_t, OutboundMail>> deliveries(
      const std::vector<std::int64_t>& message_ids);
  // A ticket's outgoing mail, acknowledgements included, newest first (the caller has checked
  // that the asker sees the ticket).
  Result<std::vector<OutboundMail>> outbound_of_ticket(std::int64_t ticket_id, int limit);

 private:
  // Who a reply to `requester` copies, checked and without duplicates (at most 50 each).
  Result<MailCopies> copies_of(store::Connection& c, const Ticket& ticket, const User& requester,
                               const MailCopies& asked);
  Result<void> enqueue(store::Connection& c, OutboundMail row, Millis now);
  // An automatic mail (sent with Auto-Submitted, RFC 3834) from `mailbox` about `ticket`,
  // addressed and given its Message-ID; none for an address that is not one, or is one of our
  // own mailboxes (two of them would mail each other in a loop).
  Result<std::optional<OutboundMail>> automatic_row(store::Connection& c, const Ticket& ticket,
                                                    const Mailbox& mailbox,
                                                    std::string_view to_email,
                                                    std::string_view to_name);
  store::Database& db_;
  const Clock& clock_;
  AttachmentFiles& files_;
  MailboxesService& mailboxes_;
  JobQueue& jobs_;
  OutboxSettings settings_;
};

}  // namespace gongdan::services
