#include "channels/email/driver/smtp_submit.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>

#include "channels/email/driver/oauth_access.hpp"
#include "util/text.hpp"

namespace gongdan::email {
namespace {

struct SmtpUpload {
  const std::string* data;
  std::size_t offset = 0;
};

std::size_t read_smtp_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* up = static_cast<SmtpUpload*>(user);
  const std::size_t n = std::min(size * count, up->data->size() - up->offset);
  std::memcpy(buffer, up->data->data() + up->offset, n);
  up->offset += n;
  return n;
}

std::size_t ignore_smtp_output(char*, std::size_t size, std::size_t count, void*) {
  return size * count;
}

int smtp_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancelled = static_cast<const std::function<bool()>*>(user);
  return (*cancelled && (*cancelled)()) ? 1 : 0;
}

}  // namespace

void set_smtp_login(void* handle, const SmtpServer& server, const std::string& bearer) {
  auto* curl = static_cast<CURL*>(handle);
  if (server.user.empty()) return;
  set_mail_login(curl, server.user, server.password, bearer);
}

Result<void> smtp_submit(const SmtpServer& server, const SmtpEnvelope& envelope,
                         const std::string& message, const std::function<bool()>& cancelled) {
  if (server.host.empty()) return fail(ErrorCode::kUnavailable, "no SMTP server");
  std::string bearer;
  if (!server.oauth.empty()) {
    auto token = oauth_access_token(server.oauth);
    if (!token) return fail(ErrorCode::kUnavailable, "SMTP: " + token.error().message);
    bearer = std::move(*token);
  }
  CURL* curl = curl_easy_init();
  if (!curl) return fail(ErrorCode::kUnavailable, "libcurl could not start");
  const std::string url = std::string(server.tls == "tls" ? "smtps://" : "smtp://") + server.host +
                          ":" + std::to_string(server.port);
  const std::string from = "<" + text::strip_controls(envelope.from) + ">";
  const std::string to = "<" + text::strip_controls(envelope.to) + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
  for (const auto& copy : envelope.copies) {
    const std::string other = "<" + text::strip_controls(copy) + ">";
    rcpt = curl_slist_append(rcpt, other.c_str());
  }
  SmtpUpload upload{&message};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_USE_SSL,
                   server.tls == "starttls" ? static_cast<long>(CURLUSESSL_ALL)
                                            : static_cast<long>(CURLUSESSL_NONE));
  set_smtp_login(curl, server, bearer);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_smtp_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, ignore_smtp_output);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, smtp_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &cancelled);
  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc == CURLE_LOGIN_DENIED && !bearer.empty()) forget_oauth_access_token(server.oauth);
  if (rc != CURLE_OK)
    return fail(ErrorCode::kUnavailable, std::string("SMTP: ") + curl_easy_strerror(rc));
  return {};
}

}  // namespace gongdan::email
