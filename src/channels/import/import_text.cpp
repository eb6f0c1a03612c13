#include "channels/import/import_text.hpp"

#include <charconv>
#include <cstdint>

#include "util/encoding.hpp"

namespace gongdan::import {
namespace {

// Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  for (std::size_t i = at; i < at + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  auto [p, ec] = std::from_chars(s.data() + at, s.data() + at + n, out);
  return ec == std::errc() && p == s.data() + at + n;
}

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t bits = 0;
  int count = 0, padding = 0;
  for (const char c : text) {
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    const int v = encoding::base64_digit(c);
    if (v < 0 || padding > 0) return std::nullopt;  // a letter after the padding is no base64
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    if (++count == 4) {
      out.push_back(static_cast<char>((bits >> 16) & 0xff));
      out.push_back(static_cast<char>((bits >> 8) & 0xff));
      out.push_back(static_cast<char>(bits & 0xff));
      bits = 0;
      count = 0;
    }
  }
  if (count == 1 || padding > 2) return std::nullopt;
  if (count == 2) out.push_back(static_cast<char>((bits >> 4) & 0xff));
  if (count == 3) {
    out.push_back(static_cast<char>((bits >> 10) & 0xff));
    out.push_back(static_cast<char>((bits >> 2) & 0xff));
  }
  return out;
}

std::optional<Millis> parse_time(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  std::size_t at = 10;
  Millis fraction = 0, offset = 0;
  if (at < s.size()) {
    if (s[at] != 'T' && s[at] != ' ') return std::nullopt;
    if (!digits(s, at + 1, 2, h) || at + 3 >= s.size() || s[at + 3] != ':' ||
        !digits(s, at + 4, 2, mi))
      return std::nullopt;
    at += 6;
    if (at < s.size() && s[at] == ':') {
      if (!digits(s, at + 1, 2, sec)) return std::nullopt;
      at += 3;
    }
    if (at < s.size() && s[at] == '.') {
      ++at;
      Millis scale = 100;
      const std::size_t start = at;
      while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
        fraction += (s[at] - '0') * scale;
        scale /= 10;
        ++at;
      }
      if (at == start) return std::nullopt;
    }
    if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
      ++at;
    } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
      const int sign = s[at] == '+' ? 1 : -1;
      int oh = 0, om = 0;
      if (!digits(s, at + 1, 2, oh)) return std::nullopt;
      at += 3;
      if (at < s.size() && s[at] == ':') ++at;
      if (!digits(s, at, 2, om)) return std::nullopt;
      at += 2;
      if (oh > 23 || om > 59) return std::nullopt;
      offset = sign * (oh * 3600 + om * 60) * 1000LL;
    }
    if (at != s.size()) return std::nullopt;
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  }
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi) * 60000LL + sec * 1000LL + fraction - offset;
}

std::string record_at(std::string_view file, std::size_t index, std::string_view id) {
  std::string out = std::string(file) + " record " + std::to_string(index + 1);
  if (!id.empty()) out += " (id " + std::string(id.substr(0, 64)) + ")";
  return out;
}

}  // namespace gongdan::import
