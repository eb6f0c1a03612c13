// RFC 2047 encoded words in header values, decoded to UTF-8.
//
// Contract: pure functions, no GMime. Adjacent encoded words in the same charset are joined as
// bytes before charset conversion, so a multibyte character split across two words (as Outlook
// and Foxmail do when folding) decodes correctly. Decoding is lenient: bad base64 padding, unknown
// charsets ("NONE") and encoded words glued to text are accepted; raw 8-bit header bytes are
// decoded as UTF-8 when valid, else guessed (see charset.hpp). Output is valid UTF-8 but may
// still hold control characters: callers that store names or subjects pass it through
// text::strip_controls.
#pragma once

#include <string>
#include <string_view>

namespace gongdan::email {

// Removes header folding (CRLF followed by white space) and any other CR or LF.
std::string unfold_header(std::string_view raw);

// Decodes unstructured header text (Subject, a display name, a filename parameter).
std::string decode_header_text(std::string_view raw);

// Rewrites an address-list header (From, To, Cc, Reply-To) so that every encoded word becomes
// UTF-8 inside a quoted string or comment. An address parser can then split the list without
// mistaking a comma inside an encoded display name for a separator.
std::string decode_address_header(std::string_view raw);

}  // namespace gongdan::email
