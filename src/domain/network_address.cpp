#include "domain/network_address.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <string>

#include "util/enum_names.hpp"

namespace gongdan {
namespace {

AddressClass classify_v4(std::uint32_t a) {
  auto in = [a](std::uint32_t net, int bits) {
    const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    return (a & mask) == net;
  };
  if (in(0x00000000, 8)) return AddressClass::kUnspecified;  // 0.0.0.0/8 "this network"
  if (in(0x7F000000, 8)) return AddressClass::kLoopback;
  if (in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0x64400000, 10))
    return AddressClass::kPrivate;
  if (in(0xA9FE0000, 16)) return AddressClass::kLinkLocal;
  if (in(0xE0000000, 4)) return AddressClass::kMulticast;
  if (in(0xF0000000, 4) || in(0xC0000000, 24) || in(0xC0000200, 24) || in(0xC6120000, 15) ||
      in(0xC6336400, 24) || in(0xCB007100, 24))
    return AddressClass::kReserved;
  return AddressClass::kPublic;
}

bool zero_prefix_from(const unsigned char* b, int from, int to) {
  for (int i = from; i < to; ++i)
    if (b[i] != 0) return false;
  return true;
}

std::uint32_t v4_at(const unsigned char* b) {
  return std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3];
}

// A tunnel address (6to4, Teredo) reaches an IPv4 host through a relay: it is refused as what
// it carries when that is not public (a 6to4 address of 127.0.0.1 reaches our loopback through a
// local relay), and as reserved otherwise, since both mechanisms are deprecated and a relay on
// the server's network may route them anywhere.
AddressClass through_tunnel(std::uint32_t carried) {
  const auto c = classify_v4(carried);
  return c == AddressClass::kPublic ? AddressClass::kReserved : c;
}

}  // namespace

AddressClass classify_address(std::string_view ip) {
  const std::string text(ip);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return classify_v4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return AddressClass::kInvalid;
  const unsigned char* b = v6.s6_addr;
  bool zero_prefix = true;  // the first 10 bytes are zero
  for (int i = 0; i < 10; ++i) zero_prefix = zero_prefix && b[i] == 0;
  if (zero_prefix && b[10] == 0xFF && b[11] == 0xFF)  // ::ffff:a.b.c.d
    return classify_v4(v4_at(b + 12));
  bool all_zero = zero_prefix && b[10] == 0 && b[11] == 0 && b[12] == 0 && b[13] == 0 && b[14] == 0;
  if (all_zero && b[15] == 0) return AddressClass::kUnspecified;
  if (all_zero && b[15] == 1) return AddressClass::kLoopback;
  if (zero_prefix) return AddressClass::kReserved;  // IPv4-compatible, deprecated
  if ((b[0] & 0xFE) == 0xFC) return AddressClass::kPrivate;
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return AddressClass::kLinkLocal;
  // Site-local fec0::/10: deprecated, but still routed inside some networks like private space.
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return AddressClass::kPrivate;
  if (b[0] == 0x20 && b[1] == 0x02) return through_tunnel(v4_at(b + 2));  // 6to4 2002::/16
  // Teredo 2001:0::/32: the server's IPv4 in bytes 4-7, the client's, inverted, in 12-15.
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
    const auto server = classify_v4(v4_at(b + 4));
    if (server != AddressClass::kPublic) return server;
    return through_tunnel(~v4_at(b + 12));
  }
  // NAT64 for local use (64:ff9b:1::/48) translates to addresses inside the operator's network.
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4] == 0 && b[5] == 1)
    return AddressClass::kPrivate;
  if (b[0] == 0x01 && b[1] == 0x00 && zero_prefix_from(b, 2, 8))  // discard-only 100::/64
    return AddressClass::kReserved;
  if (b[0] == 0xFF) return AddressClass::kMulticast;
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)  // documentation
    return AddressClass::kReserved;
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)  // NAT64 64:ff9b::/96
    return classify_v4(v4_at(b + 12));
  return AddressClass::kPublic;
}

std::string_view address_class_name(AddressClass c) {
  static constexpr Named<AddressClass> kClasses[] = {
      {AddressClass::kPublic, "a public address"},
      {AddressClass::kLoopback, "a loopback address"},
      {AddressClass::kPrivate, "a private address"},
      {AddressClass::kLinkLocal, "a link-local address"},
      {AddressClass::kUnspecified, "an unspecified address"},
      {AddressClass::kMulticast, "a multicast address"},
      {AddressClass::kReserved, "a reserved address"},
      {AddressClass::kInvalid, "not an IP address"}};
  return name_in(kClasses, c, "an unknown address");
}

}  // namespace gongdan
