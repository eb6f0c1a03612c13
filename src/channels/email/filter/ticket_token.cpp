#include "channels/email/filter/ticket_token.hpp"

#include <array>
#include <utility>

#include "util/text.hpp"

namespace gongdan::email {
namespace {

constexpr std::size_t kMaxDigits = 15;  // far above any ticket count, far below int64 overflow

constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kBrackets = {{
    {"[", "]"},
    {"\xE3\x80\x90", "\xE3\x80\x91"},  // 【 】
    {"\xEF\xBC\xBB", "\xEF\xBC\xBD"},  // ［ ］
}};

// Parses "<prefix><digits><close>" at the start of `s`.
std::optional<std::int64_t> token_at(std::string_view s, std::string_view prefix,
                                     std::string_view close) {
  if (s.size() < prefix.size() ||
      text::to_lower_ascii(s.substr(0, prefix.size())) != text::to_lower_ascii(prefix)) {
    return std::nullopt;
  }
  s.remove_prefix(prefix.size());
  std::int64_t number = 0;
  std::size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') {
    if (digits == kMaxDigits) return std::nullopt;
    number = number * 10 + (s[digits] - '0');
    ++digits;
  }
  if (digits == 0 || number == 0 || !s.substr(digits).starts_with(close)) return std::nullopt;
  return number;
}

}  // namespace

std::optional<std::int64_t> find_ticket_token(std::string_view subject, std::string_view prefix) {
  for (std::size_t i = 0; i < subject.size(); ++i) {
    for (const auto& [open, close] : kBrackets) {
      if (!subject.substr(i).starts_with(open)) continue;
      if (auto number = token_at(subject.substr(i + open.size()), prefix, close)) return number;
    }
  }
  return std::nullopt;
}

std::string format_ticket_token(std::int64_t ticket_number, std::string_view prefix) {
  return "[" + std::string(prefix) + std::to_string(ticket_number) + "]";
}

}  // namespace gongdan::email
