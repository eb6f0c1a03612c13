#include "channels/email/driver/link_mailer.hpp"

#include <spdlog/spdlog.h>

#include "channels/email/driver/smtp_submit.hpp"
#include "channels/email/parse/mime_writer.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

namespace gongdan::email {

void LinkMailer::send_later(LinkMail mail) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    if (queue_.size() >= 1000) {
      spdlog::warn("sign-in link mail to {} dropped: too many waiting", mail.to_address);
      return;
    }
    queue_.push_back(std::move(mail));
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  }
  wake_.notify_one();
}

void LinkMailer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LinkMailer::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    LinkMail mail = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    if (auto sent = send(mail); !sent)
      spdlog::warn("sign-in link mail to {} failed: {}", mail.to_address, sent.error().message);
    lock.lock();
  }
}

Result<void> LinkMailer::send(const LinkMail& link) {
  GONGDAN_ASSIGN(auto account, mailboxes_.account(link.mailbox_id));
  if (!account) return fail(ErrorCode::kUnavailable, "the sending mailbox is gone");
  OutgoingMail mail;
  mail.from_address = account->mailbox.address;
  mail.to_address = link.to_address;
  mail.to_name = link.to_name;
  mail.subject = link.subject;
  const auto at = account->mailbox.address.rfind('@');
  mail.message_id =
      "gongdan.link." + crypto::random_token(18) + "@" +
      (at == std::string::npos ? "gongdan.invalid" : account->mailbox.address.substr(at + 1));
  mail.text = link.text;
  mail.auto_submitted = false;  // not a reply: Auto-Submitted would say "auto-replied"
  mail.date_ms = SystemClock::instance().now_ms();
  const std::string message = build_mime(mail, "=_gongdan_" + crypto::random_token(12));
  return smtp_submit(account->smtp_server(), {.from = mail.from_address, .to = mail.to_address},
                     message, [this] {
                       std::lock_guard lock(mutex_);
                       return stopping_;
                     });
}

}  // namespace gongdan::email
