#include "channels/im/wecom.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "channels/im/provider_answer.hpp"
#include "channels/im/provider_crypto.hpp"
#include "fuzz/im_providers/target.hpp"
#include "unit/fixture_file.hpp"

namespace gongdan::channels::im {
namespace {

// The sample of WeCom's callback documentation (加解密库 sample): its Token, EncodingAESKey and
// CorpID, and the URL verification request it shows, with the echostr it decrypts to.
constexpr WecomKeys kSample{"QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
                            "wx5823bf96d3bd56c7"};
constexpr std::string_view kEcho =
    "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
constexpr Millis kSampleNow = 1409659589'000;

TEST(Wecom, OpensTheDocumentedUrlVerification) {
  const WecomQuery q{"5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780"};
  auto plain = wecom_open(kSample, q, kEcho, kSampleNow);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(*plain, "1616140317555161061");
}

TEST(Wecom, RefusesForgedStaleAndForeignMessages) {
  const std::string sealed = wecom_seal(kSample, "<xml></xml>", "0123456789abcdef");
  const auto sig = wecom_signature("QDG6eK", "1409659589", "n", sealed);
  EXPECT_TRUE(wecom_open(kSample, {sig, "1409659589", "n"}, sealed, kSampleNow));
  const auto code = [&](const WecomQuery& q, std::string_view text, Millis now) {
    auto r = wecom_open(kSample, q, text, now);
    return r ? std::string("ok") : std::string(error_code_name(r.error().code));
  };
  EXPECT_EQ(code({sig, "1409659589", "m"}, sealed, kSampleNow), "unauthenticated");
  EXPECT_EQ(code({std::nullopt, "1409659589", "n"}, sealed, kSampleNow), "unauthenticated");
  EXPECT_EQ(code({sig, "1409659589", "n"}, sealed, kSampleNow + 6 * 60'000), "unauthenticated");
  const WecomKeys other{"QDG6eK", kSample.aes_key, "wwOther"};
  EXPECT_FALSE(wecom_open(other, {sig, "1409659589", "n"}, sealed, kSampleNow));
  // Signed, but not what the key encrypts.
  const std::string junk = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=";
  const auto junk_sig = wecom_signature("QDG6eK", "1409659589", "n", junk);
  EXPECT_EQ(code({junk_sig, "1409659589", "n"}, junk, kSampleNow), "invalid_argument");
}

TEST(Wecom, ReadsCallbackXmlAndTheKfEvent) {
  EXPECT_EQ(xml_member("<xml><A><![CDATA[x<y]]></A></xml>", "A"), "x<y");
  EXPECT_EQ(xml_member("<xml><A>1 &amp; 2</A></xml>", "A"), "1 & 2");
  EXPECT_EQ(xml_member("<xml><A>1<b/></A></xml>", "A"), std::nullopt);
  EXPECT_FALSE(wecom_encrypted_member("{}"));
  auto e = parse_wecom_event(
      "<xml><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[T1]]></Token>"
      "<OpenKfId><![CDATA[wk1]]></OpenKfId></xml>");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->sync_token, "T1");
  EXPECT_EQ(e->open_kfid, "wk1");
  EXPECT_FALSE(parse_wecom_event("<xml><Event>kf_msg_or_event</Event></xml>"));
  EXPECT_EQ(parse_wecom_event("<xml><Event>x</Event></xml>")->sync_token, "");
}

TEST(Wecom, TakesCustomersMessagesFromAPull) {
  auto batch = parse_wecom_sync(
      R"({"errcode":0,"errmsg":"ok","next_cursor":"c2","has_more":1,"msg_list":[
      {"msgid":"m1","open_kfid":"wk","external_userid":"wm","origin":3,"msgtype":"text",
       "text":{"content":"你好"}},
      {"msgid":"m2","open_kfid":"wk","external_userid":"wm","origin":5,"msgtype":"text",
       "text":{"content":"agent"}},
      {"msgid":"m3","open_kfid":"wk","external_userid":"wm","origin":3,"msgtype":"image"},
      {"msgid":"m4","open_kfid":"wk","external_userid":"wm","origin":3,"msgtype":"file",
       "file":{"media_id":"MID4"}}]})");
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(batch->next_cursor, "c2");
  EXPECT_TRUE(batch->has_more);
  ASSERT_EQ(batch->messages.size(), 3u);
  EXPECT_EQ(batch->messages[0].external_id, "wk/wm");
  EXPECT_EQ(batch->messages[0].text, "你好");
  // An image without its media_id is only the line saying what it was; a file is fetched.
  EXPECT_EQ(batch->messages[1].text, "[image]");
  EXPECT_TRUE(batch->messages[1].files.empty());
  ASSERT_EQ(batch->messages[2].files.size(), 1u);
  EXPECT_EQ(batch->messages[2].files[0].reference, "MID4");
  EXPECT_EQ(batch->messages[2].files[0].name, "file");
  auto expired = parse_wecom_sync(R"({"errcode":42001,"errmsg":"access_token expired"})");
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wecom_peer("wk/wm")->external_userid, "wm");
}

