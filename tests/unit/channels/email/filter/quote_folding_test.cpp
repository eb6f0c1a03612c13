#include "channels/email/filter/quote_folding.hpp"

#include <gtest/gtest.h>

#include "markup/html_sanitizer.hpp"

namespace gongdan::email {
namespace {

void expect_fold(std::string_view text, std::string_view body, std::string_view quoted_prefix) {
  FoldedText folded = fold_quotes(text);
  EXPECT_EQ(folded.body, body) << text;
  EXPECT_TRUE(folded.quoted.starts_with(quoted_prefix)) << "quoted: " << folded.quoted;
}

TEST(QuoteFolding, GmailOnWrote) {
  expect_fold(
      "Thanks, works now.\n\nOn Mon, Mar 18, 2024 at 9:15 AM Zhang Wei <z@example.cn> "
      "wrote:\n> It is broken\n> again\n",
      "Thanks, works now.", "On Mon, Mar 18");
}

TEST(QuoteFolding, OnWroteSplitOverTwoLines) {
  expect_fold("OK.\n\nOn Mon, Mar 18, 2024 at 9:15 AM Zhang Wei\n<z@example.cn> wrote:\n> old\n",
              "OK.", "On Mon");
}

TEST(QuoteFolding, AppleMailOnWrote) {
  expect_fold("Yes.\n\nOn 18 Mar 2024, at 09:15, Li Na <li.na@example.cn> wrote:\n\n> Old\n",
              "Yes.", "On 18 Mar 2024");
}

TEST(QuoteFolding, OutlookOriginalMessage) {
  expect_fold(
      "See below.\n\n-----Original Message-----\nFrom: A\nSent: Monday\nTo: B\n"
      "Subject: C\n\nold",
      "See below.", "-----Original Message-----");
}

TEST(QuoteFolding, OutlookHeaderBlockWithRule) {
  expect_fold(
      "Done.\n\n________________________________\nFrom: Support <s@x.com>\n"
      "Sent: Monday, March 18, 2024 9:15 AM\nTo: Me <m@x.com>\nSubject: RE: x\n\nold",
      "Done.", "________________");
}

TEST(QuoteFolding, ChineseOutlookOriginal) {
  expect_fold(
      "已处理。\n\n-----原始邮件-----\n发件人: 技术支持 <s@x.cn>\n发送时间: 2024年3月18日 "
      "9:15\n收件人: 张伟\n主题: 问题\n\n旧内容",
      "已处理。", "-----原始邮件-----");
}

TEST(QuoteFolding, ChineseFullWidthColonHeaderBlock) {
  expect_fold(
      "收到，谢谢。\n\n发件人：技术支持 <s@x.cn>\n发送时间：2024年3月18日 9:15\n"
      "收件人：张伟\n主题：问题\n\n旧内容",
      "收到，谢谢。", "发件人：");
}

TEST(QuoteFolding, QqMailSeparator) {
  expect_fold(
      "好的\n\n------------------ 原始邮件 ------------------\n发件人: \"客服\"<s@x.cn>;\n"
      "发送时间: 2024年3月18日(星期一) 上午9:15\n收件人: \"我\"<m@qq.com>;\n主题: 问题\n\n旧",
      "好的", "------------------ 原始邮件");
}

TEST(QuoteFolding, NeteaseZaiXiedao) {
  expect_fold("已收到\n\n在 2026年3月18日 09:15，\"技术支持\"<s@x.cn> 写道：\n> 旧内容\n", "已收到",
              "在 2026年3月18日");
}

TEST(QuoteFolding, GmailChineseYuXiedao) {
  expect_fold("好\n\n张伟 <z@example.cn> 于2024年3月18日周一 09:15写道：\n\n> 旧\n", "好",
              "张伟 <z@example.cn> 于");
}

TEST(QuoteFolding, TrailingAngleQuotes) {
  expect_fold("New text\n> old 1\n> old 2\n", "New text", "> old 1");
}

TEST(QuoteFolding, InlineRepliesAreNotFolded) {
  FoldedText folded = fold_quotes("> question 1\nanswer 1\n> question 2\nanswer 2");
  EXPECT_EQ(folded.body, "> question 1\nanswer 1\n> question 2\nanswer 2");
  EXPECT_TRUE(folded.quoted.empty());
}

TEST(QuoteFolding, SignatureThenQuote) {
  FoldedText folded =
      fold_quotes("Fixed.\n\n-- \nZhang Wei\nIT\n\nOn Mon, 18 Mar 2024, Li wrote:\n> broken");
  EXPECT_EQ(folded.body, "Fixed.");
  EXPECT_EQ(folded.signature, "-- \nZhang Wei\nIT");
  EXPECT_TRUE(folded.quoted.starts_with("On Mon"));
}

TEST(QuoteFolding, MobileSignature) {
  FoldedText folded = fold_quotes("好的\n\n发自我的iPhone");
  EXPECT_EQ(folded.body, "好的");
  EXPECT_EQ(folded.signature, "发自我的iPhone");
}

TEST(QuoteFolding, NothingNewMeansNothingFolded) {
  std::string forward = "-----Original Message-----\nFrom: a\nSent: b\nTo: c\n\nhello";
  FoldedText folded = fold_quotes(forward);
  EXPECT_EQ(folded.body, forward);
  EXPECT_TRUE(folded.quoted.empty());
}

TEST(QuoteFolding, PlainMessageUnchanged) {
  FoldedText folded = fold_quotes("Hello,\nthe printer is broken.\n");
  EXPECT_EQ(folded.body, "Hello,\nthe printer is broken.");
  EXPECT_TRUE(folded.signature.empty());
  EXPECT_TRUE(folded.quoted.empty());
}

TEST(QuoteFoldingHtml, GmailQuote) {
  FoldedHtml folded = fold_quotes_html(
      "<div dir=\"ltr\">Thanks!</div><br><div class=\"gmail_quote\"><div class=\"gmail_attr\">On "
      "Mon, Mar 18 wrote:</div><blockquote>old</blockquote></div>");
  EXPECT_EQ(folded.body, "<div dir=\"ltr\">Thanks!</div><br>");
  EXPECT_TRUE(folded.quoted.starts_with("<div class=\"gmail_quote\">")) << folded.quoted;
  EXPECT_NE(folded.quoted.find("old"), std::string::npos);
}

TEST(QuoteFoldingHtml, AppleBlockquoteCite) {
  FoldedHtml folded = fold_quotes_html(
      "<div>Yes.</div><div><br><blockquote type=\"cite\"><div>old</div></blockquote></div>");
  EXPECT_EQ(folded.body, "<div>Yes.</div><div><br></div>");
  EXPECT_EQ(folded.quoted, "<blockquote type=\"cite\"><div>old</div></blockquote>");
}

TEST(QuoteFoldingHtml, OutlookDivRplyFwdMsgAndFollowingSiblings) {
  FoldedHtml folded = fold_quotes_html(
      "<div><p>New</p><hr><div id=\"divRplyFwdMsg\"><b>From:</b> a</div><div>old body</div></div>");
  EXPECT_EQ(folded.body, "<div><p>New</p><hr></div>");
  EXPECT_EQ(folded.quoted, "<div id=\"divRplyFwdMsg\"><b>From:</b> a</div><div>old body</div>");
}

TEST(QuoteFoldingHtml, QqMailTextSeparator) {
  FoldedHtml folded = fold_quotes_html(
      "<div>好的</div><div><br></div><div style=\"font-size: 12px;\">------------------&nbsp;"
      "原始邮件&nbsp;------------------</div><div>发件人: x</div>");
  EXPECT_EQ(folded.body, "<div>好的</div><div><br></div>");
  EXPECT_NE(folded.quoted.find("原始邮件"), std::string::npos);
  EXPECT_NE(folded.quoted.find("发件人: x"), std::string::npos);
}

TEST(QuoteFoldingHtml, OutlookHeaderParagraph) {
  FoldedHtml folded = fold_quotes_html(
      "<p>Done</p><p><b>From:</b> Support<br><b>Sent:</b> Monday<br><b>To:</b> Me<br>"
      "<b>Subject:</b> x</p><p>old</p>");
  EXPECT_EQ(folded.body, "<p>Done</p>");
  EXPECT_TRUE(folded.quoted.starts_with("<p><b>From:</b>"));
}

TEST(QuoteFoldingHtml, HalvesSanitiseCleanly) {
  FoldedHtml folded = fold_quotes_html(
      "<p onclick=x>new<script>bad()</script></p><blockquote type=cite>old<img src=x "
      "onerror=y></blockquote>");
  EXPECT_EQ(markup::sanitize_html(folded.body), "<p>new</p>");
  EXPECT_EQ(markup::sanitize_html(folded.quoted),
            "<blockquote type=\"cite\">old<img></blockquote>");
}

TEST(QuoteFoldingHtml, NoMarkerNoFold) {
  FoldedHtml folded = fold_quotes_html("<p>just text</p>");
  EXPECT_EQ(folded.body, "<p>just text</p>");
  EXPECT_TRUE(folded.quoted.empty());
}

}  // namespace
}  // namespace gongdan::email
