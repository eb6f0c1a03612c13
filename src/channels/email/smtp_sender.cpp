#include "channels/email/smtp_sender.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "channels/email/mime_writer.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::email {
namespace {

struct Upload {
  const std::string* data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, up->data->size() - up->offset);
  std::memcpy(buffer, up->data->data() + up->offset, n);
  up->offset += n;
  return n;
}

std::size_t ignore_output(char*, std::size_t size, std::size_t count, void*) {
  return size * count;
}

struct Cancel {
  std::mutex* mutex;
  const bool* stopping;
};

int smtp_cancelled(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* c = static_cast<Cancel*>(user);
  std::lock_guard lock(*c->mutex);
  return *c->stopping ? 1 : 0;
}

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
  const auto& box = account->row;
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

  CURL* curl = curl_easy_init();
  if (!curl) return fail(ErrorCode::kUnavailable, "libcurl could not start");
  const std::string url = std::string(box.smtp_tls == "tls" ? "smtps://" : "smtp://") +
                          box.smtp_host + ":" + std::to_string(box.smtp_port);
  const std::string from = "<" + text::strip_controls(row.from_address) + ">";
  const std::string to = "<" + text::strip_controls(row.to_address) + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
  Upload upload{&message};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_USE_SSL,
                   box.smtp_tls == "starttls" ? static_cast<long>(CURLUSESSL_ALL)
                                              : static_cast<long>(CURLUSESSL_NONE));
  if (!box.smtp_user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, box.smtp_user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, account->smtp_password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, ignore_output);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  Cancel cancel{&mutex_, &stopping_};
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, smtp_cancelled);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &cancel);
  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK)
    return fail(ErrorCode::kUnavailable, std::string("SMTP: ") + curl_easy_strerror(rc));
  return {};
}

}  // namespace gongdan::email
