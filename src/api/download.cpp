#include "api/download.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "domain/attachment_name.hpp"
#include "util/encoding.hpp"
#include "util/text.hpp"

namespace gongdan::api {
namespace {

constexpr std::string_view kDownloadOctetStream = "application/octet-stream";

// Types every current browser displays itself without running script from them.
bool download_is_inline_type(std::string_view essence) {
  static constexpr std::array<std::string_view, 6> kInline = {
      "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain",
  };
  return std::find(kInline.begin(), kInline.end(), essence) != kInline.end();
}

// RFC 8187 attr-char: sent as is in filename*; every other byte is percent-encoded.
bool download_is_attr_char(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// One '_' per non-ASCII character (not per byte), so "报告.pdf" becomes "__.pdf". '%' goes too:
// some browsers percent-decode the plain filename parameter.
std::string download_ascii_fallback(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if ((c & 0xC0) == 0x80) continue;  // a UTF-8 continuation byte: its lead already became '_'
    const bool keep = c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%';
    out.push_back(keep ? static_cast<char>(c) : '_');
  }
  return out;
}

std::string download_percent_encode(std::string_view name) {
  return encoding::percent_encode(name, download_is_attr_char);
}

}  // namespace

std::string content_disposition(std::string_view disposition, std::string_view filename) {
  const std::string shown = sanitize_filename(filename);
  return std::string(disposition) + "; filename=\"" + download_ascii_fallback(shown) +
         "\"; filename*=UTF-8''" + download_percent_encode(shown);
}

Response download_response(std::string bytes, std::string_view filename,
                           std::string_view detected_type, std::string_view claimed_type) {
  std::string served = normalize_media_type(detected_type);
  if (served.empty()) served = kDownloadOctetStream;
  const bool utf8 = served.starts_with("text/") && text::is_valid_utf8(bytes);
  const bool is_inline = download_is_inline_type(served) &&
                         (!served.starts_with("text/") || utf8) &&
                         !is_risky_for_browser(detected_type, claimed_type, filename);
  if (served.starts_with("text/")) {
    // A text type without a charset lets the browser guess one, and guessing is how UTF-7 and
    // similar tricks turned text into script; bytes that are not UTF-8 are not served as text.
    served = utf8 ? served + "; charset=utf-8" : std::string(kDownloadOctetStream);
  }

  Response response;
  response.status = 200;
  response.content_type = std::move(served);
  response.body = std::move(bytes);
  response.set_header("Content-Disposition",
                      content_disposition(is_inline ? "inline" : "attachment", filename));
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Content-Security-Policy", "sandbox");
  response.set_header("Cache-Control", "private, max-age=300");
  return response;
}

}  // namespace gongdan::api
