// Outgoing messages are read back by our own parser: what was meant is what arrives, and nothing
// typed into a header value can become a header of its own.
#include "channels/email/parse/mime_writer.hpp"

#include <gtest/gtest.h>

#include "channels/email/parse/mime_parser.hpp"

namespace gongdan::email {
namespace {

OutgoingMail sample() {
  OutgoingMail m;
  m.from_address = "support@desk.example";
  m.from_name = "售后服务部";
  m.to_address = "wang@example.cn";
  m.to_name = "王芳, \"VIP\"";
  m.subject = "Re: [#42] 打印机无法连接 — a very long subject that goes on and on and on";
  m.message_id = "gongdan.abc@desk.example";
  m.in_reply_to = "cust.1@example.cn";
  m.references = {"cust.0@example.cn", "cust.1@example.cn"};
  m.text = "请重启打印机。\nline two";
  m.html = "<p>请<b>重启</b>打印机。</p>";
  m.attachments.push_back({"报告 (最终).txt", "text/plain", "report body"});
  m.date_ms = 1'764'400'000'000;
  return m;
}

TEST(MimeWriter, RoundTripsThroughTheParser) {
  const auto raw = build_mime(sample(), "=_b1");
  auto parsed = parse_message(raw);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->subject, sample().subject);
  ASSERT_TRUE(parsed->from);
  EXPECT_EQ(parsed->from->email, "support@desk.example");
  EXPECT_EQ(parsed->from->name, "售后服务部");
  ASSERT_EQ(parsed->to.size(), 1u);
  EXPECT_EQ(parsed->to[0].email, "wang@example.cn");
  EXPECT_EQ(parsed->to[0].name, "王芳, \"VIP\"");
  EXPECT_EQ(parsed->message_id, "gongdan.abc@desk.example");
  EXPECT_EQ(parsed->in_reply_to, "cust.1@example.cn");
  EXPECT_EQ(parsed->references,
            (std::vector<std::string>{"cust.0@example.cn", "cust.1@example.cn"}));
  EXPECT_NE(parsed->text_body.find("请重启打印机。"), std::string::npos);
  EXPECT_NE(parsed->html_body.find("<b>重启</b>"), std::string::npos);
  ASSERT_EQ(parsed->attachments.size(), 1u);
  EXPECT_EQ(parsed->attachments[0].filename, "报告 (最终).txt");
  EXPECT_EQ(parsed->attachments[0].bytes, "report body");
  EXPECT_FALSE(parsed->loop.auto_submitted);
}

// A pasted screenshot: the HTML names it by cid:, the image rides inline beside the HTML in
// multipart/related, and the other file stays an attachment.
TEST(MimeWriter, InlineImagesGoBesideTheHtml) {
  auto m = sample();
  m.html = "<p>见截图</p><img src=\"cid:att7.gongdan.abc@desk.example\">";
  m.attachments.push_back({"screen.png", "image/png", "PNGBYTES", "att7.gongdan.abc@desk.example"});
  const auto raw = build_mime(m, "=_b3");
  EXPECT_NE(raw.find("multipart/related"), std::string::npos) << raw;
  EXPECT_NE(raw.find("Content-ID: <att7.gongdan.abc@desk.example>"), std::string::npos) << raw;
  auto parsed = parse_message(raw);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_NE(parsed->html_body.find("cid:att7.gongdan.abc@desk.example"), std::string::npos);
  ASSERT_EQ(parsed->attachments.size(), 2u);
  const auto& image = parsed->attachments[0].filename == "screen.png" ? parsed->attachments[0]
                                                                      : parsed->attachments[1];
  EXPECT_EQ(image.bytes, "PNGBYTES");
  EXPECT_TRUE(image.is_inline);
  EXPECT_EQ(image.content_id, "att7.gongdan.abc@desk.example");
  // Without HTML there is nothing to show it in: an attachment like any other.
  m.html.clear();
  const auto plain = build_mime(m, "=_b4");
  EXPECT_EQ(plain.find("multipart/related"), std::string::npos);
  EXPECT_EQ(plain.find("Content-ID"), std::string::npos);
}

TEST(MimeWriter, HeaderValuesCannotAddHeaders) {
  auto m = sample();
  m.subject = "Hello\r\nBcc: victim@example.com";
  m.to_name = "Eve\r\nBcc: all@example.com";
  m.to_address = "eve@example.com>\r\nBcc: x@example.com";
  m.in_reply_to = "a@b\r\nX-Evil: 1";
  const auto raw = build_mime(m, "=_b2");
  const auto head = raw.substr(0, raw.find("\r\n\r\n"));
  EXPECT_EQ(head.find("\r\nBcc:"), std::string::npos) << head;
  EXPECT_EQ(head.find("\r\nX-Evil:"), std::string::npos) << head;
  auto parsed = parse_message(raw);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->subject, "HelloBcc: victim@example.com");
}

TEST(MimeWriter, AcknowledgementsAreMarkedAutoSubmitted) {
  auto m = sample();
  m.auto_submitted = true;
  m.html.clear();
  m.attachments.clear();
  const auto raw = build_mime(m, "=_b3");
  auto parsed = parse_message(raw);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->loop.auto_submitted, std::optional<std::string>("auto-replied"));
  EXPECT_EQ(raw.find("multipart"), std::string::npos);
}

TEST(MimeWriter, EncodedWordsStayShortAndWhole) {
  const std::string text(200, 'x');
  EXPECT_EQ(encode_header_text(text), text);
  const auto encoded =
      encode_header_text("汉字汉字汉字汉字汉字汉字汉字汉字汉字汉字汉字汉字汉字汉字汉字汉字汉字");
  for (std::size_t start = 0; start < encoded.size();) {
    auto end = encoded.find("\r\n ", start);
    if (end == std::string::npos) end = encoded.size();
    EXPECT_LE(end - start, 76u);
    start = end + 3;
  }
  EXPECT_EQ(encode_header_text("=?utf-8?q?fake?="), "=?UTF-8?B?PT91dGYtOD9xP2Zha2U/PQ==?=");
}

}  // namespace
}  // namespace gongdan::email
