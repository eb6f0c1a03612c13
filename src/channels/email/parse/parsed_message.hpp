// What mail intake learns from one raw message: the value mime_parser produces and the loop
// guard, quote folding and threading read. Plain data, no GMime types, safe to copy and to move
// between threads.
//
// All strings are valid UTF-8. Subjects, names, addresses, Message-IDs, filenames and header
// values have had CR, LF and other control characters removed (text::strip_controls), so none of
// them can become an extra header line in outgoing mail. Message-IDs are stored without angle
// brackets. Bodies keep their newlines (normalised to "\n").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gongdan::email {

struct Address {
  std::string name;   // decoded display name, may be empty
  std::string email;  // as written (not lower-cased); may lack a domain in broken mail
  friend bool operator==(const Address&, const Address&) = default;
};

struct Header {
  std::string name;   // as written, e.g. "X-Zammad-Ticket-Priority"
  std::string value;  // unfolded and decoded
};

// Headers the loop guard reads. nullopt when absent; an empty string when present but empty.
struct LoopHeaders {
  std::optional<std::string> auto_submitted;
  std::optional<std::string> precedence;
  std::optional<std::string> list_id;
  std::optional<std::string> x_autoreply;  // X-Autoreply, X-Autorespond, X-AutoReply-From ...
  std::optional<std::string> x_auto_response_suppress;
  // Vendor vacation markers such as X-QQ-HolidayReply and X-QQ-AUTO-REPLY, as "Name: value".
  std::vector<std::string> vendor_autoreply;
};

struct Attachment {
  std::string filename;      // decoded, without directory parts; never empty
  std::string content_type;  // lower-cased "type/subtype"
  std::string content_id;    // without angle brackets; empty when absent
  bool is_inline = false;    // Content-Disposition inline, or a cid: part without disposition
  std::string bytes;         // transfer-decoded content
};

// What a multipart/report (RFC 3464 delivery status notification) tells about the message it
// reports on.
struct DeliveryReport {
  std::string original_message_id;            // from text/rfc822-headers or message/rfc822
  std::string action;                         // first "Action:" (failed, delayed, delivered ...)
  std::string status;                         // first "Status:" such as "5.1.1"
  std::vector<std::string> final_recipients;  // "Final-Recipient:" addresses
  std::string diagnostic;                     // first "Diagnostic-Code:"
};

struct ParsedMessage {
  std::string message_id;
  std::string in_reply_to;              // the first Message-ID in In-Reply-To
  std::vector<std::string> references;  // in header order
  std::string subject;
  std::optional<Address> from;
  std::optional<Address> sender;
  std::vector<Address> reply_to;
  std::vector<Address> to;
  std::vector<Address> cc;
  std::optional<std::int64_t> date_ms;  // UTC milliseconds since the epoch
  // nullopt when absent; "" for the null reverse path "<>" that bounces carry.
  std::optional<std::string> return_path;
  LoopHeaders loop;
  // X-Gongdan-*, X-RT-*, X-Zammad-*, X-OTRS-*: kept for trusted mailboxes only to act on.
  std::vector<Header> helpdesk_headers;

  // text/plain parts only: mail with nothing but HTML leaves it empty (filter/body_text.hpp
  // derives the text then, which keeps this library free of an HTML parser).
  std::string text_body;
  std::string html_body;  // raw, unsanitised: pass through markup::sanitize_html before display
  std::vector<Attachment> attachments;

  bool is_delivery_report = false;  // a multipart/report
  DeliveryReport delivery;

  // Things the parser tolerated or cut short (missing boundary, nesting cap, truncated body).
  std::vector<std::string> warnings;
};

}  // namespace gongdan::email
