// What an attachment is shown as, and whether a browser may render it.
//
// Contract:
// - sanitize_filename() turns whatever a client or a mail sent as a file name into one that is
//   safe to show, store in the database and offer in a Content-Disposition header: the last path
//   component only ('/' and '\' both separate), invalid UTF-8 bytes replaced by U+FFFD, control
//   characters, line/paragraph separators and every Unicode format character (bidi overrides and
//   isolates, LRM/RLM, zero-width characters, BOM, ...) removed, NFC-normalised, dots and spaces
//   trimmed at both ends, the characters Windows forbids (<>:"|?*) replaced by '_', a Windows
//   device name (CON, NUL, COM1, ...) prefixed with '_', and at most kMaxFilenameBytes bytes,
//   cut on a character (grapheme) boundary with the extension kept. The result is valid UTF-8,
//   never empty ("attachment" when nothing is left) and sanitize(sanitize(x)) == sanitize(x).
//   The name is only ever shown; blobs are stored under their SHA-256, never under this name.
// - is_risky_for_browser() says whether a file must be downloaded (Content-Disposition:
//   attachment) rather than shown: true for anything that can run script or be parsed as markup
//   (HTML, XHTML, SVG, XML, JavaScript, ...) by its detected type, its claimed type or its
//   extension; for unknown detected types; and whenever the bytes (libmagic's detected type)
//   disagree with the label (the client's claimed type, or the type the extension implies).
//   Types are compared case-insensitively, without parameters, with common aliases folded
//   (image/jpg = image/jpeg, text/xml = application/xml, ...). An empty or
//   application/octet-stream claim is no claim.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gongdan {

inline constexpr std::size_t kMaxFilenameBytes = 200;
inline constexpr std::string_view kFallbackFilename = "attachment";

std::string sanitize_filename(std::string_view raw);

bool is_risky_for_browser(std::string_view detected_type, std::string_view claimed_type,
                          std::string_view filename);

// The essence of a media type: lower-case, parameters and surrounding spaces dropped, aliases
// folded ("Image/JPG; q=1" -> "image/jpeg"). Empty when `type` is not of the form a/b.
std::string normalize_media_type(std::string_view type);

// A file a provider names only by its kind ("image", "voice") gets the extension of the type its
// bytes were detected as ("image" + image/png -> "image.png"); a name with an extension, or a
// type without a common extension, is left as it is.
std::string with_type_extension(std::string_view name, std::string_view detected_type);

}  // namespace gongdan
