#include "util/text.hpp"

#include <gtest/gtest.h>

#include "util/crypto.hpp"

namespace gongdan {

TEST(Text, Utf8Validation) {
  EXPECT_TRUE(text::is_valid_utf8("办公室的打印机无法连接"));
  EXPECT_TRUE(text::is_valid_utf8("plain"));
  EXPECT_FALSE(text::is_valid_utf8("\xC3"));
  EXPECT_FALSE(text::is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(text::is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(text::is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(Text, DecodesOneCodePointAndStepsPastIt) {
  const std::string s = "a办\xC0\xAF";
  std::size_t i = 0;
  EXPECT_EQ(text::decode_utf8(s, i), U'a');
  EXPECT_EQ(i, 1u);
  EXPECT_EQ(text::decode_utf8(s, i), U'办');
  EXPECT_EQ(i, 4u);
  EXPECT_FALSE(text::decode_utf8(s, i));  // overlong: refused, and i stays
  EXPECT_EQ(i, 4u);
}

TEST(Text, StripControlsRemovesHeaderInjection) {
  EXPECT_EQ(text::strip_controls("Hi\r\nBcc: x@y"), "HiBcc: x@y");
  EXPECT_EQ(text::strip_controls("a\xC2\x85"
                                 "b"),
            "ab");
  EXPECT_EQ(text::strip_controls("line1\nline2", true), "line1\nline2");
}

TEST(Text, EmailShape) {
  EXPECT_TRUE(text::looks_like_email("a@b.cn"));
  EXPECT_FALSE(text::looks_like_email("a@@b"));
  EXPECT_FALSE(text::looks_like_email("a b@c"));
  EXPECT_FALSE(text::looks_like_email("@b.cn"));
  EXPECT_EQ(text::normalize_email("  Admin@LocalHost "), "admin@localhost");
}

TEST(Text, UnescapesHexAndReadsWholeNumbers) {
  EXPECT_EQ(text::unescape_hex("a%41%4a%zz%4", '%'), "aAJ%zz%4");
  EXPECT_EQ(text::unescape_hex("a_b=3D=C3=A9", '=', true), "a b=\xC3\xA9");
  EXPECT_EQ(text::unescape_hex("a_b", '%'), "a_b");
  EXPECT_EQ(text::parse_integer("-12"), -12);
  EXPECT_FALSE(text::parse_integer("12x"));
  EXPECT_FALSE(text::parse_integer(""));
  EXPECT_FALSE(text::parse_integer<int>("99999999999"));
  EXPECT_EQ(text::parse_id("42"), 42);
  EXPECT_FALSE(text::parse_id("0"));
  EXPECT_FALSE(text::parse_id("-3"));
  EXPECT_FALSE(text::parse_id(" 4"));
}

TEST(Crypto, PasswordHashRoundTrip) {
  auto hash = crypto::hash_password("correct horse");
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(crypto::verify_password(*hash, "correct horse"));
  EXPECT_FALSE(crypto::verify_password(*hash, "wrong"));
}

TEST(Crypto, TokensAreRandomAndHashesStable) {
  EXPECT_NE(crypto::random_token(), crypto::random_token());
  EXPECT_EQ(crypto::random_token(32).size(), 43u);
  EXPECT_EQ(crypto::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(crypto::equal_constant_time("abc", "abc"));
  EXPECT_FALSE(crypto::equal_constant_time("abc", "abd"));
}

}  // namespace gongdan
