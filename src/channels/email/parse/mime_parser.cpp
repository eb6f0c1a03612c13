#include "channels/email/parse/mime_parser.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "channels/email/parse/charset.hpp"
#include "channels/email/parse/encoded_words.hpp"
#include "channels/email/parse/gmime_ptr.hpp"
#include "channels/email/parse/gmime_runtime.hpp"
#include "channels/email/parse/mime_content.hpp"
#include "channels/email/parse/mime_headers.hpp"
#include "channels/email/parse/mime_parameters.hpp"
#include "util/text.hpp"

namespace gongdan::email {
namespace {

// GMime compares every line that starts with "--" against every open boundary, so the cost of a
// parse grows with (such lines) x (nesting). Past this product the message is refused rather
// than allowed to spin a worker for seconds.
constexpr std::size_t kMaxBoundaryWork = 40'000'000;
constexpr std::size_t kMaxWarnings = 32;

bool starts_with_ci(std::string_view line, std::string_view prefix) {
  if (line.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != prefix[i]) return false;
  }
  return true;
}

// Cheap checks before GMime sees the bytes: GMime recurses once per nesting level, so the number
// of Content-Type lines (an upper bound on the number of entities, hence on the depth) is capped
// here, where it costs one pass over the bytes and no allocation.
Result<void> prescan(std::string_view raw, const ParseLimits& limits) {
  if (raw.size() > limits.max_total_bytes) {
    return fail(ErrorCode::kPayloadTooLarge, "message of " + std::to_string(raw.size()) +
                                                 " bytes exceeds the limit of " +
                                                 std::to_string(limits.max_total_bytes) + " bytes");
  }
  std::size_t header_end = raw.size();
  bool header_done = false;
  std::size_t content_types = 0;
  std::size_t dash_lines = 0;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t eol = raw.find('\n', pos);
    std::size_t next = eol == std::string_view::npos ? raw.size() : eol + 1;
    std::string_view line = raw.substr(pos, next - pos);
    if (!header_done && (line == "\n" || line == "\r\n")) {
      header_end = pos;
      header_done = true;
    }
    if (starts_with_ci(line, "content-type")) ++content_types;
    if (line.starts_with("--")) ++dash_lines;
    pos = next;
  }
  if (header_end > limits.max_header_bytes) {
    return fail(ErrorCode::kPayloadTooLarge,
                "header section of " + std::to_string(header_end) + " bytes exceeds the limit of " +
                    std::to_string(limits.max_header_bytes) + " bytes");
  }
  if (content_types > limits.max_parts) {
    return fail(ErrorCode::kPayloadTooLarge, "message declares " + std::to_string(content_types) +
                                                 " MIME parts, more than the limit of " +
                                                 std::to_string(limits.max_parts));
  }
  if (content_types * dash_lines > kMaxBoundaryWork) {
    return fail(ErrorCode::kPayloadTooLarge,
                "MIME structure too costly to parse: " + std::to_string(content_types) +
                    " parts and " + std::to_string(dash_lines) + " boundary-like lines");
  }
  return {};
}

std::string_view warning_text(GMimeParserWarning code) {
  switch (code) {
    case GMIME_WARN_DUPLICATED_HEADER:
      return "duplicated header";
    case GMIME_WARN_DUPLICATED_PARAMETER:
      return "duplicated parameter";
    case GMIME_WARN_UNENCODED_8BIT_HEADER:
      return "unencoded 8-bit header";
    case GMIME_WARN_INVALID_CONTENT_TYPE:
      return "invalid Content-Type";
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
      return "invalid RFC 2047 header value";
    case GMIME_WARN_MALFORMED_MULTIPART:
      return "malformed multipart";
    case GMIME_WARN_TRUNCATED_MESSAGE:
      return "truncated message (missing final boundary)";
    case GMIME_WARN_MALFORMED_MESSAGE:
      return "malformed message";
    case GMIME_CRIT_INVALID_HEADER_NAME:
      return "invalid header name";
    case GMIME_CRIT_CONFLICTING_HEADER:
      return "conflicting header";
    case GMIME_CRIT_CONFLICTING_PARAMETER:
      return "conflicting parameter";
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
      return "multipart without boundary";
    case GMIME_WARN_INVALID_PARAMETER:
      return "invalid parameter";
    case GMIME_WARN_INVALID_ADDRESS_LIST:
      return "invalid address list";
    case GMIME_CRIT_NESTING_OVERFLOW:
      return "MIME nesting overflow";
    case GMIME_WARN_PART_WITHOUT_CONTENT:
      return "part without content";
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
      return "part without headers or content";
  }
  return "parser warning";
}

void collect_warning(gint64 /*offset*/, GMimeParserWarning code, const gchar* item,
                     gpointer user_data) {
  auto* warnings = static_cast<std::vector<std::string>*>(user_data);
  if (warnings->size() >= kMaxWarnings) return;
  std::string message(warning_text(code));
  // Duplicated and 8-bit headers are everyday mail, not worth a note on the ticket.
  if (code == GMIME_WARN_DUPLICATED_HEADER || code == GMIME_WARN_UNENCODED_8BIT_HEADER) return;
  if (item != nullptr) {
    std::string detail = text::strip_controls(decode_to_utf8(item, ""));
    if (detail.size() > 80) detail.resize(80);
    message += ": " + detail;
  }
  if (std::find(warnings->begin(), warnings->end(), message) == warnings->end()) {
    warnings->push_back(std::move(message));
  }
}

