// One test per message in tests/fixtures/emails, asserting what its INDEX.md row says the
// message must yield.
#include <gtest/gtest.h>

#include <algorithm>

#include "channels/email/filter/body_text.hpp"
#include "channels/email/filter/loop_guard.hpp"
#include "channels/email/filter/quote_folding.hpp"
#include "channels/email/filter/ticket_token.hpp"
#include "channels/email/parse/mime_parser.hpp"
#include "fuzz/html_sanitizer/target.hpp"
#include "markup/html_sanitizer.hpp"
#include "unit/fixture_file.hpp"

namespace gongdan::email {
namespace {

ParsedMessage parse_fixture(const std::string& name) {
  auto parsed = parse_message(test_support::email_fixture(name));
  EXPECT_TRUE(parsed.has_value()) << name << ": " << (parsed ? "" : parsed.error().message);
  return parsed ? std::move(*parsed) : ParsedMessage{};
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

std::vector<const Attachment*> visible_attachments(const ParsedMessage& message) {
  std::vector<const Attachment*> out;
  for (const auto& attachment : message.attachments) {
    if (!attachment.is_inline) out.push_back(&attachment);
  }
  return out;
}

void expect_ordinary(const ParsedMessage& message) {
  LoopVerdict verdict = classify_loop(message);
  EXPECT_TRUE(verdict.may_open_ticket()) << verdict.reason;
  EXPECT_TRUE(verdict.may_auto_reply()) << verdict.reason;
}

TEST(MimeFixtures, Coremail163BounceXitongtuixin) {
  auto m = parse_fixture("constructed-163-coremail-bounce-xitongtuixin.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "Postmaster@163.com");
  EXPECT_EQ(m.subject, "系统退信");
  EXPECT_TRUE(m.is_delivery_report);
  EXPECT_EQ(m.delivery.original_message_id, "ticket-100235-notification@helpdesk.example.com");
  EXPECT_EQ(m.delivery.final_recipients, std::vector<std::string>{"nobody123@163.com"});
  EXPECT_EQ(m.delivery.status, "5.1.1");
  EXPECT_TRUE(m.attachments.empty());
  EXPECT_TRUE(m.text_body.empty());  // HTML only: the text comes from the HTML
  EXPECT_TRUE(contains(body_text(m), "收件人地址 nobody123@163.com 不存在"));
  LoopVerdict verdict = classify_loop(m);
  EXPECT_TRUE(verdict.bounce);
  EXPECT_TRUE(verdict.hard_bounce);
  EXPECT_FALSE(verdict.may_open_ticket());
  EXPECT_FALSE(verdict.may_auto_reply());
}

TEST(MimeFixtures, ChineseAttachmentFilenames2047And2231) {
  auto m = parse_fixture("constructed-chinese-attachment-filenames-2047-2231.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "li.na@example.cn");
  EXPECT_EQ(m.from->name, "销售部 李娜");
  EXPECT_EQ(m.subject, "本月报价单及合同");
  EXPECT_TRUE(contains(body_text(m), "附件是本月的报价单和合同"));
  EXPECT_TRUE(contains(m.html_body, "cid:logo001@example.cn"));
  auto visible = visible_attachments(m);
  ASSERT_EQ(visible.size(), 3u);
  EXPECT_EQ(visible[0]->filename, "报价单.xlsx");
  EXPECT_EQ(visible[1]->filename, "合同扫描件.pdf");
  EXPECT_EQ(visible[1]->content_type, "application/pdf");
  EXPECT_TRUE(visible[1]->bytes.starts_with("%PDF-1.4"));
  EXPECT_EQ(visible[2]->filename, "测试报告（最终版）.doc");
  ASSERT_EQ(m.attachments.size(), 4u);
  const Attachment& logo = m.attachments[0];
  EXPECT_TRUE(logo.is_inline);
  EXPECT_EQ(logo.filename, "logo.png");
  EXPECT_EQ(logo.content_id, "logo001@example.cn");
  EXPECT_TRUE(logo.bytes.starts_with("\x89PNG"));
  expect_ordinary(m);
}

TEST(MimeFixtures, DeeplyNestedMultipart100) {
  auto m = parse_fixture("constructed-deeply-nested-multipart-100.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "nest@example.cn");
  EXPECT_EQ(m.subject, "深层嵌套测试");
  EXPECT_TRUE(contains(body_text(m), "最深层的正文内容"));
  EXPECT_TRUE(m.attachments.empty());
  expect_ordinary(m);
}

TEST(MimeFixtures, DeeplyNestedMultipartBeyondDepthLimitWarns) {
  ParseLimits limits;
  limits.max_depth = 20;
  auto parsed = parse_message(
      test_support::email_fixture("constructed-deeply-nested-multipart-100.eml"), limits);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->subject, "深层嵌套测试");  // the ticket can still be made
  ASSERT_FALSE(parsed->warnings.empty());
  EXPECT_TRUE(contains(parsed->warnings.back(), "nesting deeper than 20"));
}

TEST(MimeFixtures, EncodedWordSplitInsideMultibyteCharacter) {
  auto m = parse_fixture("constructed-encoded-word-split-multibyte.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "zhang.gong@example.cn");
  EXPECT_EQ(m.from->name, "技术部张工");
  EXPECT_EQ(m.subject, "测试拆分的编码字：服务器宕机");
  EXPECT_TRUE(contains(body_text(m), "服务器于今天上午宕机"));
  expect_ordinary(m);
}

TEST(MimeFixtures, FoxmailGbk8bitBody) {
  auto m = parse_fixture("constructed-foxmail-gbk-8bit-body.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "zhang.wei@example.cn");
  EXPECT_EQ(m.from->name, "张伟");
  ASSERT_EQ(m.to.size(), 1u);
  EXPECT_EQ(m.to[0].name, "技术支持");  // an encoded word inside a quoted string
  EXPECT_EQ(m.subject, "关于服务器无法登录的问题");
  EXPECT_TRUE(contains(body_text(m), "错误代码为 0x80004005"));
  EXPECT_TRUE(contains(body_text(m), "王喆"));  // GBK-only character
  expect_ordinary(m);
}

TEST(MimeFixtures, Gb2312LabelWithGbkOnlyCharacters) {
  auto m = parse_fixture("constructed-gb2312-label-gbk-only-chars.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "wang.zhe@example.cn");
  EXPECT_EQ(m.subject, "王喆的报价单");
  EXPECT_TRUE(contains(body_text(m), "联系人：王喆"));
  EXPECT_TRUE(contains(body_text(m), "朱镕"));
  EXPECT_TRUE(contains(body_text(m), "报价：€1,200"));  // CP936 0x80, as WHATWG decodes it
  expect_ordinary(m);
}

TEST(MimeFixtures, HtmlXssPayloadsGbk) {
  auto m = parse_fixture("constructed-html-xss-payloads-gbk.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "attacker@evil.example");
  EXPECT_EQ(m.from->name, "\"><svg/onload=alert(1)>");  // stored literally, escaped on display
  EXPECT_EQ(m.subject, "发票 <img src=x onerror=alert(document.domain)>");
  EXPECT_TRUE(contains(body_text(m), "请查看附件中的发票信息"));
  EXPECT_TRUE(contains(m.html_body, "<script>"));  // raw; the sanitiser's output is checked below
  expect_ordinary(m);
}

TEST(MimeFixtures, HtmlXssPayloadsGbkAreNeutralised) {
  auto m = parse_fixture("constructed-html-xss-payloads-gbk.eml");
  const std::string safe = markup::sanitize_html(m.html_body);
  EXPECT_EQ(fuzz::unsafe_markup(safe), "");
  EXPECT_TRUE(contains(safe, "请查看附件中的发票信息"));
  // The tracking pixel sits after the <math> mXSS payload, which swallows it: either way it must
  // not load.
  EXPECT_FALSE(contains(safe, "src=\"http"));
  EXPECT_FALSE(contains(safe, "evil.example/\""));  // <base>, meta refresh gone
  EXPECT_FALSE(contains(safe, "password"));
}

TEST(MimeFixtures, QqMailHolidayReplyGbk) {
  auto m = parse_fixture("constructed-qqmail-holidayreply-gbk.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "12345678@qq.com");
  EXPECT_EQ(m.from->name, "小王");
  EXPECT_EQ(m.subject, "自动回复:[#100236] 关于发票的问题");
  EXPECT_TRUE(contains(body_text(m), "您的邮件我已经收到了，谢谢！"));
  EXPECT_EQ(find_ticket_token(m.subject), 100236);
  LoopVerdict verdict = classify_loop(m);
  EXPECT_TRUE(verdict.auto_reply);
  EXPECT_FALSE(verdict.may_open_ticket());
  EXPECT_FALSE(verdict.may_auto_reply());
  EXPECT_TRUE(contains(verdict.reason, "X-QQ-HolidayReply"));
}

TEST(MimeFixtures, TnefWinmailDatListedAsFile) {
  auto m = parse_fixture("constructed-tnef-winmail-dat.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "zhao.min@example.cn");
  EXPECT_EQ(m.from->name, "赵敏");
  EXPECT_EQ(m.subject, "请见附件");
  EXPECT_TRUE(contains(body_text(m), "附件为设备清单"));
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "winmail.dat");
  EXPECT_EQ(m.attachments[0].content_type, "application/ms-tnef");
  EXPECT_TRUE(m.attachments[0].bytes.starts_with("\x78\x9F\x3E\x22"));  // TNEF signature
  expect_ordinary(m);
}

TEST(MimeFixtures, FlankerDsnAolMailboxFull) {
  auto m = parse_fixture("flanker-dsn-aol-mailbox-full.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "MAILER-DAEMON@AOL.com");
  EXPECT_EQ(m.from->name, "Mail Delivery System");
  EXPECT_EQ(m.subject, "Undelivered Mail Returned to Sender");
  EXPECT_TRUE(contains(body_text(m), "user MAILBOX FULL"));
  EXPECT_TRUE(m.attachments.empty());
  EXPECT_TRUE(m.is_delivery_report);
  EXPECT_EQ(m.delivery.final_recipients, std::vector<std::string>{"user@aol.com"});
  EXPECT_EQ(m.delivery.status, "5.2.2");
  EXPECT_EQ(m.delivery.original_message_id, "4E326A95.3010907@example.com");
  LoopVerdict verdict = classify_loop(m);
  EXPECT_TRUE(verdict.bounce);
  EXPECT_TRUE(verdict.hard_bounce);
  EXPECT_FALSE(verdict.may_open_ticket());
  EXPECT_FALSE(verdict.may_auto_reply());
}

TEST(MimeFixtures, FlankerEncodedDisplayNameWithComma) {
  auto m = parse_fixture("flanker-encoded-word-displayname-with-comma.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "foo.bar@example.com");
  EXPECT_EQ(m.from->name, "Foo, Bar");
  EXPECT_EQ(m.subject, "hello");
  EXPECT_TRUE(contains(body_text(m), "hello, world"));
  EXPECT_EQ(m.message_id, "1234567890-1234-4567@example.com");
  expect_ordinary(m);
}

TEST(MimeFixtures, FlankerListPrecedenceBulkRaw8bitFrom) {
  auto m = parse_fixture("flanker-list-precedence-bulk-8bit-from.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "ingo@blank.pages.de");
  EXPECT_EQ(m.from->name, "Ingo Lütkebohle");
  EXPECT_EQ(m.subject, "Re: running server as root (Was: Re: PUT method)");
  EXPECT_TRUE(contains(body_text(m), "What about switching to an EUID of nobody"));
  EXPECT_EQ(m.references, std::vector<std::string>{
                              "Pine.BSF.3.95q.970712135859.28530B-100000@valis.worldgate.com"});
  LoopVerdict verdict = classify_loop(m);
  EXPECT_TRUE(verdict.list);
  EXPECT_TRUE(verdict.may_open_ticket());
  EXPECT_FALSE(verdict.may_auto_reply());
}

TEST(MimeFixtures, FlankerMissingFinalBoundary) {
  auto m = parse_fixture("flanker-missing-final-boundary.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "me@example.com");
  EXPECT_EQ(m.subject, "Test");
  EXPECT_TRUE(contains(body_text(m), "Some body"));
  ASSERT_EQ(m.to.size(), 2u);
  EXPECT_FALSE(m.warnings.empty());
  expect_ordinary(m);
}

TEST(MimeFixtures, MikelNoneCharsetSubjectAndNoFrom) {
  auto m = parse_fixture("mikel-bad-encoded-subject-none-charset.eml");
  EXPECT_FALSE(m.from);
  EXPECT_EQ(m.subject, "TEST");
  EXPECT_TRUE(contains(body_text(m), "TEST"));
  LoopVerdict verdict = classify_loop(m);
  EXPECT_TRUE(verdict.may_open_ticket());
  EXPECT_FALSE(verdict.may_auto_reply());  // nobody to answer
  EXPECT_TRUE(verdict.no_valid_sender);
}

TEST(MimeFixtures, MikelDsnDelayedWarningIsNotHardBounce) {
  auto m = parse_fixture("mikel-dsn-delayed-warning-autosubmitted.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "MAILER-DAEMON@tppppp.com.au");
  EXPECT_EQ(m.from->name, "Mail Delivery Subsystem");
  EXPECT_EQ(m.subject, "Warning: could not send message for past 8 hours");
  EXPECT_TRUE(contains(body_text(m), "THIS IS A WARNING MESSAGE ONLY"));
  EXPECT_TRUE(m.attachments.empty());
  EXPECT_EQ(m.delivery.action, "delayed");
  EXPECT_EQ(m.delivery.status, "4.2.2");
  EXPECT_EQ(m.delivery.original_message_id,
            "15655788.13.1200472642578.JavaMail.Administrator@mail.ttttt.com.au");
  LoopVerdict verdict = classify_loop(m);
  EXPECT_TRUE(verdict.bounce);
  EXPECT_TRUE(verdict.delivery_delayed);
  EXPECT_FALSE(verdict.hard_bounce);
  EXPECT_FALSE(verdict.may_open_ticket());
  EXPECT_FALSE(verdict.may_auto_reply());
}

TEST(MimeFixtures, PhpMimeMailParserUuencodeAttachment) {
  auto m = parse_fixture("phpmimemailparser-uuencode-attachment-part.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "foo@example.com");
  EXPECT_EQ(m.subject, "");
  EXPECT_TRUE(contains(body_text(m), "foobar"));
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "wikipedia-url.txt");
  EXPECT_EQ(m.attachments[0].bytes, "http://www.wikipedia.org\r\n");
  expect_ordinary(m);
}

TEST(MimeFixtures, PublicInboxExchangeGb2312ReplyOnList) {
  auto m = parse_fixture("publicinbox-ltp-exchange-gb2312-base64-list.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->email, "zou_wei@huawei.com");
  EXPECT_EQ(m.from->name, "Zouwei (Samuel)");
  EXPECT_EQ(m.subject, "[LTP] 答复:  [PATCH v3 0/3] Fix bug caused by default umask");
  EXPECT_EQ(m.message_id,
            "C3CD0DF8AD11A84CB25A1426DE537C61E5928002@dggeml524-mbx.china.huawei.com");
  EXPECT_EQ(m.in_reply_to, "5E81A0EF.4040508@cn.fujitsu.com");
  EXPECT_EQ(m.references.size(), 2u);
  EXPECT_TRUE(contains(body_text(m), "-----邮件原件-----"));
  LoopVerdict verdict = classify_loop(m);
  EXPECT_TRUE(verdict.list);
  EXPECT_TRUE(verdict.may_open_ticket());
  EXPECT_FALSE(verdict.may_auto_reply());
  FoldedText folded = fold_quotes(m.text_body);
  EXPECT_TRUE(folded.body.ends_with("Zou Wei"));
  EXPECT_TRUE(folded.quoted.starts_with("-----邮件原件-----"));
}

// ---- gongdan's own constructed fixtures ----

TEST(MimeFixtures, Iso2022JpWithNecExtensionDecodesAsCp50220) {
  auto m = parse_fixture("gongdan-iso2022jp-nec-extension.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->name, "山田太郎");
  EXPECT_EQ(m.subject, "お問い合わせ①の件");
  EXPECT_TRUE(contains(body_text(m), "プリンターが故障しました。①番の機械です。"));
  expect_ordinary(m);
}

TEST(MimeFixtures, Big5TraditionalChinese) {
  auto m = parse_fixture("gongdan-big5-traditional.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->name, "陳小明");
  EXPECT_EQ(m.subject, "印表機無法連線");
  EXPECT_TRUE(contains(body_text(m), "辦公室的印表機無法連線"));
  expect_ordinary(m);
}

TEST(MimeFixtures, ShiftJisLabelDecodesAsCp932) {
  auto m = parse_fixture("gongdan-shift-jis-cp932.eml");
  EXPECT_EQ(m.subject, "見積もりの件");
  EXPECT_TRUE(contains(body_text(m), "髙橋様、9時～17時に伺います。"));
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "見積書.txt");
  EXPECT_EQ(m.attachments[0].bytes, "quote total 1200");
}

TEST(MimeFixtures, Windows1252OutlookReplyWithForward) {
  auto m = parse_fixture("gongdan-windows1252-outlook-reply-forward.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.from->name, "Pierre Lévy");
  EXPECT_EQ(m.subject, "RE: [#4711] Invoice €200");
  EXPECT_EQ(find_ticket_token(m.subject), 4711);
  EXPECT_TRUE(contains(body_text(m), "The “invoice” total is €200, not €250."));
  EXPECT_EQ(m.in_reply_to, "ticket-4711-reply-2@helpdesk.example.com");
  EXPECT_EQ(m.references, (std::vector<std::string>{"ticket-4711@helpdesk.example.com",
                                                    "ticket-4711-reply-2@helpdesk.example.com"}));
  EXPECT_EQ(m.return_path, "pierre@example.fr");
  ASSERT_EQ(m.reply_to.size(), 1u);
  EXPECT_EQ(m.reply_to[0].email, "billing@example.fr");
  ASSERT_EQ(m.cc.size(), 2u);
  EXPECT_EQ(m.cc[0], (Address{"Anna", "anna@example.fr"}));
  EXPECT_EQ(m.cc[1].email, "boss@example.fr");
  ASSERT_EQ(m.helpdesk_headers.size(), 3u);
  EXPECT_EQ(m.helpdesk_headers[0].name, "X-Zammad-Ticket-Priority");
  EXPECT_EQ(m.helpdesk_headers[1].value, "4711");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].content_type, "message/rfc822");
  EXPECT_EQ(m.attachments[0].filename, "Order 42.eml");
  EXPECT_TRUE(contains(m.attachments[0].bytes, "Message-ID: <order-42@example.com>"));
  FoldedText folded = fold_quotes(m.text_body);
  EXPECT_EQ(folded.body, "The “invoice” total is €200, not €250.\n\nRegards,\nPierre");
  EXPECT_TRUE(folded.quoted.starts_with("-----Original Message-----"));
  expect_ordinary(m);
}

TEST(MimeFixtures, HeaderInjectionIsCleaned) {
  auto m = parse_fixture("gongdan-header-injection.eml");
  ASSERT_TRUE(m.from);
  EXPECT_EQ(m.subject, "HelloBcc: victim@example.com");
  EXPECT_EQ(m.from->name, "EveBcc: all@example.com");
  EXPECT_EQ(m.from->email, "eve@example.com");
  for (const auto& s : {m.subject, m.from->name}) {
    EXPECT_EQ(s.find_first_of("\r\n"), std::string::npos);
  }
}

}  // namespace
}  // namespace gongdan::email
