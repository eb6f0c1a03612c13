// Reading a GMime object's headers into ParsedMessage fields.
//
// Contract: internal to the email channel, used by mime_parser. Values are read raw from GMime
// and decoded by our own code (encoded_words.hpp), so charset handling matches the bodies; every
// stored value is cleaned of control characters. Message-IDs lose their angle brackets.
#pragma once

#include <gmime/gmime.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "channels/email/parse/parsed_message.hpp"

namespace gongdan::email {

// The raw (undecoded, folded) value of the first header called `name`, case-insensitively.
std::optional<std::string> raw_header(GMimeObject* object, std::string_view name);

// Fills the envelope-ish fields of `out` (ids, subject, addresses, date, loop-guard headers,
// help-desk headers) from the message's top-level headers.
void read_top_level_headers(GMimeObject* message, GMimeParserOptions* options,
                            std::size_t max_addresses, ParsedMessage& out);

// The Message-ID of `object`, or "" when it has none.
std::string header_message_id(GMimeObject* object);

// The Message-ID found in a block of header text (a text/rfc822-headers part), or "".
std::string message_id_in_header_block(std::string_view block);

// A Message-ID header value without angle brackets or controls; "" when there is none.
std::string decode_message_id(std::string_view raw);

}  // namespace gongdan::email
