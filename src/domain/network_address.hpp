// Which IP addresses an outgoing request (a webhook) may go to. Private, loopback, link-local,
// unspecified, multicast and reserved addresses reach the server's own network, so they are
// refused unless the admin allow-lists the host (SSRF). Pure: the caller resolves names.
#pragma once

#include <string>
#include <string_view>

namespace gongdan {

enum class AddressClass {
  kPublic,
  kLoopback,
  kPrivate,  // RFC 1918, carrier-grade NAT, IPv6 unique local
  kLinkLocal,
  kUnspecified,
  kMulticast,
  kReserved,  // documentation, benchmarking, class E, broadcast, …
  kInvalid,   // not an IP address
};

// `ip` is an IPv4 or IPv6 address in text form (IPv4-mapped IPv6 is judged as its IPv4).
AddressClass classify_address(std::string_view ip);
// "a loopback address", "a private address", …
std::string_view address_class_name(AddressClass c);

}  // namespace gongdan
