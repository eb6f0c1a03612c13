// Sends sign-in link mails on its own thread, so the request that asked for one answers at once.
// The queue is in memory on purpose: the link (the token in clear) is never written anywhere,
// and a link lives 15 minutes, so a mail lost to a restart or an unreachable server is simply
// asked for again rather than retried for hours.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "services/mailboxes_service.hpp"

namespace gongdan::email {

struct LinkMail {
  std::int64_t mailbox_id = 0;
  std::string to_address;
  std::string to_name;
  std::string subject;
  std::string text;
};

class LinkMailer {
 public:
  explicit LinkMailer(services::MailboxesService& mailboxes) : mailboxes_(mailboxes) {}
  ~LinkMailer() { stop(); }
  LinkMailer(const LinkMailer&) = delete;
  LinkMailer& operator=(const LinkMailer&) = delete;

  // Queues the mail (at most 1000 waiting; beyond that it is dropped with a warning).
  void send_later(LinkMail mail);
  void stop();

 private:
  void run();
  Result<void> send(const LinkMail& mail);

  services::MailboxesService& mailboxes_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<LinkMail> queue_;  // guarded by mutex_
  bool stopping_ = false;       // guarded by mutex_
  std::thread thread_;
};

}  // namespace gongdan::email
