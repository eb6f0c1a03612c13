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
