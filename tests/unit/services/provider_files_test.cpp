#include "services/provider_files.hpp"

#include <gtest/gtest.h>

namespace gongdan::services {
namespace {

InboundSource source_of(InboundKind kind) {
  InboundSource s;
  s.id = 7;
  s.kind = kind;
  s.app_id = "app";
  s.api_base = "https://api.example";
  return s;
}

std::string header(const ImDelivery& d, std::string_view name) {
  for (const auto& [k, v] : d.headers)
    if (k == name) return v;
  return {};
}

TEST(ProviderFiles, MultipartCarriesFieldsAndTheFile) {
  const auto m = multipart_form({{"chat_id", "42"}}, "document", "a\"b.pdf", "application/pdf",
                                std::string("%PDF\0x", 6));
  const auto boundary = m.content_type.substr(m.content_type.find("boundary=") + 9);
  EXPECT_TRUE(m.content_type.starts_with("multipart/form-data; boundary=gongdan-"));
  EXPECT_NE(m.body.find("name=\"chat_id\"\r\n\r\n42\r\n"), std::string::npos);
  // A quote in the name cannot end the parameter; the bytes go whole, NUL included.
  EXPECT_NE(m.body.find("name=\"document\"; filename=\"a_b.pdf\"; filelength=6"),
            std::string::npos);
  EXPECT_NE(m.body.find(std::string("%PDF\0x\r\n--", 10) + boundary + "--\r\n"), std::string::npos);
}

TEST(ProviderFiles, EachProviderTakesAFileItsOwnWay) {
  const ReplyFile png{"shot.png", "image/png", std::string(1000, 'p')};
  const ReplyFile big_png{"big.png", "image/png", std::string(3 * 1024 * 1024, 'p')};
  const ReplyFile pdf{"说明.pdf", "application/pdf", std::string(1000, 'd')};

  auto tg = file_upload(source_of(InboundKind::kTelegram), "123:tok", "99", png);
  ASSERT_TRUE(tg.call);
  EXPECT_TRUE(tg.sends && tg.as_image);
  EXPECT_EQ(tg.call->url, "https://api.example/bot123:tok/sendPhoto");
  EXPECT_FALSE(tg.call->token);
  EXPECT_EQ(file_upload(source_of(InboundKind::kTelegram), "123:tok", "99", pdf).call->url,
            "https://api.example/bot123:tok/sendDocument");

  // WeCom: a PNG over 2 MB goes as a file.
  auto wecom = file_upload(source_of(InboundKind::kWecom), "secret", "kf/user", big_png);
  ASSERT_TRUE(wecom.call);
  EXPECT_FALSE(wecom.as_image || wecom.sends);
  EXPECT_EQ(wecom.call->url,
            "https://api.example/cgi-bin/media/upload?access_token={access_token}&type=file");
  ASSERT_TRUE(wecom.call->token);
  auto sent = file_message(source_of(InboundKind::kWecom), "secret", "kf/user", "MID", big_png,
                           false, "gongdan-file-1-2");
  ASSERT_TRUE(sent);
  EXPECT_NE(sent->body.find(R"("msgtype":"file","file":{"media_id":"MID"})"), std::string::npos);

  auto feishu = file_upload(source_of(InboundKind::kFeishu), "secret", "ou_1", pdf);
  ASSERT_TRUE(feishu.call);
  EXPECT_EQ(feishu.call->url, "https://api.example/open-apis/im/v1/files");
  EXPECT_EQ(header(*feishu.call, "Authorization"), "Bearer {access_token}");
  EXPECT_NE(feishu.call->body.find("name=\"file_type\"\r\n\r\npdf\r\n"), std::string::npos);

  // DingTalk: with no api_base, uploads go to its older host.
  auto ding_source = source_of(InboundKind::kDingtalk);
  ding_source.api_base.clear();
  auto ding = file_upload(ding_source, "secret", "staff", pdf);
  ASSERT_TRUE(ding.call);
  EXPECT_TRUE(ding.call->url.starts_with("https://oapi.dingtalk.com/media/upload?"));
  auto ding_sent = file_message(ding_source, "secret", "staff", "@lA", pdf, false, "x");
  ASSERT_TRUE(ding_sent);
  EXPECT_EQ(ding_sent->url, "https://api.dingtalk.com/v1.0/robot/oToMessages/batchSend");
  EXPECT_NE(ding_sent->body.find("sampleFile"), std::string::npos);

  // Too large, no credentials, a kind without files: why not, and no call.
  const ReplyFile huge{"huge.bin", "application/octet-stream", std::string(21 * 1024 * 1024, 'x')};
  auto refused = file_upload(source_of(InboundKind::kWecom), "secret", "kf/user", huge);
  EXPECT_FALSE(refused.call);
  EXPECT_NE(refused.error.find("larger than WeCom takes (20 MB)"), std::string::npos);
  EXPECT_FALSE(file_upload(source_of(InboundKind::kFeishu), "", "ou_1", pdf).call);
  EXPECT_FALSE(file_upload(source_of(InboundKind::kGeneric), "s", "x", pdf).call);
}

}  // namespace
}  // namespace gongdan::services
