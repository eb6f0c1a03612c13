// One outgoing message and the server it leaves by, as values: the outbox (services) fills them
// from a queued mail, the sign-in link mailer from its link, and channels/email hands them to the
// MIME writer (parse/mime_writer) and the SMTP driver (driver/smtp_submit). One type for all of
// them, so nothing copies a message member by member from one layer's struct into another's.
#pragma once

#include "domain/oauth_token.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace gongdan {

struct OutgoingPart {
  std::string filename;
  std::string content_type;
  std::string bytes;
  // Set: an inline image the HTML shows as `cid:<content_id>` (without brackets); the MIME
  // writer puts it beside the HTML in a multipart/related part.
  std::string content_id = {};
};

struct OutgoingMail {
  std::string from_address;
  std::string from_name;
  std::string to_address;
  std::string to_name;
  std::vector<std::string> cc;  // addresses; Bcc never appears in the message
  std::string subject;
  std::string message_id;               // without brackets
  std::string in_reply_to;              // without brackets; may be empty
  std::vector<std::string> references;  // without brackets
  std::string text;
  std::string html;  // may be empty
  std::vector<OutgoingPart> attachments;
  bool auto_submitted = false;  // RFC 3834 "Auto-Submitted: auto-replied"
  std::int64_t date_ms = 0;
};

// An SMTP server to submit to.
struct SmtpServer {
  std::string host;
  std::int64_t port = 587;
  std::string tls = "starttls";  // tls (smtps://), starttls (required) or none
  std::string user;              // no AUTH when empty
  std::string password;
  OAuthClient oauth;  // set: AUTH XOAUTH2 with its access token, not the password
};

}  // namespace gongdan
