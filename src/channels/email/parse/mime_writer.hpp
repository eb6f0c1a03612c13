// Building outgoing RFC 5322 messages: headers with RFC 2047 words for non-ASCII text, a plain
// and an HTML part (multipart/alternative), attachments (multipart/mixed, RFC 2231 filenames).
//
// Contract: pure apart from the boundary, which the caller passes in. Every header value is
// stripped of CR, LF and other control characters first, so nothing a customer or an agent
// typed can add a header line. Bodies are UTF-8, base64-encoded (no line is ever too long).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gongdan::email {

struct OutgoingPart {
  std::string filename;
  std::string content_type;
  std::string bytes;
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

std::string build_mime(const OutgoingMail& mail, const std::string& boundary);

// "=?UTF-8?B?...?=" words for text that is not plain printable ASCII; the text itself otherwise.
std::string encode_header_text(std::string_view text);
std::string base64_lines(std::string_view bytes);

}  // namespace gongdan::email
