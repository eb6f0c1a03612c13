// Text helpers every layer may use. Strings are UTF-8 throughout gongdan.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gongdan::text {

bool is_valid_utf8(std::string_view s);
std::string to_lower_ascii(std::string_view s);
std::string trim(std::string_view s);
// Drops C0/C1 control characters (keeping tab and newline when `keep_newlines`), so decoded
// names and subjects can never smuggle extra header lines into outgoing mail.
std::string strip_controls(std::string_view s, bool keep_newlines = false);
std::vector<std::string_view> split(std::string_view s, char sep);
// `s` cut to at most `max` bytes, on a UTF-8 character boundary.
std::string cut_utf8(std::string s, std::size_t max);
bool looks_like_email(std::string_view s);
// Appends `s` escaped for HTML text and attribute values alike (& < > " ').
void append_html_escaped(std::string& out, std::string_view s);
// The value of one hexadecimal digit, or -1.
int hex_value(char c);
// A normalised e-mail for unique lookups: trimmed and lower-cased.
std::string normalize_email(std::string_view s);

}  // namespace gongdan::text
