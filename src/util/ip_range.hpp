// IP addresses and CIDR ranges ("10.0.0.0/8", "fd00::/8", or one address), for settings such as
// trusted_proxies. An IPv4 address written IPv6-mapped ("::ffff:10.0.0.1", what a socket bound to
// [::] reports) is the IPv4 address, so a range matches it either way.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace gongdan::ip {

struct Range {
  std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4
  bool v6 = false;
  int prefix = 0;  // leading bits that must match
};

// An address ("192.0.2.1", "2001:db8::1") or a range ("192.0.2.0/24", "2001:db8::/32"); nothing
// for anything else, including host bits set past the prefix ("10.0.0.1/8"), a common slip that
// would otherwise silently trust more than meant.
std::optional<Range> parse_range(std::string_view text);

bool contains(const Range& range, std::string_view address);
bool any_contains(const std::vector<Range>& ranges, std::string_view address);

}  // namespace gongdan::ip
