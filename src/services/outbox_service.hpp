// The mail outbox. Agent replies and automatic acknowledgements become outbound_mail rows in the
// same transaction as the ticket message (or the new ticket) they answer, so a committed reply is
// never lost and never sent twice; the SMTP sender (channels/email) takes due rows, and failures
// are retried with backoff (domain/retry_backoff.hpp) until the policy gives up ("failed",
// visible on the message through the API).
//
// Every outgoing mail gets a Message-ID that is also written to mail_messages, so the customer's
// answer threads onto the ticket. Acknowledgements follow RFC 3834: only to the sender, never to
// our own addresses, at most `max_acks_per_hour` per address, and never quoting the message.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/retry_backoff.hpp"
#include "services/attachment_files.hpp"
#include "services/tickets_service.hpp"
#include "store/database.hpp"
#include "store/mailboxes_store.hpp"
#include "store/outbox_store.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

struct OutgoingAttachment {
  std::string filename;
  std::string content_type;
  std::string bytes;
};

struct OutboxSettings {
  RetryPolicy retry;
  int max_acks_per_hour = 3;
  std::string token_prefix = "#";
};

class OutboxService final : public ReplyMailer {
 public:
  OutboxService(store::Database& db, const Clock& clock, AttachmentFiles& files,
                OutboxSettings settings)
      : db_(db), clock_(clock), files_(files), settings_(std::move(settings)) {}

  // Inside the reply's write: queues the mail to the requester when the ticket's department
  // has a sending mailbox (else the reply stays on the desk only).
  Result<void> on_public_reply(store::Connection& c, const Ticket& ticket,
                               const Message& message) override;
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

  Result<std::vector<store::OutboundRow>> due(int limit);
  Result<void> mark_sent(store::OutboundRow row);
  // Schedules the next try, or gives up when the policy says so. `unit` is a uniform draw.
  Result<store::OutboundRow> mark_failed_attempt(store::OutboundRow row, std::string_view error,
                                                 double unit);
  Result<std::map<std::int64_t, store::OutboundRow>> deliveries(
      const std::vector<std::int64_t>& message_ids);
  Result<std::vector<OutgoingAttachment>> attachments_of(std::int64_t message_id);
  // A ticket's outgoing mail, acknowledgements included, newest first (the caller has checked
  // that the asker sees the ticket).
  Result<std::vector<store::OutboundRow>> outbound_of_ticket(std::int64_t ticket_id, int limit);

 private:
  Result<void> enqueue(store::Connection& c, store::OutboundRow row, Millis now);
  // An automatic mail (sent with Auto-Submitted, RFC 3834) from `mailbox` about `ticket`,
  // addressed and given its Message-ID; none for an address that is not one, or is one of our
  // own mailboxes (two of them would mail each other in a loop).
  Result<std::optional<store::OutboundRow>> automatic_row(store::Connection& c,
                                                          const Ticket& ticket,
                                                          const store::MailboxRow& mailbox,
                                                          std::string_view to_email,
                                                          std::string_view to_name);
  store::Database& db_;
  const Clock& clock_;
  AttachmentFiles& files_;
  OutboxSettings settings_;
};

}  // namespace gongdan::services
