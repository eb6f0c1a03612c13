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

TEST(Dingtalk, PicturesFilesAndRichTextAreFilesByDownloadCode) {
  auto picture = parse_dingtalk_message(R"({"msgId":"m2","msgtype":"picture","senderStaffId":"s",
    "content":{"downloadCode":"dc1","pictureDownloadCode":"old"}})");
  ASSERT_TRUE(picture && *picture);
  ASSERT_EQ((*picture)->files.size(), 1u);
  EXPECT_EQ((*picture)->files[0].reference, "dc1");
  EXPECT_EQ((*picture)->files[0].name, "image");
  EXPECT_EQ((*picture)->text, "");
  auto file = parse_dingtalk_message(R"({"msgId":"m3","msgtype":"file","senderStaffId":"s",
    "content":"{\"downloadCode\":\"dc2\",\"fileName\":\"账单.pdf\"}"})");
  ASSERT_TRUE(file && *file);
  EXPECT_EQ((*file)->files[0].name, "账单.pdf");
  auto rich = parse_dingtalk_message(R"({"msgId":"m4","msgtype":"richText","senderStaffId":"s",
    "content":{"richText":[{"text":"看这里 "},{"type":"picture","downloadCode":"dc3"}]}})");
  ASSERT_TRUE(rich && *rich);
  EXPECT_EQ((*rich)->text, "看这里");
  ASSERT_EQ((*rich)->files.size(), 1u);
  EXPECT_EQ((*rich)->files[0].reference, "dc3");
  // Nothing to fetch: the line saying what it was.
  auto bare = parse_dingtalk_message(R"({"msgId":"m5","msgtype":"video","senderStaffId":"s"})");
  ASSERT_TRUE(bare && *bare);
  EXPECT_EQ((*bare)->text, "[video]");
  EXPECT_TRUE((*bare)->files.empty());
  EXPECT_FALSE(parse_dingtalk_message(R"({"msgId":"m6","msgtype":"richText","senderStaffId":"s",
    "content":{"richText":5}})"));
}

TEST(Feishu, ImagesFilesAndPostPicturesAreResourcesOfTheirMessage) {
  auto event = [](std::string_view type, std::string_view content) {
    const std::string body =
        R"({"schema":"2.0","header":{"event_id":"e-)" + std::string(type) +
        R"(","event_type":"im.message.receive_v1","token":"vt"},"event":{"sender":{"sender_id":
        {"open_id":"ou_1"},"sender_type":"user"},"message":{"message_id":"om_1","message_type":")" +
        std::string(type) + R"(","content":)" + std::string(content) + "}}}";
    return open_feishu({"vt", ""}, {}, body, kNow);
  };
  auto image = event("image", R"("{\"image_key\":\"img_v3_a\"}")");
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ(image->kind, FeishuEventKind::kMessage);
  ASSERT_EQ(image->message.files.size(), 1u);
  EXPECT_EQ(image->message.files[0].reference, "image/om_1/img_v3_a");
  auto file = event("file", R"("{\"file_key\":\"file_b\",\"file_name\":\"报价.pdf\"}")");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->message.files[0].reference, "file/om_1/file_b");
  EXPECT_EQ(file->message.files[0].name, "报价.pdf");
  auto audio = event("audio", R"("{\"file_key\":\"file_c\",\"duration\":2000}")");
  ASSERT_TRUE(audio);
  EXPECT_EQ(audio->message.files[0].name, "voice");
  auto post = event(
      "post",
      R"("{\"title\":\"截图\",\"content\":[[{\"tag\":\"text\",\"text\":\"报错\"}],[{\"tag\":\"img\",\"image_key\":\"img_d\"}]]}")");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->message.text, "截图\n报错");
  ASSERT_EQ(post->message.files.size(), 1u);
  EXPECT_EQ(post->message.files[0].reference, "image/om_1/img_d");
  // A key with a '/' cannot name a resource: the line saying what it was.
  auto odd = event("image", R"("{\"image_key\":\"a/b\"}")");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(odd->message.files.empty());
  EXPECT_EQ(odd->message.text, "[image]");
}

}  // namespace
}  // namespace gongdan::channels::im
