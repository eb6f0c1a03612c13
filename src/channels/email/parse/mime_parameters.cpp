#include "channels/email/parse/mime_parameters.hpp"

#include <charconv>
#include <vector>

#include "channels/email/parse/charset.hpp"
#include "channels/email/parse/encoded_words.hpp"
#include "util/text.hpp"

namespace gongdan::email {
namespace {

// A value split over `name*0`, `name*1*`, ... Sections are kept by index until all are read.
struct Continuation {
  std::map<int, std::pair<std::string, bool>> sections;  // index -> (raw text, percent-encoded)
};

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string percent_decode(std::string_view in) { return text::unescape_hex(in, '%'); }

// Reads a token or quoted string at `pos`; returns the unquoted text.
std::string read_value(std::string_view s, std::size_t& pos) {
  std::string out;
  if (pos < s.size() && s[pos] == '"') {
    ++pos;
    while (pos < s.size() && s[pos] != '"') {
      if (s[pos] == '\\' && pos + 1 < s.size()) ++pos;
      out.push_back(s[pos++]);
    }
    if (pos < s.size()) ++pos;  // closing quote
    return out;
  }
  while (pos < s.size() && s[pos] != ';') out.push_back(s[pos++]);
  return text::trim(out);
}

std::string decode_continuation(const Continuation& continuation) {
  std::string bytes;
  std::string charset;
  bool first = true;
  for (const auto& [index, section] : continuation.sections) {
    const auto& [raw, encoded] = section;
    std::string_view value = raw;
    if (first && encoded) {
      // charset'language'%XX...
      std::size_t quote1 = value.find('\'');
      std::size_t quote2 =
          quote1 == std::string_view::npos ? std::string_view::npos : value.find('\'', quote1 + 1);
      if (quote2 != std::string_view::npos) {
        charset = std::string(value.substr(0, quote1));
        value.remove_prefix(quote2 + 1);
      }
    }
    first = false;
    bytes += encoded ? percent_decode(value) : std::string(value);
  }
  return charset.empty() ? decode_header_text(bytes) : decode_to_utf8(bytes, charset);
}

}  // namespace

MimeField parse_mime_field(std::string_view raw) {
  std::string unfolded = unfold_header(raw);
  std::string_view s = unfolded;
  MimeField field;
  std::size_t pos = 0;
  while (pos < s.size() && s[pos] != ';') ++pos;
  field.value = text::to_lower_ascii(text::trim(s.substr(0, pos)));
  std::map<std::string, Continuation> continuations;
  constexpr std::size_t kMaxParams = 64;  // hostile headers can repeat parameters forever
  std::size_t count = 0;
  while (pos < s.size() && count++ < kMaxParams) {
    while (pos < s.size() && (s[pos] == ';' || is_space(s[pos]))) ++pos;
    std::size_t name_begin = pos;
    while (pos < s.size() && s[pos] != '=' && s[pos] != ';') ++pos;
    std::string name = text::to_lower_ascii(text::trim(s.substr(name_begin, pos - name_begin)));
    if (pos >= s.size() || s[pos] != '=') continue;  // a bare word: skip it
    ++pos;
    while (pos < s.size() && is_space(s[pos])) ++pos;
    std::string value = read_value(s, pos);
    if (name.empty()) continue;
    std::size_t star = name.find('*');
    if (star == std::string::npos) {
      // Outlook and Foxmail put RFC 2047 words inside quoted parameters.
      field.params.try_emplace(name, decode_header_text(value));
      continue;
    }
    std::string base = name.substr(0, star);
    std::string_view suffix = std::string_view(name).substr(star + 1);
    bool encoded = !suffix.empty() && suffix.back() == '*';
    if (encoded) suffix.remove_suffix(1);
    if (suffix.empty() && star + 1 == name.size()) encoded = true;  // name*=charset''...
    int index = 0;
    if (!suffix.empty()) {
      auto [ptr, ec] = std::from_chars(suffix.data(), suffix.data() + suffix.size(), index);
      if (ec != std::errc{} || ptr != suffix.data() + suffix.size() || index < 0 || index > 999) {
        continue;
      }
    }
    continuations[base].sections.try_emplace(index, std::move(value), encoded);
  }
  // RFC 2231 values win over plain ones: clients send both, and the plain one is the fallback.
  for (const auto& [name, continuation] : continuations) {
    field.params[name] = decode_continuation(continuation);
  }
  return field;
}

}  // namespace gongdan::email
