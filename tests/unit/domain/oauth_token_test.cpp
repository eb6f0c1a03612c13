#include "domain/oauth_token.hpp"

#include <gtest/gtest.h>

namespace gongdan {
namespace {

TEST(OAuthToken, ReadsMicrosoftsAndGooglesAnswers) {
  // Microsoft identity platform: a rotated refresh token with each answer.
  auto ms = read_oauth_token_answer(
      200, R"({"token_type":"Bearer","scope":"https://outlook.office.com/IMAP.AccessAsUser.All",)"
           R"("expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ0eXAi.x-y_z",)"
           R"("refresh_token":"0.AXoA-new"})");
  ASSERT_TRUE(ms) << ms.error().message;
  EXPECT_EQ(ms->access_token, "eyJ0eXAi.x-y_z");
  EXPECT_EQ(ms->expires_in_seconds, 3599);
  EXPECT_EQ(ms->refresh_token, "0.AXoA-new");
  // Google: no refresh token in a refresh answer.
  auto google = read_oauth_token_answer(
      200, R"({"access_token":"ya29.a0Af","expires_in":"3920","token_type":"Bearer"})");
  ASSERT_TRUE(google);
  EXPECT_EQ(google->expires_in_seconds, 3920);
  EXPECT_EQ(google->refresh_token, "");
  // No expires_in: an hour; more than a day is held to a day.
  EXPECT_EQ(read_oauth_token_answer(200, R"({"access_token":"a"})")->expires_in_seconds, 3600);
  EXPECT_EQ(read_oauth_token_answer(200, R"({"access_token":"a","expires_in":9999999})")
                ->expires_in_seconds,
            86400);
}

TEST(OAuthToken, ErrorsSayWhatTheEndpointSaid) {
  auto refused = read_oauth_token_answer(
      400, R"({"error":"invalid_grant","error_description":"AADSTS70008: expired\r\nline"})");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(refused.error().message,
            "the token endpoint refused: invalid_grant: AADSTS70008: expired  line");
  // An error member wins over a 200.
  EXPECT_FALSE(read_oauth_token_answer(200, R"({"error":"invalid_client"})"));
  auto bare = read_oauth_token_answer(503, "{}");
  ASSERT_FALSE(bare);
  EXPECT_NE(bare.error().message.find("HTTP 503"), std::string::npos);
}

TEST(OAuthToken, HostileAnswersAreRefused) {
  for (const char* body : {"", "not json", "[]", R"({"access_token":""})", R"({"access_token":7})",
                           R"({"access_token":"a b"})", R"({"access_token":"a\r\nAUTH PLAIN"})"}) {
    auto answer = read_oauth_token_answer(200, body);
    ASSERT_FALSE(answer) << body;
    EXPECT_EQ(answer.error().code, ErrorCode::kUnavailable) << body;
  }
  EXPECT_FALSE(
      read_oauth_token_answer(200, "{\"access_token\":\"" + std::string(20000, 'a') + "\"}"));
  // A rotated refresh token that could not be sent back is ignored, not used.
  auto odd = read_oauth_token_answer(200, R"({"access_token":"a","refresh_token":"x y"})");
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->refresh_token, "");
}

}  // namespace
}  // namespace gongdan
