// Checks a mail server the way a poll or a send reaches it, one step at a time, fetching and
// sending nothing: DNS, TCP, TLS (implicit TLS checked against the system's authorities and the
// host name, as libcurl checks it), then for IMAP the login and the folder, for SMTP the
// greeting, STARTTLS and AUTH (libcurl's connection phase). The report names the step that
// failed, so `gongdan doctor` and the desk's "test connection" (POST /api/v1/mailboxes/{id}/test)
// say where it broke: the name, the port, the certificate, the password or the folder.
//
// Contract: blocking, each step bounded by `timeout_ms`; callable from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/oauth_token.hpp"

namespace gongdan::email {

enum class ProbeStep { kDns, kTcp, kTls, kLogin, kFolder };
std::string_view probe_step_name(ProbeStep step);

struct MailServer {
  std::string kind;  // IMAP or SMTP: the words of the report
  std::string host;
  std::int64_t port = 0;
  std::string tls;  // tls, starttls or none
  std::string user;
  std::string password;
  std::string folder;  // IMAP only
  OAuthClient oauth;   // set: the login is XOAUTH2 with its access token
};

struct ProbeReport {
  bool ok = false;
  ProbeStep step = ProbeStep::kDns;  // the step that failed (when !ok)
  // "IMAP host:port: DNS, TCP and TLS (TLSv1.3) fine", once DNS, TCP and TLS passed.
  std::string reached;
  // The failure, naming the step and the server's words; or, when ok, what was proved.
  std::string message;
};

ProbeReport probe_imap(const MailServer& server, int timeout_ms = 10'000);
ProbeReport probe_smtp(const MailServer& server, int timeout_ms = 10'000);

}  // namespace gongdan::email