struct Frame {
  GMimeObject* object;
  std::size_t depth;
  bool in_report;
};

void append_body(std::string& body, std::string text, std::size_t cap, bool& truncated) {
  if (!body.empty() && !body.ends_with('\n')) body.push_back('\n');
  if (body.size() + text.size() > cap) {
    text.resize(cap > body.size() ? cap - body.size() : 0);
    truncated = true;
  }
  body += text;
}

// Walks the MIME tree without recursion (depth costs heap, not stack) and sorts each entity into
// body text, HTML, attachments or delivery-report data.
void walk_parts(GMimeObject* root, const ParseLimits& limits, ParsedMessage& out) {
  std::vector<Frame> stack{{root, 1, false}};
  std::size_t parts = 0;
  bool depth_warned = false;
  bool body_truncated = false;
  while (!stack.empty()) {
    Frame frame = stack.back();
    stack.pop_back();
    if (frame.object == nullptr) continue;
    if (++parts > limits.max_parts) {
      out.warnings.push_back("more than " + std::to_string(limits.max_parts) +
                             " MIME parts; the rest were not extracted");
      break;
    }
    EntityInfo info = describe_entity(frame.object);
    if (GMIME_IS_MULTIPART(frame.object)) {
      if (frame.depth >= limits.max_depth) {
        if (!depth_warned) {
          out.warnings.push_back("MIME nesting deeper than " + std::to_string(limits.max_depth) +
                                 " levels; inner parts were not extracted");
          depth_warned = true;
        }
        continue;
      }
      auto* multipart = GMIME_MULTIPART(frame.object);
      bool report = frame.in_report || info.content_type == "multipart/report";
      if (info.content_type == "multipart/report") out.is_delivery_report = true;
      for (int i = g_mime_multipart_get_count(multipart) - 1; i >= 0; --i) {
        stack.push_back({g_mime_multipart_get_part(multipart, i), frame.depth + 1, report});
      }
      continue;
    }
    if (GMIME_IS_MESSAGE_PART(frame.object)) {
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(frame.object));
      if (frame.in_report) {
        if (inner != nullptr && out.delivery.original_message_id.empty()) {
          out.delivery.original_message_id = header_message_id(GMIME_OBJECT(inner));
        }
        continue;
      }
      out.attachments.push_back(embedded_message_attachment(info, inner));
      continue;
    }
    if (!GMIME_IS_PART(frame.object)) continue;
    auto* part = GMIME_PART(frame.object);
    const bool is_text = info.content_type == "text/plain" || info.content_type == "text/html";
    const bool is_body = is_text && info.disposition != "attachment" && info.filename.empty();
    if (frame.in_report && !is_body) {
      if (info.content_type == "message/delivery-status") {
        read_delivery_status(read_part_content(part, limits.max_body_bytes).bytes, out.delivery);
        continue;
      }
      if (info.content_type == "text/rfc822-headers") {
        std::string id =
            message_id_in_header_block(read_part_content(part, limits.max_body_bytes).bytes);
        if (out.delivery.original_message_id.empty()) out.delivery.original_message_id = id;
        continue;
      }
    }
    if (is_body) {
      // Cut the encoded bytes first, so a 30 MB one-line body never gets decoded in full.
      PartContent content = read_part_content(part, limits.max_body_bytes);
      std::string decoded = normalise_newlines(decode_to_utf8(content.bytes, info.charset));
      std::string& body = info.content_type == "text/html" ? out.html_body : out.text_body;
      append_body(body, std::move(decoded), limits.max_body_bytes, body_truncated);
      body_truncated = body_truncated || content.truncated;
      continue;
    }
    out.attachments.push_back(leaf_attachment(info, part, limits.max_total_bytes));
  }
  if (body_truncated) {
    out.warnings.push_back("body longer than " + std::to_string(limits.max_body_bytes) +
                           " bytes; the rest was cut");
  }
  for (auto* body : {&out.text_body, &out.html_body})
    *body = text::cut_utf8(std::move(*body), limits.max_body_bytes);
}

}  // namespace

Result<ParsedMessage> parse_message(std::string_view raw, const ParseLimits& limits) {
  GONGDAN_TRY(prescan(raw, limits));
  ensure_gmime();
  ParsedMessage out;
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  std::unique_ptr<GMimeParserOptions, decltype(&g_mime_parser_options_free)> options(
      g_mime_parser_options_new(), &g_mime_parser_options_free);
  g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_allow_addresses_without_domain(options.get(), TRUE);
  g_mime_parser_options_set_warning_callback(options.get(), &collect_warning, &out.warnings);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
  if (!message) {
    return fail(ErrorCode::kInvalidArgument, "not an RFC 5322 message: no header section found");
  }
  read_top_level_headers(GMIME_OBJECT(message.get()), options.get(), limits.max_addresses, out);
  GMimeObject* body = g_mime_message_get_mime_part(message.get());
  if (body != nullptr) walk_parts(body, limits, out);
  // The warning callback pointed into `out`; detach it before `out` moves.
  g_mime_parser_options_set_warning_callback(options.get(), nullptr, nullptr);
  return out;
}

}  // namespace gongdan::email
