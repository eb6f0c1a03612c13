// The text intake works from: the message's text/plain parts, or, for mail that has only HTML,
// the text extracted from that (markup::html_to_text), so search, quote folding and the plain
// view always have text. The parser leaves this step to the filters to stay free of an HTML
// parser.
//
// Contract: pure; never fails; UTF-8 in, UTF-8 out.
#pragma once

#include <string>

#include "channels/email/parse/parsed_message.hpp"

namespace gongdan::email {

std::string body_text(const ParsedMessage& message);

}  // namespace gongdan::email
