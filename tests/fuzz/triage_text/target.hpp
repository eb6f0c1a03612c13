// The words a triage model reads (domain/triage.hpp triage_text) as the fuzzer drives it: any
// bytes as a subject and a body, checking its promises: words separated by one space, no space
// at either end, no upper-case ASCII, valid UTF-8, and no more words than the input could give.
// Shared by the libFuzzer entry point and the unit test that replays the seed corpus
// (tests/unit/domain/triage_test.cpp).
#pragma once

#include <string>
#include <string_view>

#include "domain/triage.hpp"

namespace gongdan::fuzz {

inline bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t n = b < 0x80         ? 1
                          : (b >> 5) == 6  ? 2
                          : (b >> 4) == 14 ? 3
                          : (b >> 3) == 30 ? 4
                                           : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

// "" when every promise holds, else the first one broken. The first byte splits the input into
// a subject and a body.
inline std::string broken_triage_text_promise(std::string_view bytes) {
  const std::size_t split =
      bytes.empty() ? 0 : static_cast<unsigned char>(bytes[0]) % (bytes.size() + 1);
  const auto subject = bytes.substr(0, split);
  const auto body = bytes.substr(split);
  const std::string words = triage_text(subject, body, 64);
  if (words.empty()) return {};
  if (words.front() == ' ' || words.back() == ' ') return "a space at an end";
  if (words.find("  ") != std::string::npos) return "two spaces in a row";
  for (char c : words)
    if (c >= 'A' && c <= 'Z') return "upper-case ASCII left";
  if (!valid_utf8(words)) return "invalid UTF-8 out";
  // A word is at least one byte of input (a CJK character, three); a space was a separator.
  if (words.size() > 2 * (subject.size() + std::min<std::size_t>(body.size(), 64)) + 1)
    return "more out than the input could give";
  return {};
}

}  // namespace gongdan::fuzz
