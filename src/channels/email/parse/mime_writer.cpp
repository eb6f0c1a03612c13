#include "channels/email/parse/mime_writer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "util/encoding.hpp"
#include "util/text.hpp"

namespace gongdan::email {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(in[i]) << 16) |
                   (static_cast<unsigned char>(in[i + 1]) << 8) |
                   static_cast<unsigned char>(in[i + 2]);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += kBase64[n & 63];
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += i + 1 < in.size() ? kBase64[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool plain_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7E) return false;
  // "=?" could be read as the start of an encoded word.
  return s.find("=?") == std::string_view::npos;
}

std::string clean_header_value(std::string_view value) {
  return text::trim(text::strip_controls(value));
}

// An address such as `"Name" <a@b>`, the name encoded when it is not plain ASCII.
std::string address_header(std::string_view name, std::string_view address) {
  const std::string n = clean_header_value(name);
  const std::string a = clean_header_value(address);
  // The address itself must be a bare addr-spec: no brackets, quotes, commas or spaces.
  std::string bare;
  for (char c : a)
    if (c != '<' && c != '>' && c != '"' && c != ',' && c != ' ' && c != ';') bare += c;
  if (n.empty()) return "<" + bare + ">";
  if (plain_ascii(n)) {
    std::string quoted = "\"";
    for (char c : n) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    return quoted + "\" <" + bare + ">";
  }
  return encode_header_text(n) + " <" + bare + ">";
}

std::string msg_id(std::string_view id) {
  std::string out;
  for (char c : clean_header_value(id))
    if (c != '<' && c != '>' && c != ' ') out += c;
  return "<" + out + ">";
}

std::string rfc5322_date(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

// RFC 2231 values: letters, digits and ". - _" as they are, the rest percent-encoded.
std::string percent_encode(std::string_view s) {
  return encoding::percent_encode(s, [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_';
  });
}

std::string ascii_fallback(std::string_view s) {
  std::string out;
  for (unsigned char c : s) out += (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') ? c : '_';
  return out.empty() ? "attachment" : out;
}

std::string media_type(std::string_view t) {
  // type/subtype from our own detection; anything odd becomes octet-stream.
  std::string out = clean_header_value(t);
  for (char c : out)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '+' ||
          c == '-'))
      return "application/octet-stream";
  return out.find('/') == std::string::npos ? "application/octet-stream" : out;
}

std::string text_part(std::string_view type, std::string_view body) {
  return "Content-Type: " + std::string(type) +
         "; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64_lines(body);
}

// One file of the message, as an attachment or (with its Content-ID) an inline image.
std::string file_part(const OutgoingPart& a, std::string_view disposition) {
  const std::string name = clean_header_value(a.filename);
  // Non-ASCII names in RFC 2231 form only: clients that see both forms may pick the
  // ASCII fallback.
  const bool ascii = plain_ascii(name) && name.find('"') == std::string::npos &&
                     name.find('\\') == std::string::npos;
  const std::string name_param =
      ascii ? "name=\"" + ascii_fallback(name) + "\"" : "name*=UTF-8''" + percent_encode(name);
  const std::string file_param = ascii ? "filename=\"" + ascii_fallback(name) + "\""
                                       : "filename*=UTF-8''" + percent_encode(name);
  std::string out = "Content-Type: " + media_type(a.content_type) + ";\r\n " + name_param + "\r\n";
  if (disposition == "inline") out += "Content-ID: " + msg_id(a.content_id) + "\r\n";
  out += "Content-Disposition: " + std::string(disposition) + ";\r\n " + file_param + "\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n" + base64_lines(a.bytes);
  return out;
}

}  // namespace

std::string base64_lines(std::string_view bytes) {
  const std::string all = base64(bytes);
  std::string out;
  out.reserve(all.size() + all.size() / 76 * 2 + 2);
  for (std::size_t i = 0; i < all.size(); i += 76) out += all.substr(i, 76) + "\r\n";
  return out;
}

std::string encode_header_text(std::string_view raw) {
  const std::string text = clean_header_value(raw);
  if (plain_ascii(text)) return text;
  // Words of at most 45 bytes (60 base64 characters), cut on UTF-8 character boundaries.
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    if (end == i) end = std::min(text.size(), i + 45);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(std::string_view(text).substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string build_mime(const OutgoingMail& m, const std::string& boundary) {
  std::string h;
  h += "From: " + address_header(m.from_name, m.from_address) + "\r\n";
  h += "To: " + address_header(m.to_name, m.to_address) + "\r\n";
  if (!m.cc.empty()) {
    std::string cc;
    for (const auto& a : m.cc) cc += (cc.empty() ? "" : ", ") + address_header("", a);
    h += "Cc: " + cc + "\r\n";
  }
  h += "Subject: " + encode_header_text(m.subject) + "\r\n";
  h += "Date: " + rfc5322_date(m.date_ms) + "\r\n";
  h += "Message-ID: " + msg_id(m.message_id) + "\r\n";
  if (!clean_header_value(m.in_reply_to).empty())
    h += "In-Reply-To: " + msg_id(m.in_reply_to) + "\r\n";
  if (!m.references.empty()) {
    std::string refs;
    for (const auto& r : m.references)
      if (!clean_header_value(r).empty()) refs += (refs.empty() ? "" : "\r\n ") + msg_id(r);
    if (!refs.empty()) h += "References: " + refs + "\r\n";
  }
  if (m.auto_submitted) {
    h += "Auto-Submitted: auto-replied\r\n";
    h += "X-Auto-Response-Suppress: All\r\n";
    h += "Precedence: auto_reply\r\n";
  }
  h += "MIME-Version: 1.0\r\n";

  std::string body;
  const std::string alt = boundary + "_alt";
  if (m.html.empty()) {
    body = text_part("text/plain", m.text);
  } else {
    body = "Content-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n";
    body += "--" + alt + "\r\n" + text_part("text/plain", m.text);
    body += "--" + alt + "\r\n" + text_part("text/html", m.html);
    body += "--" + alt + "--\r\n";
  }
  // Inline images (cid: in the HTML) sit beside the HTML in multipart/related; the rest are
  // attachments of multipart/mixed.
  auto is_inline = [&m](const OutgoingPart& a) {
    return !m.html.empty() && msg_id(a.content_id) != "<>";
  };
  const auto inline_count = std::count_if(m.attachments.begin(), m.attachments.end(), is_inline);
  if (inline_count > 0) {
    const std::string related = boundary + "_rel";
    std::string parts =
        "Content-Type: multipart/related; type=\"multipart/alternative\"; "
        "boundary=\"" +
        related + "\"\r\n\r\n";
    parts += "--" + related + "\r\n" + body;
    for (const auto& a : m.attachments) {
      if (!is_inline(a)) continue;
      parts += "--" + related + "\r\n" + file_part(a, "inline");
    }
    parts += "--" + related + "--\r\n";
    body = std::move(parts);
  }
  if (static_cast<std::size_t>(inline_count) == m.attachments.size()) return h + body;
  std::string out = h + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\n" + body;
  for (const auto& a : m.attachments) {
    if (is_inline(a)) continue;
    out += "--" + boundary + "\r\n" + file_part(a, "attachment");
  }
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace gongdan::email
