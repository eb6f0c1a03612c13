// Plain text from an HTML body, for messages that carry no text/plain part, for search and for
// quote folding.
//
// Contract: pure; never fails. Scripts, styles and other non-content elements are dropped; block
// elements and <br> become line breaks; white space is collapsed outside <pre>. Output is UTF-8
// with "\n" newlines, at most two in a row, trimmed.
#pragma once

#include <string>
#include <string_view>

namespace gongdan::email {

std::string html_to_text(std::string_view html);

}  // namespace gongdan::email
