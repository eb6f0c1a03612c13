// Text helpers every layer may use. Strings are UTF-8 throughout gongdan.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gongdan::text {

// The code point at s[i], decoded strictly (no overlong forms, surrogates or values past
// U+10FFFF), with `i` moved past it; nothing, and `i` unmoved, when no well-formed sequence
// starts there.
std::optional<char32_t> decode_utf8(std::string_view s, std::size_t& i);
bool is_valid_utf8(std::string_view s);
std::string to_lower_ascii(std::string_view s);
std::string trim(std::string_view s);
// Drops C0/C1 control characters (keeping tab and newline when `keep_newlines`), so decoded
// names and subjects can never smuggle extra header lines into outgoing mail.
std::string strip_controls(std::string_view s, bool keep_newlines = false);
std::vector<std::string_view> split(std::string_view s, char sep);
// The parts with `sep` between them (empty parts before the first non-empty one add none).
std::string join(const std::vector<std::string>& parts, char sep);
// `s` cut to at most `max` bytes, on a UTF-8 character boundary.
std::string cut_utf8(std::string s, std::size_t max);
bool looks_like_email(std::string_view s);
// Appends `s` escaped for HTML text and attribute values alike (& < > " ').
void append_html_escaped(std::string& out, std::string_view s);
// The value of one hexadecimal digit, or -1.
int hex_value(char c);
// `in` with each `escape` followed by two hexadecimal digits replaced by that byte ("%41",
// "=41"); with `underscore_is_space`, '_' stands for a space too (RFC 2047's Q encoding).
std::string unescape_hex(std::string_view in, char escape, bool underscore_is_space = false);
// A normalised e-mail for unique lookups: trimmed and lower-cased.
std::string normalize_email(std::string_view s);

// The whole of `s` as a decimal integer; nothing when it is not one or does not fit.
template <class Int = std::int64_t>
std::optional<Int> parse_integer(std::string_view s) {
  Int value{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// A positive id written in decimal, the whole of `s`; nothing otherwise.
inline std::optional<std::int64_t> parse_id(std::string_view s) {
  auto id = parse_integer(s);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

}  // namespace gongdan::text
