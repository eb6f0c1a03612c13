// Converting mail text from whatever charset it is labelled with into UTF-8.
//
// Contract: decode_to_utf8 never fails and never throws; bytes that cannot be decoded become
// U+FFFD, so a mislabelled message is still readable. Labels are mapped to the superset mail
// clients actually send: GB2312/GBK to GB18030 (senders routinely label GBK text GB2312),
// ISO-8859-1/US-ASCII to Windows-1252, Shift_JIS to CP932, Big5 to Big5-HKSCS, and ISO-2022-JP to
// its Microsoft superset (CP50220: JIS X 0208 with the NEC and IBM extensions of CP932). An empty,
// unknown or "none" label is guessed: UTF-8 when the bytes are valid UTF-8, else GB18030, else
// Windows-1252. Thread-safe: no shared state beyond glibc's iconv module cache.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gongdan::email {

// The iconv name we decode a MIME charset label with; empty when the label is unknown, "none" or
// empty (the caller then guesses).
std::string iconv_charset_for(std::string_view label);

// Lossy conversion: always returns valid UTF-8.
std::string decode_to_utf8(std::string_view bytes, std::string_view label);

// Strict conversion for guessing: nullopt when any byte sequence is invalid in `label`.
std::optional<std::string> decode_to_utf8_strict(std::string_view bytes, std::string_view label);

}  // namespace gongdan::email
