#include "channels/email/parse/encoded_words.hpp"

#include <optional>
#include <vector>

#include "channels/email/parse/charset.hpp"
#include "util/encoding.hpp"
#include "util/text.hpp"

namespace gongdan::email {
namespace {

struct EncodedWord {
  std::size_t begin = 0;  // offset of "=?"
  std::size_t end = 0;    // offset just past "?="
  std::string charset;
  std::string bytes;  // transfer-decoded, not yet charset-converted
};

// Lenient: skips characters outside the alphabet and tolerates missing or extra padding.
std::string decode_base64(std::string_view in) {
  std::string out;
  unsigned accumulator = 0;
  int bits = 0;
  for (char c : in) {
    int v = encoding::base64_digit(c);
    if (v < 0) continue;
    accumulator = (accumulator << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((accumulator >> bits) & 0xFF));
    }
  }
  return out;
}

std::string decode_q(std::string_view in) { return text::unescape_hex(in, '=', true); }

// Parses an encoded word starting at `pos` ("=?charset?B?text?="), or nullopt.
std::optional<EncodedWord> parse_encoded_word(std::string_view s, std::size_t pos) {
  if (s.substr(pos, 2) != "=?") return std::nullopt;
  std::size_t charset_end = s.find('?', pos + 2);
  if (charset_end == std::string_view::npos || charset_end == pos + 2 || charset_end - pos > 80) {
    return std::nullopt;
  }
  if (charset_end + 2 >= s.size() || s[charset_end + 2] != '?') return std::nullopt;
  char encoding = s[charset_end + 1];
  if (encoding != 'B' && encoding != 'b' && encoding != 'Q' && encoding != 'q') {
    return std::nullopt;
  }
  std::size_t text_begin = charset_end + 3;
  std::size_t text_end = s.find("?=", text_begin);
  if (text_end == std::string_view::npos) return std::nullopt;
  std::string_view charset = s.substr(pos + 2, charset_end - pos - 2);
  for (char c : charset) {
    if (c == ' ' || c == '\t' || c == '"' || c == '(' || c == ')' || c == ',') return std::nullopt;
  }
  std::string_view payload = s.substr(text_begin, text_end - text_begin);
  // An encoded word holds no white space; a space means we matched across two words.
  if (payload.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  EncodedWord word;
  word.begin = pos;
  word.end = text_end + 2;
  word.charset = std::string(charset);
  word.bytes = (encoding == 'B' || encoding == 'b') ? decode_base64(payload) : decode_q(payload);
  return word;
}

bool only_white_space(std::string_view s) {
  return s.find_first_not_of(" \t") == std::string_view::npos;
}

bool same_charset(std::string_view a, std::string_view b) {
  return text::to_lower_ascii(a) == text::to_lower_ascii(b);
}

std::string decode_raw_text(std::string_view raw) { return decode_to_utf8(raw, ""); }

// Decodes `s` (already unfolded), calling `emit_text` for plain runs and `emit_decoded` for each
// run of adjacent encoded words.
template <class EmitText, class EmitDecoded>
void walk_encoded_words(std::string_view s, EmitText emit_text, EmitDecoded emit_decoded) {
  std::size_t pos = 0;
  std::size_t plain_begin = 0;
  while (pos < s.size()) {
    std::size_t start = s.find("=?", pos);
    if (start == std::string_view::npos) break;
    auto word = parse_encoded_word(s, start);
    if (!word) {
      pos = start + 2;
      continue;
    }
    emit_text(s.substr(plain_begin, start - plain_begin));
    std::string charset = word->charset;
    std::string bytes = std::move(word->bytes);
    std::size_t end = word->end;
    std::string decoded;
    // Join the run: white space between encoded words is dropped (RFC 2047 section 6.2).
    while (true) {
      std::size_t next = end;
      while (next < s.size() && (s[next] == ' ' || s[next] == '\t')) ++next;
      auto following = parse_encoded_word(s, next);
      if (!following || !only_white_space(s.substr(end, next - end))) break;
      if (same_charset(following->charset, charset)) {
        bytes += following->bytes;
      } else {
        decoded += decode_to_utf8(bytes, charset);
        charset = following->charset;
        bytes = std::move(following->bytes);
      }
      end = following->end;
    }
    decoded += decode_to_utf8(bytes, charset);
    emit_decoded(decoded);
    pos = end;
    plain_begin = end;
  }
  emit_text(s.substr(plain_begin));
}

void append_escaped(std::string& out, std::string_view text, std::string_view specials) {
  for (char c : text) {
    if (specials.find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
}

}  // namespace

std::string unfold_header(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  return text::trim(out);
}

std::string decode_header_text(std::string_view raw) {
  std::string unfolded = unfold_header(raw);
  std::string out;
  walk_encoded_words(
      unfolded, [&](std::string_view plain) { out += decode_raw_text(plain); },
      [&](const std::string& decoded) { out += decoded; });
  return out;
}

std::string decode_address_header(std::string_view raw) {
  std::string unfolded = unfold_header(raw);
  if (!text::is_valid_utf8(unfolded)) unfolded = decode_raw_text(unfolded);
  // Split into quoted strings, comments, angle addresses and the rest, so each decoded run is
  // escaped for the context it sits in.
  std::string out;
  out.reserve(unfolded.size() + 16);
  std::size_t i = 0;
  auto flush_phrase = [&](std::string_view phrase) {
    walk_encoded_words(
        phrase, [&](std::string_view plain) { out += plain; },
        [&](const std::string& decoded) {
          out.push_back('"');
          append_escaped(out, decoded, "\"\\");
          out.push_back('"');
        });
  };
  std::size_t phrase_begin = 0;
  while (i < unfolded.size()) {
    char c = unfolded[i];
    if (c == '"' || c == '(' || c == '<') {
      flush_phrase(std::string_view(unfolded).substr(phrase_begin, i - phrase_begin));
      std::size_t j = i + 1;
      int depth = 1;
      char close = c == '"' ? '"' : c == '(' ? ')' : '>';
      while (j < unfolded.size() && depth > 0) {
        if (unfolded[j] == '\\' && c != '<') {
          j += 2;
          continue;
        }
        if (c == '(' && unfolded[j] == '(') ++depth;
        if (unfolded[j] == close) --depth;
        ++j;
      }
      j = std::min(j, unfolded.size());
      std::string_view inner = std::string_view(unfolded).substr(i + 1, j - i - 1);
      bool closed = depth == 0;
      if (closed) inner.remove_suffix(1);
      out.push_back(c);
      if (c == '<') {
        out += inner;
      } else {
        std::string_view specials = c == '"' ? "\"\\" : "()\\";
        walk_encoded_words(
            inner, [&](std::string_view plain) { out += plain; },
            [&](const std::string& decoded) { append_escaped(out, decoded, specials); });
      }
      out.push_back(close);
      i = j;
      phrase_begin = j;
      continue;
    }
    ++i;
  }
  flush_phrase(std::string_view(unfolded).substr(phrase_begin));
  return out;
}

}  // namespace gongdan::email
