// Plain text from an HTML body: for mail that carries no text/plain part and for messages posted
// as HTML through the API, so search and quote folding have text to work on.
//
// Contract: pure; never fails. Scripts, styles and other non-content elements are dropped; block
// elements and <br> become line breaks; white space is collapsed outside <pre>. Output is UTF-8
// with "\n" newlines, at most two in a row, trimmed.
#pragma once

#include <string>
#include <string_view>

namespace gongdan::markup {

std::string html_to_text(std::string_view html);

}  // namespace gongdan::markup
