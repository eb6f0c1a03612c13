#include "channels/email/driver/mailgate_client.hpp"

#include "util/http_exchange.hpp"

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
  HttpCall call{
      inbound_url(target.url, target.department, target.mailbox),
      {"Authorization: Bearer " + target.token, "Content-Type: message/rfc822", "Expect:"}};
  call.body = message;
  call.timeout_ms = target.timeout_seconds * 1000;
  call.connect_timeout_ms = 30 * 1000;
  call.max_bytes = 64 * 1024;  // the answer only explains a refusal
  call.keep_truncated = true;
  call.proxy_from_environment = true;
  auto answer = http_exchange(call);
  if (!answer) return {MailgateVerdict::kRetryLater, "libcurl could not start"};
  if (!answer->done)
    return {MailgateVerdict::kRetryLater,
            "cannot reach " + call.url + ": " + answer->error + " (the MTA will retry)"};
  const long status = answer->status;
  if (status >= 200 && status < 300) return {MailgateVerdict::kDelivered, {}};
  std::string explanation = "the server answered " + std::to_string(status) + ": " + answer->body;
  if (status >= 500 || status == 408 || status == 429 || status == 401 || status == 403)
    return {MailgateVerdict::kRetryLater, std::move(explanation)};
  return {MailgateVerdict::kRefused, std::move(explanation)};
}

}  // namespace gongdan::email
