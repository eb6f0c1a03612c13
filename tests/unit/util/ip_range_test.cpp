#include "util/ip_range.hpp"

#include <gtest/gtest.h>

namespace {

using gongdan::ip::contains;
using gongdan::ip::parse_range;

TEST(IpRange, AddressesAndRangesOfBothFamilies) {
  EXPECT_TRUE(contains(*parse_range("127.0.0.1"), "127.0.0.1"));
  EXPECT_FALSE(contains(*parse_range("127.0.0.1"), "127.0.0.2"));
  EXPECT_TRUE(contains(*parse_range("10.0.0.0/8"), "10.255.1.2"));
  EXPECT_FALSE(contains(*parse_range("10.0.0.0/8"), "11.0.0.1"));
  EXPECT_TRUE(contains(*parse_range("192.168.4.0/22"), "192.168.7.255"));
  EXPECT_FALSE(contains(*parse_range("192.168.4.0/22"), "192.168.8.0"));
  EXPECT_TRUE(contains(*parse_range("0.0.0.0/0"), "8.8.8.8"));
  EXPECT_TRUE(contains(*parse_range("fd00::/8"), "fd12:3456::1"));
  EXPECT_FALSE(contains(*parse_range("fd00::/8"), "fe80::1"));
  EXPECT_TRUE(contains(*parse_range("::1"), "::1"));
  // A family never matches the other, except IPv4 written IPv6-mapped (a socket bound to [::]).
  EXPECT_FALSE(contains(*parse_range("::/0"), "10.0.0.1"));
  EXPECT_TRUE(contains(*parse_range("10.0.0.0/8"), "::ffff:10.1.2.3"));
  EXPECT_FALSE(contains(*parse_range("10.0.0.0/8"), "not an address"));
}

TEST(IpRange, RefusesWhatIsNotARange) {
  for (const char* bad :
       {"", "localhost", "10.0.0.0/", "10.0.0.0/33", "fd00::/129", "10.0.0.0/-1", "10.0.0.0/8x",
        "10.0.0.1/8", "fd00::1/8", "1.2.3", "1.2.3.4 ", " 1.2.3.4", "10.0.0.0/8/8"})
    EXPECT_FALSE(parse_range(bad)) << bad;
}

}  // namespace
