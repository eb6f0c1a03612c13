#include <gtest/gtest.h>

#include "channels/im/dingtalk.hpp"
#include "channels/im/feishu.hpp"
#include "util/crypto.hpp"

namespace gongdan::channels::im {
namespace {

constexpr Millis kNow = 1'700'000'000'000;

// The example of Feishu's event documentation: with the Encrypt Key "test key", this decrypts
// to "hello world".
TEST(Feishu, DecryptsTheDocumentedExample) {
  auto plain = feishu_decrypt("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=");
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(*plain, "hello world");
  EXPECT_FALSE(feishu_decrypt("other key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="));
}

TEST(Feishu, ChecksTokenSignatureAndTakesTextMessages) {
  const std::string event = R"({"schema":"2.0","header":{"event_id":"e1","token":"vt",
    "event_type":"im.message.receive_v1"},"event":{"sender":{"sender_id":{"open_id":"ou_1"},
    "sender_type":"user"},"message":{"message_type":"text","content":"{\"text\":\"你好\"}"}}})";
  auto plain = open_feishu({"vt", ""}, {}, event, kNow);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->kind, FeishuEventKind::kMessage);
  EXPECT_EQ(plain->message.external_id, "ou_1");
  EXPECT_EQ(plain->message.text, "你好");
  EXPECT_EQ(open_feishu({"other", ""}, {}, event, kNow).error().code, ErrorCode::kUnauthenticated);

  const std::string body =
      R"({"encrypt":")" + feishu_seal("ek", event, "0123456789abcdef") + R"("})";
  const auto sig = feishu_signature("1700000000", "n1", "ek", body);
  EXPECT_TRUE(open_feishu({"vt", "ek"}, {"1700000000", "n1", sig}, body, kNow));
  EXPECT_FALSE(open_feishu({"vt", "ek"}, {"1700000000", "n2", sig}, body, kNow));
  EXPECT_FALSE(open_feishu({"vt", "ek"}, {"1700000000", "n1", sig}, body, kNow + 600'000));
  // Unsigned: only the URL check is answered.
  EXPECT_FALSE(open_feishu({"vt", "ek"}, {}, body, kNow));
  const std::string challenge =
      R"({"encrypt":")" +
      feishu_seal("ek", R"({"challenge":"c1","token":"vt","type":"url_verification"})",
                  "0123456789abcdef") +
      R"("})";
  auto c = open_feishu({"vt", "ek"}, {}, challenge, kNow);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->challenge, "c1");
}

TEST(Dingtalk, SignIsHmacOfTimestampAndSecret) {
  const auto sign = dingtalk_sign("secret", "1700000000000");
  EXPECT_EQ(sign, crypto::hmac_sha256_base64("secret", "1700000000000\nsecret"));
  EXPECT_TRUE(check_dingtalk_sign("secret", "1700000000000", sign, kNow));
  EXPECT_FALSE(check_dingtalk_sign("other", "1700000000000", sign, kNow));
  EXPECT_FALSE(check_dingtalk_sign("secret", "1700000000000", sign, kNow + 2 * 3'600'000));
  EXPECT_FALSE(check_dingtalk_sign("secret", std::nullopt, sign, kNow));
}

TEST(Dingtalk, TakesTheSenderStaffIdAndText) {
  auto m = parse_dingtalk_message(R"({"msgId":"m1","msgtype":"text","text":{"content":" hi "},
    "senderStaffId":"s1","senderId":"$:x","senderNick":"杨静"})");
  ASSERT_TRUE(m && *m);
  EXPECT_EQ((*m)->external_id, "s1");
  EXPECT_EQ((*m)->text, "hi");
  EXPECT_EQ((*m)->display_name, "杨静");
  EXPECT_FALSE(parse_dingtalk_message(R"({"msgtype":"text"})"));
  EXPECT_FALSE(*parse_dingtalk_message(R"({"msgId":"m","msgtype":"text","senderId":"a",
    "text":{"content":"  "}})"));
}

}  // namespace
}  // namespace gongdan::channels::im
