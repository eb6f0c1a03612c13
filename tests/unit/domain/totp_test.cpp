#include "domain/totp.hpp"

#include <gtest/gtest.h>

namespace gongdan::totp {
namespace {

constexpr std::string_view kSecret = "12345678901234567890";  // RFC 6238 appendix B (SHA-1)

TEST(Totp, CodesOfTheRfcVectors) {
  // The RFC's eight-digit codes, cut to the six every authenticator app shows.
  EXPECT_EQ(code_at(kSecret, step_at(59'000)), "287082");
  EXPECT_EQ(code_at(kSecret, step_at(1111111109'000)), "081804");
  EXPECT_EQ(code_at(kSecret, step_at(1234567890'000)), "005924");
  EXPECT_EQ(code_at(kSecret, step_at(2000000000'000)), "279037");
}

TEST(Totp, ACodeMatchesItsStepAndOneEitherSide) {
  const Millis now = 1111111109'000;
  const auto step = step_at(now);
  EXPECT_EQ(matching_step(kSecret, now, code_at(kSecret, step)), step);
  EXPECT_EQ(matching_step(kSecret, now, code_at(kSecret, step - 1)), step - 1);
  EXPECT_EQ(matching_step(kSecret, now, code_at(kSecret, step + 1)), step + 1);
  EXPECT_EQ(matching_step(kSecret, now, code_at(kSecret, step + 3)), std::nullopt);
  for (std::string_view bad : {"", "12345", "1234567", "abcdef", "12 456"})
    EXPECT_EQ(matching_step(kSecret, now, bad), std::nullopt) << bad;
}

TEST(Totp, SecretsAndTheUriAuthenticatorAppsRead) {
  EXPECT_EQ(base32(kSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(otpauth_uri("gongdan", "li lei@example.cn", "ABC"),
            "otpauth://totp/gongdan:li%20lei@example.cn?secret=ABC&issuer=gongdan&algorithm=SHA1&"
            "digits=6&period=30");
}

TEST(Totp, RecoveryCodesAreTypedLoosely) {
  EXPECT_EQ(normalize_recovery_code("AbCde-FGhij"), "abcdefghij");
  EXPECT_EQ(normalize_recovery_code(" abcde fghij "), "abcdefghij");
}

}  // namespace
}  // namespace gongdan::totp
