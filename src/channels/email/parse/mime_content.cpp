#include "channels/email/parse/mime_content.hpp"

#include <array>

#include "channels/email/parse/encoded_words.hpp"
#include "channels/email/parse/gmime_ptr.hpp"
#include "channels/email/parse/mime_headers.hpp"
#include "channels/email/parse/mime_parameters.hpp"
#include "util/text.hpp"

namespace gongdan::email {
namespace {

constexpr std::size_t kMaxFilenameBytes = 255;

// RFC 2045: a media type and subtype are tokens (printable ASCII but space and tspecials).
bool is_token(std::string_view s) {
  constexpr std::string_view kSpecials = "()<>@,;:\\\"/[]?=";
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c <= 0x20 || c >= 0x7F || kSpecials.find(static_cast<char>(c)) != std::string_view::npos)
      return false;
  return true;
}

// GMime hands back whatever bytes the header held; a type that is not two tokens is not one we
// can route on, so the part is kept as opaque bytes rather than dropped.
std::string media_type_of(GMimeObject* object) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (type == nullptr) return "text/plain";
  const char* media = g_mime_content_type_get_media_type(type);
  const char* subtype = g_mime_content_type_get_media_subtype(type);
  const std::string_view m = media != nullptr ? media : "text";
  const std::string_view sub = subtype != nullptr ? subtype : "plain";
  if (!is_token(m) || !is_token(sub)) return "application/octet-stream";
  return text::to_lower_ascii(std::string(m) + "/" + std::string(sub));
}

// Keeps the last path component and drops anything a file system or a header would choke on.
std::string safe_filename(std::string_view decoded) {
  std::string name = text::strip_controls(decoded);
  if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name.erase(0, slash + 1);
  name = text::trim(name);
  while (name.starts_with('.')) name.erase(0, 1);  // no "..", no hidden files
  return text::cut_utf8(std::move(name), kMaxFilenameBytes);
}

std::string default_filename(std::string_view content_type) {
  if (content_type == "message/rfc822") return "message.eml";
  if (content_type == "application/ms-tnef") return "winmail.dat";
  if (content_type == "text/calendar") return "invite.ics";
  if (content_type == "text/html") return "attachment.html";
  if (content_type == "text/plain") return "attachment.txt";
  if (content_type.starts_with("image/")) {
    std::string_view subtype = content_type.substr(6);
    if (subtype == "jpeg" || subtype == "pjpeg") return "image.jpg";
    if (subtype == "png" || subtype == "gif" || subtype == "webp" || subtype == "bmp") {
      return "image." + std::string(subtype);
    }
    return "image";
  }
  return "attachment.bin";
}

bool field_matches(std::string_view line, std::string_view name, std::string& value) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  if (text::to_lower_ascii(line.substr(0, name.size())) != name) return false;
  value = text::strip_controls(text::trim(line.substr(name.size() + 1)));
  return true;
}

std::string after_type_prefix(std::string_view value) {
  // "rfc822; user@example.com" -> "user@example.com"
  if (auto semicolon = value.find(';'); semicolon != std::string_view::npos) {
    value.remove_prefix(semicolon + 1);
  }
  std::string address = text::trim(value);
  if (address.starts_with('<') && address.ends_with('>')) {
    address = address.substr(1, address.size() - 2);
  }
  return address;
}

}  // namespace

EntityInfo describe_entity(GMimeObject* object) {
  EntityInfo info;
  info.content_type = media_type_of(object);
  MimeField content_type = parse_mime_field(raw_header(object, "content-type").value_or(""));
  MimeField disposition = parse_mime_field(raw_header(object, "content-disposition").value_or(""));
  info.disposition = disposition.value;
  if (auto it = disposition.params.find("filename"); it != disposition.params.end()) {
    info.filename = safe_filename(it->second);
  }
  if (auto it = content_type.params.find("name");
      info.filename.empty() && it != content_type.params.end()) {
    info.filename = safe_filename(it->second);
  }
  if (auto it = content_type.params.find("charset"); it != content_type.params.end()) {
    info.charset = it->second;
  }
  if (auto raw_id = raw_header(object, "content-id")) {
    info.content_id = decode_message_id(*raw_id);
  }
  return info;
}

