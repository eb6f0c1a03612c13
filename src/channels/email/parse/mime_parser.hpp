// Parses one raw RFC 5322 message into a ParsedMessage, with GMime 3 doing the MIME structure
// and transfer encodings and our own code doing charsets (charset.hpp), RFC 2047 words
// (encoded_words.hpp) and RFC 2231 parameters (mime_parameters.hpp).
//
// Contract: a pure function from bytes to a value; it reads no files, sockets or clocks. Safe to
// call from many threads at once (GMime is initialised once, thread-safely, on first use). It
// never throws and never crashes on hostile input: anything beyond `limits` is either cut short
// with an entry in ParsedMessage::warnings (nesting, body length) or refused with an error whose
// message says why (kPayloadTooLarge for size and part-count limits, kInvalidArgument for input
// that is not a message at all). The caller keeps a refused message raw, in quarantine.
#pragma once

#include <cstddef>
#include <string_view>

#include "channels/email/parse/parsed_message.hpp"
#include "util/result.hpp"

namespace gongdan::email {

struct ParseLimits {
  std::size_t max_total_bytes = 50u * 1024 * 1024;  // the whole raw message
  std::size_t max_header_bytes = 256u * 1024;       // the top-level header block
  std::size_t max_depth = 128;                      // MIME nesting we walk into
  std::size_t max_parts = 1000;                     // MIME entities in the message
  std::size_t max_body_bytes = 8u * 1024 * 1024;    // text and HTML bodies, each, after decoding
  std::size_t max_addresses = 500;                  // per address header (To, Cc ...)
};

[[nodiscard]] Result<ParsedMessage> parse_message(std::string_view raw,
                                                  const ParseLimits& limits = {});

}  // namespace gongdan::email
