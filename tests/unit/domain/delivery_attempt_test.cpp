#include "domain/delivery_attempt.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "domain/inbound_source.hpp"
#include "domain/mail_record.hpp"

namespace gongdan {
namespace {

TEST(DeliveryAttempt, AnErrorIsCutAtACharacterBoundary) {
  // 999 bytes of ASCII, then a three-byte character across the 1000-byte limit: cutting by
  // bytes would keep its first byte alone, which is not UTF-8.
  const std::string error = std::string(999, 'x') + "失败了";
  const std::string kept = attempt_error(error);
  EXPECT_EQ(kept, std::string(999, 'x'));
  EXPECT_EQ(attempt_error(std::string(997, 'x') + "败"),
            std::string(997, 'x') + "败");  // 1000 bytes
  EXPECT_EQ(attempt_error(std::string(2000, 'y')).size(), kMaxAttemptErrorBytes);
}

TEST(DeliveryAttempt, AnErrorLosesItsControlCharacters) {
  EXPECT_EQ(attempt_error("550 no\r\nsuch user\x01"), "550 nosuch user");
}

TEST(DeliveryAttempt, ASentTryClearsTheErrorAndAFailedLastTryFails) {
  OutboundMail mail;
  note_attempt(mail, "421 try later", false, 1000);
  EXPECT_EQ(mail.attempts, 1);
  EXPECT_EQ(mail.status, "queued");
  EXPECT_EQ(mail.last_error, "421 try later");
  note_attempt(mail, "", false, 2000);
  EXPECT_EQ(mail.attempts, 2);
  EXPECT_EQ(mail.status, "sent");
  EXPECT_EQ(mail.sent_at, std::optional<Millis>(2000));
  EXPECT_TRUE(mail.last_error.empty());

  OutboundIm reply;
  note_attempt(reply, "timed out", true, 3000);
  EXPECT_EQ(reply.attempts, 1);
  EXPECT_EQ(reply.status, "failed");
  EXPECT_EQ(reply.last_error, "timed out");
  EXPECT_FALSE(reply.sent_at);
}

}  // namespace
}  // namespace gongdan
