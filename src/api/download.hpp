// The HTTP answer that hands an attachment's bytes to a browser.
//
// Contract:
// - Content-Type is the type libmagic detected from the bytes, never one the client sent with
//   the upload or puts in the download URL (there is no such parameter). text/* types are
//   served with "; charset=utf-8" when the bytes are valid UTF-8 and as
//   application/octet-stream otherwise; an unparsable or empty detected type is
//   application/octet-stream.
// - Content-Disposition is "inline" only for types a browser shows without running anything
//   (PNG, JPEG, GIF, WebP, PDF, plain text) and only when is_risky_for_browser() is false;
//   everything else, including HTML, SVG, XML and files whose bytes disagree with their label,
//   is "attachment". The name is sanitize_filename()'d and given twice (RFC 6266): an ASCII
//   fallback in filename="..." (other characters, '"', '\' and '%' become '_') and the exact
//   UTF-8 name in filename*=UTF-8''<percent-encoded>.
// - Always: X-Content-Type-Options: nosniff (no sniffing a PNG into HTML),
//   Content-Security-Policy: sandbox (a document opened anyway runs in an opaque origin, with no
//   script and no access to the desk's cookies), and Cache-Control: private, max-age=300
//   (shared caches must not keep a permission-checked file).
// - The caller has already made the same permission check as for the ticket.
#pragma once

#include <string>
#include <string_view>

#include "api/request.hpp"

namespace gongdan::api {

Response download_response(std::string bytes, std::string_view filename,
                           std::string_view detected_type, std::string_view claimed_type);

// `disposition` ("inline" or "attachment") with both filename parameters, for `filename`
// after sanitising.
std::string content_disposition(std::string_view disposition, std::string_view filename);

}  // namespace gongdan::api
