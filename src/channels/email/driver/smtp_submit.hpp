// The SMTP driver: hands one built message to an SMTP server over libcurl (smtp://, smtps://,
// STARTTLS, AUTH when a user is set). It only sends: the caller (the mail job, the sign-in link
// mailer) has already built the envelope and the MIME bytes and looked up the server.
//
// Contract: one blocking submission, bounded by its timeouts (20 s to connect, 120 s in all).
// Never throws; every failure is kUnavailable with libcurl's reason. Thread-safe: nothing is
// shared between calls.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "domain/outgoing_mail.hpp"
#include "util/result.hpp"

namespace gongdan::email {

// RFC 5321's envelope: who the server bounces to and who it delivers to.
struct SmtpEnvelope {
  std::string from;
  std::string to;
  std::vector<std::string> copies;  // Cc and Bcc: delivered to as well
};

// libcurl's login options for `server` on a CURL* handle: none without a user, the password, or
// with `bearer` (an OAuth2 access token) AUTH XOAUTH2. The probe logs in the same way.
void set_smtp_login(void* curl, const SmtpServer& server, const std::string& bearer);

// `cancelled` is asked while the transfer runs; true aborts it (shutting down).
Result<void> smtp_submit(const SmtpServer& server, const SmtpEnvelope& envelope,
                         const std::string& message, const std::function<bool()>& cancelled);

}  // namespace gongdan::email
