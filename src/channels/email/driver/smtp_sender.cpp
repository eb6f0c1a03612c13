#include "channels/email/driver/smtp_sender.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "channels/email/driver/smtp_submit.hpp"
#include "channels/email/parse/mime_writer.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::email {
namespace {

double random_unit() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

std::vector<std::string> split_references(const std::string& refs) {
  std::vector<std::string> out;
  for (auto part : text::split(refs, ' '))
    if (!part.empty()) out.emplace_back(part);
  return out;
}

}  // namespace

void SmtpSender::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void SmtpSender::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SmtpSender::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    send_due();
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stopping_; });
  }
}

int SmtpSender::send_due() {
  auto rows = outbox_.due(50);
  if (!rows) {
    spdlog::warn("outbox: {}", rows.error().message);
    return 0;
  }
  int sent = 0;
  for (auto& row : *rows) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    auto done = send(row);
    if (done) {
      if (auto marked = outbox_.mark_sent(row); !marked)
        spdlog::warn("outbox: {}", marked.error().message);
      ++sent;
      continue;
    }
    auto next = outbox_.mark_failed_attempt(row, done.error().message, random_unit());
    if (next)
      spdlog::warn("outbox: mail {} to {} failed (attempt {}, {}): {}", row.id, row.to_address,
                   next->attempts, next->status, done.error().message);
  }
  return sent;
}

Result<void> SmtpSender::send(const store::OutboundRow& row) {
  GONGDAN_ASSIGN(auto account, mailboxes_.account(row.mailbox_id));
  if (!account || account->row.smtp_host.empty())
    return fail(ErrorCode::kUnavailable, "the sending mailbox is gone or has no SMTP server");
  OutgoingMail mail;
  mail.from_address = row.from_address;
  mail.from_name = row.from_name;
  mail.to_address = row.to_address;
  mail.to_name = row.to_name;
  mail.subject = row.subject;
  mail.message_id = row.message_id;
  mail.in_reply_to = row.in_reply_to;
  mail.references = split_references(row.references);
  mail.text = row.body;
  mail.html = row.html;
  mail.auto_submitted = row.kind == "acknowledgement";
  mail.date_ms = row.created_at;
  if (row.ticket_message_id) {
    GONGDAN_ASSIGN(auto files, outbox_.attachments_of(*row.ticket_message_id));
    for (auto& f : files)
      mail.attachments.push_back({f.filename, f.content_type, std::move(f.bytes)});
  }
  const std::string message = build_mime(mail, "=_gongdan_" + crypto::random_token(12));
  return smtp_submit(*account, row.from_address, row.to_address, message, [this] {
    std::lock_guard lock(mutex_);
    return stopping_;
  });
}

}  // namespace gongdan::email
