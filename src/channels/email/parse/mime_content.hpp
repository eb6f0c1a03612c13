// Reading one MIME entity: its type and names, its transfer-decoded bytes, and what it becomes
// (an attachment, or data of a delivery report).
//
// Contract: internal to the email channel, used by mime_parser. Reads are bounded: content is
// decoded chunk by chunk and stops at the cap the caller gives, so a huge part never costs more
// memory than the cap. Filenames are decoded (RFC 2231/2047), cleaned of controls and directory
// parts, and never empty.
#pragma once

#include <gmime/gmime.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "channels/email/parse/parsed_message.hpp"

namespace gongdan::email {

struct EntityInfo {
  std::string content_type;  // lower-cased "type/subtype"
  std::string disposition;   // lower-cased "attachment", "inline" or ""
  std::string filename;      // decoded; "" when the part names no file
  std::string charset;       // the Content-Type charset parameter, as written
  std::string content_id;    // without angle brackets
};

EntityInfo describe_entity(GMimeObject* object);

struct PartContent {
  std::string bytes;
  bool truncated = false;
};

// The transfer-decoded content (base64, quoted-printable, uuencode), at most `cap` bytes.
PartContent read_part_content(GMimePart* part, std::size_t cap);

Attachment leaf_attachment(const EntityInfo& info, GMimePart* part, std::size_t cap);

// A message/rfc822 part (a forwarded message) as an .eml attachment.
Attachment embedded_message_attachment(const EntityInfo& info, GMimeMessage* message);

// Reads Action, Status, Final-Recipient and Diagnostic-Code from a message/delivery-status part.
void read_delivery_status(std::string_view text, DeliveryReport& report);

// CRLF and lone CR become LF.
std::string normalise_newlines(std::string_view text);

}  // namespace gongdan::email
