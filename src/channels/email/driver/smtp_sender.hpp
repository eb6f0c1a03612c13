// The outbox's sender: one thread that takes due outbound_mail rows, builds each message
// (mime_writer) and hands it to the mailbox's SMTP server over libcurl (smtp://, smtps://,
// STARTTLS, AUTH when a user is set). A failure schedules a retry with backoff; the outbox
// service gives up after the policy's last attempt and the row shows "failed".
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "services/mailboxes_service.hpp"
#include "services/outbox_service.hpp"

namespace gongdan::email {

class SmtpSender {
 public:
  SmtpSender(services::OutboxService& outbox, services::MailboxesService& mailboxes)
      : outbox_(outbox), mailboxes_(mailboxes) {}
  ~SmtpSender() { stop(); }

  void start();
  void stop();
  // Sends what is due now, on the caller's thread; returns how many were sent.
  int send_due();

 private:
  void run();
  Result<void> send(const store::OutboundRow& row);

  services::OutboxService& outbox_;
  services::MailboxesService& mailboxes_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gongdan::email
