// Charsets, RFC 2047 words and RFC 2231 parameters, below the MIME parser.
#include <gtest/gtest.h>

#include "channels/email/parse/charset.hpp"
#include "channels/email/parse/encoded_words.hpp"
#include "channels/email/parse/mime_parameters.hpp"
#include "util/text.hpp"

namespace gongdan::email {
namespace {

TEST(Charset, LabelsMapToSupersets) {
  EXPECT_EQ(iconv_charset_for("GB2312"), "GB18030");
  EXPECT_EQ(iconv_charset_for("\"gbk\""), "GB18030");
  EXPECT_EQ(iconv_charset_for("Shift_JIS"), "CP932");
  EXPECT_EQ(iconv_charset_for("iso-8859-1"), "WINDOWS-1252");
  EXPECT_EQ(iconv_charset_for("cp1251"), "WINDOWS-1251");
  EXPECT_EQ(iconv_charset_for("iso-8859-2"), "ISO-8859-2");
  EXPECT_EQ(iconv_charset_for("NONE"), "");
  EXPECT_EQ(iconv_charset_for(""), "");
}

// glibc drops the stray byte from the label and passes an out-of-range UTF-8 sequence through; the
// fuzzer found it in a body labelled "utf-8\xA5".
TEST(Charset, ALabelWithAStrayByteStillGivesValidUtf8) {
  const std::string bytes = "a\xF6\xBC\x90\x9A b";
  EXPECT_TRUE(text::is_valid_utf8(decode_to_utf8(bytes, "utf-8\xA5")));
  EXPECT_EQ(decode_to_utf8_strict(bytes, "utf-8\xA5"), std::nullopt);
}

TEST(Charset, Gb2312LabelDecodesGbkOnlyCharacters) {
  EXPECT_EQ(decode_to_utf8("\xCD\xF5\x86\xB4", "gb2312"), "王喆");
  EXPECT_EQ(decode_to_utf8("\x80", "gbk"), "€");
}

TEST(Charset, JapaneseAndTraditional) {
  EXPECT_EQ(decode_to_utf8("\x1B$B-!\x1B(B", "iso-2022-jp"), "①");  // NEC row 13
  EXPECT_EQ(decode_to_utf8("\x1B(I1\x1B(B", "ISO-2022-JP"), "ｱ");   // half-width katakana
  EXPECT_EQ(decode_to_utf8("\x81\x60", "shift_jis"), "～");         // CP932 FULLWIDTH TILDE
  EXPECT_EQ(decode_to_utf8("\xA6\x4C", "big5"), "印");
}

TEST(Charset, WesternLabels) {
  EXPECT_EQ(decode_to_utf8("\x93hi\x94 \x80", "iso-8859-1"), "“hi” €");
  EXPECT_EQ(decode_to_utf8("\xE9t\xE9", "iso-8859-15"), "été");
  EXPECT_EQ(decode_to_utf8("\xCF\xF0\xE8", "windows-1251"), "При");
  EXPECT_EQ(decode_to_utf8("caf\xC3\xA9", "us-ascii"), "café");  // mislabelled UTF-8
}

TEST(Charset, UnknownAndBrokenInputStaysValidUtf8) {
  EXPECT_EQ(decode_to_utf8("\xC4\xE3\xBA\xC3", ""), "你好");  // guessed GB18030
  EXPECT_EQ(decode_to_utf8("plain", "x-no-such-charset"), "plain");
  std::string broken = decode_to_utf8("ok\xFF\xFE", "utf-8");
  EXPECT_TRUE(text::is_valid_utf8(broken));
  EXPECT_TRUE(broken.starts_with("ok"));
  EXPECT_TRUE(text::is_valid_utf8(decode_to_utf8("\xFF\xFF\xFF", "big5")));
  EXPECT_FALSE(decode_to_utf8_strict("\xFF", "utf-8"));
}

TEST(EncodedWords, JoinsAdjacentWordsBeforeDecoding) {
  EXPECT_EQ(decode_header_text("=?UTF-8?B?5rWL6K+V5g==?=\r\n =?UTF-8?B?i4bliIY=?="), "测试拆分");
  EXPECT_EQ(decode_header_text("=?GBK?B?vLzK?= =?GBK?B?9bK/?="), "技术部");
}

TEST(EncodedWords, Lenient) {
  EXPECT_EQ(decode_header_text("=?NONE?B?VEVTVA=?="), "TEST");
  EXPECT_EQ(decode_header_text("=?utf-8?q?caf=C3=A9_ok?="), "café ok");
  EXPECT_EQ(decode_header_text("[LTP] =?gb2312?b?tPC4tDo=?= x"), "[LTP] 答复: x");
  EXPECT_EQ(decode_header_text("a =?bogus"), "a =?bogus");
  EXPECT_EQ(decode_header_text("=?utf-8*zh?B?5Lit?="), "中");  // RFC 2231 language
  EXPECT_EQ(decode_header_text("=?iso-8859-1?q?a?= b =?iso-8859-1?q?c?="), "a b c");
}

TEST(EncodedWords, AddressHeaderKeepsCommasInsideNames) {
  EXPECT_EQ(decode_address_header("=?UTF-8?B?Rm9vLCBCYXI=?= <foo@example.com>"),
            "\"Foo, Bar\" <foo@example.com>");
  EXPECT_EQ(decode_address_header("\"=?GBK?B?vLzK9dans9Y=?=\" <s@x.cn>"), "\"技术支持\" <s@x.cn>");
  EXPECT_EQ(decode_address_header("a@x.cn (=?UTF-8?B?KOaLrOWPtyk=?=)"), "a@x.cn (\\(括号\\))");
}

TEST(MimeParameters, Rfc2231ContinuationsAndCharsets) {
  MimeField field = parse_mime_field(
      "attachment;\r\n filename*0*=gb2312''%B2%E2%CA%D4;\r\n filename*1*=%B1%A8%B8%E6.doc");
  EXPECT_EQ(field.value, "attachment");
  EXPECT_EQ(field.params["filename"], "测试报告.doc");
}

TEST(MimeParameters, EncodedWordInQuotedValueAndSpacesAroundEquals) {
  MimeField field = parse_mime_field("application/pdf; name=\"=?GBK?B?us/NrC5wZGY=?=\"");
  EXPECT_EQ(field.params["name"], "合同.pdf");
  MimeField spaced = parse_mime_field("multipart/alternative; boundary = nextPart");
  EXPECT_EQ(spaced.value, "multipart/alternative");
  EXPECT_EQ(spaced.params["boundary"], "nextPart");
}

TEST(MimeParameters, ExtendedValueWinsOverPlain) {
  MimeField field = parse_mime_field(
      "attachment; filename=\"fallback.xlsx\"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7.xlsx");
  EXPECT_EQ(field.params["filename"], "报价.xlsx");
}

}  // namespace
}  // namespace gongdan::email
