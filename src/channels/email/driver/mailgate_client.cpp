#include "channels/email/driver/mailgate_client.hpp"

#include <curl/curl.h>

#include "util/answer_sink.hpp"

namespace gongdan::email {
std::string inbound_url(std::string base, const std::string& department,
                        const std::string& mailbox) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.find("/api/v1/mail/inbound") == std::string::npos) base += "/api/v1/mail/inbound";
  if (!department.empty())
    base +=
        (base.find('?') == std::string::npos ? "?" : "&") + std::string("department=") + department;
  if (!mailbox.empty())
    base += (base.find('?') == std::string::npos ? "?" : "&") + std::string("mailbox=") + mailbox;
  return base;
}

MailgateAnswer post_inbound_mail(const MailgateTarget& target, std::string_view message) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL* curl = curl_easy_init();
  if (!curl) return {MailgateVerdict::kRetryLater, "libcurl could not start"};
  const std::string url = inbound_url(target.url, target.department, target.mailbox);
  const std::string auth = "Authorization: Bearer " + target.token;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, auth.c_str());
  headers = curl_slist_append(headers, "Content-Type: message/rfc822");
  headers = curl_slist_append(headers, "Expect:");
  std::string answer;
  AnswerSink sink{&answer, 64 * 1024, false};  // the answer only explains a refusal
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, message.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_answer);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, target.timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  const CURLcode sent = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (sent != CURLE_OK)
    return {MailgateVerdict::kRetryLater,
            "cannot reach " + url + ": " + curl_easy_strerror(sent) + " (the MTA will retry)"};
  if (status >= 200 && status < 300) return {MailgateVerdict::kDelivered, {}};
  std::string explanation = "the server answered " + std::to_string(status) + ": " + answer;
  if (status >= 500 || status == 408 || status == 429 || status == 401 || status == 403)
    return {MailgateVerdict::kRetryLater, std::move(explanation)};
  return {MailgateVerdict::kRefused, std::move(explanation)};
}

}  // namespace gongdan::email
