#include "util/ip_range.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace gongdan::ip {
namespace {

struct Address {
  std::array<std::uint8_t, 16> bytes{};
  bool v6 = false;
};

std::optional<Address> parse_address(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);
  Address out;
  if (inet_pton(AF_INET, s.c_str(), out.bytes.data()) == 1) return out;
  if (inet_pton(AF_INET6, s.c_str(), out.bytes.data()) != 1) return std::nullopt;
  constexpr std::array<std::uint8_t, 12> kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped.begin(), kMapped.end(), out.bytes.begin())) {
    std::copy(out.bytes.begin() + 12, out.bytes.end(), out.bytes.begin());
    std::fill(out.bytes.begin() + 4, out.bytes.end(), 0);
    return out;
  }
  out.v6 = true;
  return out;
}

bool prefix_matches(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b,
                    int prefix) {
  const int whole = prefix / 8;
  if (!std::equal(a.begin(), a.begin() + whole, b.begin())) return false;
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

}  // namespace

std::optional<Range> parse_range(std::string_view text) {
  const auto slash = text.find('/');
  auto address = parse_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  Range range{address->bytes, address->v6, address->v6 ? 128 : 32};
  if (slash == std::string_view::npos) return range;
  const auto bits = text.substr(slash + 1);
  int prefix = -1;
  auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  if (bits.empty() || ec != std::errc() || end != bits.data() + bits.size() || prefix < 0 ||
      prefix > range.prefix)
    return std::nullopt;
  // Host bits past the prefix must be zero: "10.0.0.1/8" is refused, not read as 10.0.0.0/8.
  std::array<std::uint8_t, 16> masked{};
  for (int bit = 0; bit < prefix; ++bit)
    masked[bit / 8] |= static_cast<std::uint8_t>(range.bytes[bit / 8] & (0x80 >> (bit % 8)));
  if (masked != range.bytes) return std::nullopt;
  range.prefix = prefix;
  return range;
}

bool contains(const Range& range, std::string_view address) {
  auto parsed = parse_address(address);
  if (!parsed || parsed->v6 != range.v6) return false;
  return prefix_matches(parsed->bytes, range.bytes, range.prefix);
}

bool any_contains(const std::vector<Range>& ranges, std::string_view address) {
  return std::ranges::any_of(ranges, [&](const Range& r) { return contains(r, address); });
}

}  // namespace gongdan::ip
