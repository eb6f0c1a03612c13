#include "util/encoding.hpp"

#include <gtest/gtest.h>

namespace gongdan::encoding {
namespace {

TEST(Base64Digit, ReadsEitherAlphabetAndRefusesTheOther) {
  EXPECT_EQ(base64_digit('A'), 0);
  EXPECT_EQ(base64_digit('z'), 51);
  EXPECT_EQ(base64_digit('9'), 61);
  EXPECT_EQ(base64_digit('+'), 62);
  EXPECT_EQ(base64_digit('/'), 63);
  EXPECT_EQ(base64_digit('-'), -1);
  EXPECT_EQ(base64_digit('-', '-', '_'), 62);
  EXPECT_EQ(base64_digit('_', '-', '_'), 63);
  EXPECT_EQ(base64_digit('+', '-', '_'), -1);
  EXPECT_EQ(base64_digit('='), -1);
}

TEST(PercentEncode, KeepsWhatTheCallerKeepsAndEncodesEveryOtherByte) {
  const auto letters = [](unsigned char c) { return c >= 'a' && c <= 'z'; };
  EXPECT_EQ(percent_encode("ab c/", letters), "ab%20c%2F");
  EXPECT_EQ(percent_encode("\xE6\x8A\xA5", letters), "%E6%8A%A5");
  EXPECT_EQ(percent_encode("", letters), "");
  EXPECT_EQ(percent_encode("a/b", [](unsigned char) { return true; }), "a/b");
}

}  // namespace
}  // namespace gongdan::encoding
