// Building outgoing RFC 5322 messages: headers with RFC 2047 words for non-ASCII text, a plain
// and an HTML part (multipart/alternative), attachments (multipart/mixed, RFC 2231 filenames).
//
// Contract: pure apart from the boundary, which the caller passes in. Every header value is
// stripped of CR, LF and other control characters first, so nothing a customer or an agent
// typed can add a header line. Bodies are UTF-8, base64-encoded (no line is ever too long).
#pragma once

#include <string>
#include <string_view>

#include "domain/outgoing_mail.hpp"

namespace gongdan::email {

std::string build_mime(const OutgoingMail& mail, const std::string& boundary);

// "=?UTF-8?B?...?=" words for text that is not plain printable ASCII; the text itself otherwise.
std::string encode_header_text(std::string_view text);
std::string base64_lines(std::string_view bytes);

}  // namespace gongdan::email
