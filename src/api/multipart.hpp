// A strict multipart/form-data reader (RFC 7578 over RFC 2046) for uploads.
//
// Contract:
// - parse_multipart() takes the request's Content-Type header and body and returns the parts in
//   order, or an error; it never throws, never reads outside `body`, and runs in time linear in
//   the input. Each part's `data` is a view into `body`, which must outlive the parts.
// - The header must be multipart/form-data with a boundary parameter of 1-70 characters of
//   RFC 2046's boundary alphabet (token or quoted-string; no duplicate parameters).
// - The body must start with the first delimiter (no preamble) and end with the close
//   delimiter; after it an epilogue is ignored. A delimiter line may carry spaces/tabs before
//   its CRLF (RFC 2046 transport padding) and nothing else: a line that starts with the
//   delimiter but continues otherwise is rejected rather than treated as data, so this parser
//   and any proxy in front of it cannot disagree about where a part ends.
// - Lines end in CRLF; obs-fold, bare CR or LF, NUL in header lines and header names that are
//   not tokens are rejected. Every part needs Content-Disposition: form-data with a name;
//   filename* (RFC 5987/8187 ext-value, UTF-8 or ISO-8859-1, percent-decoded, converted to
//   UTF-8) wins over filename. Quoted strings accept \" and \\ escapes; any other backslash is
//   kept literally, because browsers send Windows paths (C:\dir\a.txt) unescaped. Filenames are
//   returned as sent (decoded, not sanitised): callers show them only through
//   sanitize_filename(). A Content-Transfer-Encoding other than 7bit, 8bit or binary is rejected.
// - Malformed input is ErrorCode::kInvalidArgument; more parts than max_parts or a part header
//   block larger than max_header_bytes is ErrorCode::kPayloadTooLarge. The message says what
//   was wrong; the field is "body" (or "content-type" for the header).
#pragma once

#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace gongdan::api {

struct FormPart {
  std::string name;
  // Absent for ordinary fields; present (maybe empty, when a browser sends a file input with
  // nothing chosen) for file parts.
  std::optional<std::string> filename;
  std::string
      content_type;       // as sent, trimmed; empty when the part had none (RFC 7578: text/plain)
  std::string_view data;  // the part's bytes, a view into the body
};

struct MultipartLimits {
  std::size_t max_parts = 20;
  std::size_t max_header_bytes = 8 * 1024;  // per part: its header lines and the blank line
};

Result<std::vector<FormPart>> parse_multipart(std::string_view content_type_header,
                                              std::string_view body,
                                              const MultipartLimits& limits = {});

// The parts point into `body`; a temporary string would leave them dangling, so passing one is
// a compile error rather than a use-after-free.
template <class Body>
requires std::same_as<Body, std::string> Result<std::vector<FormPart>> parse_multipart(
    std::string_view content_type_header, Body&& body, const MultipartLimits& limits = {})
= delete;

}  // namespace gongdan::api