TEST(MediaAnswer, TellsAFileFromAProvidersError) {
  // WeCom media/get: bytes, or errcode JSON at HTTP 200.
  auto file = media_answer(InboundKind::kWecom, 200, "image/jpeg",
                           "\xff\xd8"
                           "bytes");
  ASSERT_TRUE(file);
  EXPECT_FALSE(*file);
  auto gone = media_answer(InboundKind::kWecom, 200, "application/json; charset=utf-8",
                           R"({"errcode":40007,"errmsg":"invalid media_id"})");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
  EXPECT_NE(gone.error().message.find("40007"), std::string::npos);
  auto expired = media_answer(InboundKind::kWecom, 200, "application/json",
                              R"({"errcode":42001,"errmsg":"access_token expired"})");
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);
  auto busy = media_answer(InboundKind::kWecom, 200, "application/json",
                           R"({"errcode":-1,"errmsg":"system busy"})");
  EXPECT_EQ(busy.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(media_answer(InboundKind::kFeishu, 503, "text/html", "<html>").error().code,
            ErrorCode::kUnavailable);
  // Feishu: errors are HTTP 4xx with code/msg; a success JSON where bytes belong is no file,
  // but a JSON file a customer sent (no code member) is a file.
  EXPECT_EQ(media_answer(InboundKind::kFeishu, 400, "application/json",
                         R"({"code":234003,"msg":"File not in msg."})")
                .error()
                .code,
            ErrorCode::kNotFound);
  EXPECT_EQ(media_answer(InboundKind::kFeishu, 200, "application/json", R"({"code":0,"msg":"ok"})")
                .error()
                .code,
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(media_answer(InboundKind::kFeishu, 200, "application/json", R"({"a":1})"));
  EXPECT_EQ(media_answer(InboundKind::kFeishu, 200, "image/png", "").error().code,
            ErrorCode::kInvalidArgument);
  // DingTalk: the download URL, or why not.
  auto link = media_answer(InboundKind::kDingtalk, 200, "application/json",
                           R"({"downloadUrl":"https://down.dingtalk.com/x.file"})");
  ASSERT_TRUE(link && *link);
  EXPECT_EQ(**link, "https://down.dingtalk.com/x.file");
  EXPECT_EQ(media_answer(InboundKind::kDingtalk, 200, "application/json", R"({"downloadUrl":5})")
                .error()
                .code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(media_answer(InboundKind::kDingtalk, 401, "application/json",
                         R"({"code":"InvalidAuthentication","message":"x"})")
                .error()
                .code,
            ErrorCode::kUnauthenticated);
}

TEST(MediaAnswer, ReadsTheFileNameOfContentDisposition) {
  EXPECT_EQ(disposition_filename(R"(attachment; filename="MEDIA_ID.jpg")"), "MEDIA_ID.jpg");
  EXPECT_EQ(disposition_filename("attachment; filename=plain.txt"), "plain.txt");
  EXPECT_EQ(disposition_filename(R"(attachment; filename="x.pdf"; filename*=UTF-8''%E5%90%88.pdf)"),
            "合.pdf");
  EXPECT_EQ(disposition_filename(R"(attachment; filename="a;b.txt")"), "a;b.txt");
  EXPECT_EQ(disposition_filename(R"(attachment; filename="../../etc/passwd")"), "passwd");
  EXPECT_FALSE(disposition_filename("attachment"));
  EXPECT_FALSE(disposition_filename("attachment; filename*=UTF-8''%E5%9"));
  EXPECT_FALSE(disposition_filename("attachment; filename*=UTF-8''%FF"));
}

TEST(ProviderCrypto, Base64AndPadding) {
  EXPECT_EQ(base64_encode("ab"), "YWI=");
  EXPECT_EQ(base64_decode("YWI="), "ab");
  EXPECT_EQ(base64_decode("YWI"), "ab");
  EXPECT_FALSE(base64_decode("Y"));
  EXPECT_FALSE(base64_decode("YW*="));
  EXPECT_EQ(pkcs7_unpad(pkcs7_pad("abc", 32), 32), "abc");
  EXPECT_FALSE(pkcs7_unpad(std::string(32, '\0'), 32));
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(ImProviders, FuzzSeedsKeepTheirPromises) {
  namespace fs = std::filesystem;
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(GONGDAN_FIXTURES) / ".." / "fuzz" /
                                                  "im_providers" / "corpus")) {
    const auto bytes = test_support::read_file(entry.path());
    SCOPED_TRACE(entry.path().string());
    EXPECT_EQ(
        fuzz::run_im_providers(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
        "");
    ++count;
  }
  EXPECT_GE(count, 5u);
}

}  // namespace
}  // namespace gongdan::channels::im