PartContent read_part_content(GMimePart* part, std::size_t cap) {
  PartContent out;
  GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
  if (wrapper == nullptr) return out;
  GMimeStream* stream = g_mime_data_wrapper_get_stream(wrapper);
  if (stream == nullptr) return out;
  if (g_mime_stream_reset(stream) == -1) return out;
  GMimeContentEncoding encoding = g_mime_data_wrapper_get_encoding(wrapper);
  GPtr<GMimeFilter> filter;
  if (encoding == GMIME_CONTENT_ENCODING_BASE64 ||
      encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
      encoding == GMIME_CONTENT_ENCODING_UUENCODE) {
    filter.reset(g_mime_filter_basic_new(encoding, FALSE));
  }
  std::array<char, 16384> buffer{};
  auto append = [&](const char* data, std::size_t size) {
    if (out.bytes.size() + size > cap) {
      size = cap - out.bytes.size();
      out.truncated = true;
    }
    out.bytes.append(data, size);
  };
  while (!out.truncated) {
    ssize_t read = g_mime_stream_read(stream, buffer.data(), buffer.size());
    if (read <= 0) break;
    if (!filter) {
      append(buffer.data(), static_cast<std::size_t>(read));
      continue;
    }
    char* filtered = nullptr;
    std::size_t filtered_size = 0;
    std::size_t prespace = 0;
    g_mime_filter_filter(filter.get(), buffer.data(), static_cast<std::size_t>(read), 0, &filtered,
                         &filtered_size, &prespace);
    append(filtered, filtered_size);
  }
  if (filter && !out.truncated) {
    char* filtered = nullptr;
    std::size_t filtered_size = 0;
    std::size_t prespace = 0;
    g_mime_filter_complete(filter.get(), buffer.data(), 0, 0, &filtered, &filtered_size, &prespace);
    append(filtered, filtered_size);
  }
  return out;
}

Attachment leaf_attachment(const EntityInfo& info, GMimePart* part, std::size_t cap) {
  Attachment attachment;
  attachment.filename = info.filename.empty() ? default_filename(info.content_type) : info.filename;
  attachment.content_type = info.content_type;
  attachment.content_id = info.content_id;
  attachment.is_inline =
      info.disposition == "inline" || (info.disposition.empty() && !info.content_id.empty());
  attachment.bytes = read_part_content(part, cap).bytes;
  return attachment;
}

Attachment embedded_message_attachment(const EntityInfo& info, GMimeMessage* message) {
  Attachment attachment;
  attachment.content_type = "message/rfc822";
  attachment.is_inline = false;
  attachment.content_id = info.content_id;
  attachment.filename = info.filename;
  if (message != nullptr) {
    if (attachment.filename.empty()) {
      if (auto subject = raw_header(GMIME_OBJECT(message), "subject")) {
        std::string decoded = safe_filename(decode_header_text(*subject));
        if (!decoded.empty()) attachment.filename = decoded + ".eml";
      }
    }
    GPtr<GMimeStream> stream(g_mime_stream_mem_new());
    if (g_mime_object_write_to_stream(GMIME_OBJECT(message), nullptr, stream.get()) >= 0) {
      GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
      if (bytes != nullptr) {
        attachment.bytes.assign(reinterpret_cast<const char*>(bytes->data), bytes->len);
      }
    }
  }
  if (attachment.filename.empty()) attachment.filename = "message.eml";
  return attachment;
}

void read_delivery_status(std::string_view text, DeliveryReport& report) {
  std::size_t pos = 0;
  std::string value;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string line = text::trim(text.substr(pos, next - pos));
    pos = next;
    if (field_matches(line, "action", value)) {
      if (report.action.empty()) report.action = text::to_lower_ascii(value);
    } else if (field_matches(line, "status", value)) {
      if (report.status.empty()) report.status = value.substr(0, value.find_first_of(" ("));
    } else if (field_matches(line, "final-recipient", value)) {
      std::string address = after_type_prefix(value);
      if (!address.empty() && report.final_recipients.size() < 100) {
        report.final_recipients.push_back(address);
      }
    } else if (field_matches(line, "diagnostic-code", value)) {
      if (report.diagnostic.empty()) report.diagnostic = value.substr(0, 1000);
    }
  }
}

std::string normalise_newlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace gongdan::email
