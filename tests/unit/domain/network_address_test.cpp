#include "domain/network_address.hpp"

#include <gtest/gtest.h>

namespace gongdan {
namespace {

TEST(NetworkAddress, RefusedRangesAreNamed) {
  EXPECT_EQ(classify_address("127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(classify_address("127.255.1.2"), AddressClass::kLoopback);
  EXPECT_EQ(classify_address("::1"), AddressClass::kLoopback);
  EXPECT_EQ(classify_address("::ffff:127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(classify_address("10.1.2.3"), AddressClass::kPrivate);
  EXPECT_EQ(classify_address("172.16.0.1"), AddressClass::kPrivate);
  EXPECT_EQ(classify_address("172.31.255.255"), AddressClass::kPrivate);
  EXPECT_EQ(classify_address("192.168.1.1"), AddressClass::kPrivate);
  EXPECT_EQ(classify_address("100.64.0.1"), AddressClass::kPrivate);
  EXPECT_EQ(classify_address("fd00::1"), AddressClass::kPrivate);
  EXPECT_EQ(classify_address("169.254.169.254"), AddressClass::kLinkLocal);
  EXPECT_EQ(classify_address("fe80::1"), AddressClass::kLinkLocal);
  EXPECT_EQ(classify_address("0.0.0.0"), AddressClass::kUnspecified);
  EXPECT_EQ(classify_address("::"), AddressClass::kUnspecified);
  EXPECT_EQ(classify_address("224.0.0.1"), AddressClass::kMulticast);
  EXPECT_EQ(classify_address("ff02::1"), AddressClass::kMulticast);
  EXPECT_EQ(classify_address("255.255.255.255"), AddressClass::kReserved);
  EXPECT_EQ(classify_address("64:ff9b::7f00:1"), AddressClass::kLoopback);
}

// Issue 16: tunnel and deprecated ranges that lead back into the server's own network.
TEST(NetworkAddress, TunnelsAreJudgedByWhatTheyCarry) {
  // 6to4 embeds an IPv4 address after 2002: (2002:7f00:1:: carries 127.0.0.1).
  EXPECT_EQ(classify_address("2002:7f00:1::"), AddressClass::kLoopback);
  EXPECT_EQ(classify_address("2002:a00:1::1"), AddressClass::kPrivate);
  EXPECT_EQ(classify_address("2002:a9fe:a9fe::1"), AddressClass::kLinkLocal);
  EXPECT_EQ(classify_address("2002:5db8:d822::1"), AddressClass::kReserved);  // public: a relay
  // Teredo: server 127.0.0.1 in bytes 4-7; or the client, inverted, in bytes 12-15
  // (0x80ff:fffe is ~127.0.0.1).
  EXPECT_EQ(classify_address("2001:0:7f00:1::1"), AddressClass::kLoopback);
  EXPECT_EQ(classify_address("2001:0:5db8:d822::80ff:fffe"), AddressClass::kLoopback);
  EXPECT_EQ(classify_address("2001:0:5db8:d822::f5ff:fffe"), AddressClass::kPrivate);  // 10.0.0.1
  EXPECT_EQ(classify_address("2001:0:5db8:d822::a247:27dd"), AddressClass::kReserved);
  // Site-local fec0::/10, local-use NAT64, discard-only.
  EXPECT_EQ(classify_address("fec0::1"), AddressClass::kPrivate);
  EXPECT_EQ(classify_address("feff:ffff::1"), AddressClass::kPrivate);
  EXPECT_EQ(classify_address("64:ff9b:1::808:808"), AddressClass::kPrivate);
  EXPECT_EQ(classify_address("100::1"), AddressClass::kReserved);
  // Their neighbours are ordinary public space.
  EXPECT_EQ(classify_address("2001:4860:4860::8888"), AddressClass::kPublic);
  EXPECT_EQ(classify_address("2003::1"), AddressClass::kPublic);
}

TEST(NetworkAddress, PublicAddressesPass) {
  EXPECT_EQ(classify_address("93.184.216.34"), AddressClass::kPublic);
  EXPECT_EQ(classify_address("172.32.0.1"), AddressClass::kPublic);
  EXPECT_EQ(classify_address("2606:4700::1111"), AddressClass::kPublic);
  EXPECT_EQ(classify_address("::ffff:8.8.8.8"), AddressClass::kPublic);
}

TEST(NetworkAddress, NamesAreNotAddresses) {
  EXPECT_EQ(classify_address("localhost"), AddressClass::kInvalid);
  EXPECT_EQ(classify_address(""), AddressClass::kInvalid);
  EXPECT_EQ(classify_address("127.1"), AddressClass::kInvalid);
}

}  // namespace
}  // namespace gongdan
