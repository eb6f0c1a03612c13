#include "domain/attachment_name.hpp"

#include <gtest/gtest.h>

#include <string>

#include "util/text.hpp"

namespace gongdan {
namespace {

TEST(SanitizeFilename, KeepsOrdinaryNames) {
  EXPECT_EQ(sanitize_filename("report.pdf"), "report.pdf");
  EXPECT_EQ(sanitize_filename("办公室的打印机.png"), "办公室的打印机.png");
  EXPECT_EQ(sanitize_filename("my file (1).tar.gz"), "my file (1).tar.gz");
}

TEST(SanitizeFilename, KeepsOnlyTheLastPathComponent) {
  EXPECT_EQ(sanitize_filename("../../etc/passwd"), "passwd");
  EXPECT_EQ(sanitize_filename("C:\\Users\\li\\Desktop\\q3.xlsx"), "q3.xlsx");
  EXPECT_EQ(sanitize_filename("a/b\\c/d.txt"), "d.txt");
  EXPECT_EQ(sanitize_filename("reports/q3.pdf/"), "q3.pdf");
  EXPECT_EQ(sanitize_filename("/"), "attachment");
  EXPECT_EQ(sanitize_filename(".."), "attachment");
  EXPECT_EQ(sanitize_filename("foo/.."), "attachment");
}

TEST(SanitizeFilename, DropsControlCharacters) {
  EXPECT_EQ(sanitize_filename(std::string("a\0b.txt", 7)), "ab.txt");
  EXPECT_EQ(sanitize_filename("line1\r\nline2\t.txt"), "line1line2.txt");
  EXPECT_EQ(sanitize_filename("x\x7f\xc2\x85y.txt"), "xy.txt");  // DEL and NEL (C1)
  EXPECT_EQ(sanitize_filename("a\xe2\x80\xa8"
                              "b.txt"),
            "ab.txt");  // U+2028 line separator
}

TEST(SanitizeFilename, DropsBidiOverridesAndOtherFormatCharacters) {
  // "invoice<RLO>fdp.exe" is shown as "invoiceexe.pdf".
  EXPECT_EQ(sanitize_filename("invoice\xe2\x80\xae"
                              "fdp.exe"),
            "invoicefdp.exe");
  for (const char* cp :
       {"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae",
        "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9", "\xe2\x80\x8e",
        "\xe2\x80\x8f", "\xe2\x80\x8b", "\xef\xbb\xbf", "\xc2\xad", "\xf3\xa0\x80\x81"}) {
    EXPECT_EQ(sanitize_filename(std::string("a") + cp + "b.png"), "ab.png") << cp;
  }
}

TEST(SanitizeFilename, NormalisesToNfc) {
  // "é" as e + U+0301 (macOS) and as U+00E9 (Windows) come out the same.
  EXPECT_EQ(sanitize_filename("re\xcc\x81sume\xcc\x81.doc"), "r\xc3\xa9sum\xc3\xa9.doc");
  EXPECT_EQ(sanitize_filename("r\xc3\xa9sum\xc3\xa9.doc"), "r\xc3\xa9sum\xc3\xa9.doc");
  // Hangul jamo compose into a syllable.
  EXPECT_EQ(sanitize_filename("\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab.txt"), "\xed\x95\x9c.txt");
  // A format character between base and mark must not leave the result unnormalised.
  EXPECT_EQ(sanitize_filename("e\xe2\x80\x8b\xcc\x81.txt"), "\xc3\xa9.txt");
}

TEST(SanitizeFilename, TrimsDotsAndSpacesAtTheEnds) {
  EXPECT_EQ(sanitize_filename("  .hidden.txt. . "), "hidden.txt");
  EXPECT_EQ(sanitize_filename("\xe3\x80\x80report.pdf\xc2\xa0"), "report.pdf");  // U+3000, NBSP
  EXPECT_EQ(sanitize_filename("a  b.txt"), "a  b.txt");
  EXPECT_EQ(sanitize_filename("...."), "attachment");
  EXPECT_EQ(sanitize_filename("   "), "attachment");
}

TEST(SanitizeFilename, ReplacesCharactersWindowsForbids) {
  EXPECT_EQ(sanitize_filename("a<b>c:d\"e|f?g*h.txt"), "a_b_c_d_e_f_g_h.txt");
}

TEST(SanitizeFilename, PrefixesWindowsDeviceNames) {
  EXPECT_EQ(sanitize_filename("CON"), "_CON");
  EXPECT_EQ(sanitize_filename("nul.txt"), "_nul.txt");
  EXPECT_EQ(sanitize_filename("com1.tar.gz"), "_com1.tar.gz");
  EXPECT_EQ(sanitize_filename("LPT9 .log"), "_LPT9 .log");
  EXPECT_EQ(sanitize_filename("console.txt"), "console.txt");
  EXPECT_EQ(sanitize_filename("COM0.txt"), "COM0.txt");
  // The prefix fits in the length limit too, and a cut that leaves a device name gets it
  // (found by fuzz_multipart).
  const auto long_device = sanitize_filename(
      "CON" + std::string(16, '.') + std::string(80, '\xff') + "." + std::string(1, '\xff'));
  EXPECT_TRUE(long_device.starts_with("_Con") || long_device.starts_with("_CON")) << long_device;
  EXPECT_LE(long_device.size(), kMaxFilenameBytes);
  EXPECT_EQ(sanitize_filename("CON" + std::string(300, ' ') + "x.txt"), "_CON.txt");
}

TEST(SanitizeFilename, ReplacesInvalidUtf8) {
  EXPECT_EQ(sanitize_filename("a\xff"
                              "b.txt"),
            "a\xef\xbf\xbd"
            "b.txt");
  EXPECT_EQ(sanitize_filename("\xc0\xaf.txt"), "\xef\xbf\xbd\xef\xbf\xbd.txt");  // overlong '/'
  EXPECT_EQ(sanitize_filename("\xed\xa0\x80.txt"),                               // a surrogate
            "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd.txt");
  EXPECT_EQ(sanitize_filename("ok\xe4\xb8"), "ok\xef\xbf\xbd\xef\xbf\xbd");  // truncated
  EXPECT_TRUE(text::is_valid_utf8(sanitize_filename("\x80\x81\xfe\xf8\x88\x80\x80\x80")));
}

TEST(SanitizeFilename, LimitsLengthKeepingTheExtension) {
  const std::string long_name = std::string(300, 'a') + ".pdf";
  const std::string out = sanitize_filename(long_name);
  EXPECT_EQ(out.size(), kMaxFilenameBytes);
  EXPECT_TRUE(out.ends_with(".pdf"));
  EXPECT_EQ(out, std::string(196, 'a') + ".pdf");

  // Three-byte characters: the cut never splits one.
  std::string cjk;
  for (int i = 0; i < 100; ++i) cjk += "报";
  const std::string cjk_out = sanitize_filename(cjk + ".docx");
  EXPECT_LE(cjk_out.size(), kMaxFilenameBytes);
  EXPECT_TRUE(cjk_out.ends_with(".docx"));
  EXPECT_TRUE(text::is_valid_utf8(cjk_out));
  EXPECT_EQ(cjk_out.size(), 65 * 3 + 5u);

  // An over-long "extension" is just part of the name.
  const std::string no_ext = sanitize_filename("x." + std::string(300, 'b'));
  EXPECT_EQ(no_ext.size(), kMaxFilenameBytes);
  EXPECT_TRUE(no_ext.starts_with("x.b"));
}

TEST(SanitizeFilename, CutsOnGraphemeBoundaries) {
  // 199 'a' then "é" decomposed as e + U+0301 without a composed form: use e + U+0331 (macron
  // below), which NFC keeps as two code points. The cut must not strand the base letter's mark
  // or keep the base without it.
  const std::string name = std::string(199, 'a') + "e\xcc\xb1" + "zz";
  const std::string out = sanitize_filename(name);
  EXPECT_EQ(out, std::string(199, 'a'));
  EXPECT_TRUE(text::is_valid_utf8(out));
}

TEST(SanitizeFilename, TrimsWhatTruncationExposes) {
  const std::string name = std::string(190, 'a') + std::string(20, ' ') + "tail.txt";
  EXPECT_EQ(sanitize_filename(name), std::string(190, 'a') + ".txt");
}

TEST(SanitizeFilename, NeverEmpty) {
  EXPECT_EQ(sanitize_filename(""), "attachment");
  EXPECT_EQ(sanitize_filename("\xe2\x80\xae\xe2\x80\x8f"), "attachment");
  EXPECT_EQ(sanitize_filename(std::string("\0\0", 2)), "attachment");
}

TEST(SanitizeFilename, IsIdempotent) {
  const std::string inputs[] = {
      "report.pdf",
      "../../etc/passwd",
      "  .x. ",
      "a<b>.txt",
      "CON",
      "re\xcc\x81sume\xcc\x81.doc",
      std::string(300, 'a') + ".pdf",
      std::string(190, 'a') + std::string(20, ' ') + "tail.txt",
      std::string(199, 'a') + "e\xcc\xb1zz",
      "\xff\xfe",
      "invoice\xe2\x80\xae"
      "fdp.exe",
      "Con" + std::string(16, '.') + std::string(80, '\xff') + "." + std::string(1, '\xff'),
      "CON" + std::string(300, ' ') + "x.txt",
  };
  for (const auto& in : inputs) {
    const std::string once = sanitize_filename(in);
    EXPECT_EQ(sanitize_filename(once), once) << in;
    EXPECT_TRUE(text::is_valid_utf8(once));
    EXPECT_LE(once.size(), kMaxFilenameBytes);
  }
}

TEST(NormalizeMediaType, LowerCasesStripsParametersAndFoldsAliases) {
  EXPECT_EQ(normalize_media_type("Text/Plain; charset=UTF-8"), "text/plain");
  EXPECT_EQ(normalize_media_type(" image/JPG "), "image/jpeg");
  EXPECT_EQ(normalize_media_type("text/xml"), "application/xml");
  EXPECT_EQ(normalize_media_type("application/x-javascript"), "text/javascript");
  EXPECT_EQ(normalize_media_type("nonsense"), "");
  EXPECT_EQ(normalize_media_type("a/b/c"), "");
  EXPECT_EQ(normalize_media_type("text/html\r\nX-Evil: 1"), "");
  EXPECT_EQ(normalize_media_type(""), "");
}

TEST(RiskyForBrowser, MarkupAndScriptAreRisky) {
  for (const char* type : {"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml",
                           "application/xml", "application/javascript", "text/javascript",
                           "application/rss+xml", "text/css", "multipart/x-mixed-replace"}) {
    EXPECT_TRUE(is_risky_for_browser(type, type, "file")) << type;
  }
}

TEST(RiskyForBrowser, MatchingSafeTypesAreNot) {
  EXPECT_FALSE(is_risky_for_browser("image/png", "image/png", "photo.png"));
  EXPECT_FALSE(is_risky_for_browser("image/jpeg", "image/jpg", "photo.JPG"));
  EXPECT_FALSE(is_risky_for_browser("application/pdf", "application/pdf", "a.pdf"));
  EXPECT_FALSE(is_risky_for_browser("text/plain", "text/plain; charset=utf-8", "notes.txt"));
  EXPECT_FALSE(is_risky_for_browser("image/webp", "", "x"));
  EXPECT_FALSE(is_risky_for_browser("image/gif", "application/octet-stream", "x.gif"));
  EXPECT_FALSE(is_risky_for_browser("application/zip", "application/zip", "a.zip"));
}

TEST(RiskyForBrowser, UnknownBytesAreRisky) {
  EXPECT_TRUE(is_risky_for_browser("", "image/png", "a.png"));
  EXPECT_TRUE(is_risky_for_browser("application/octet-stream", "", "a.bin"));
  EXPECT_TRUE(is_risky_for_browser("application/x-empty", "", "empty.txt"));
  EXPECT_TRUE(is_risky_for_browser("garbage", "", "a"));
}

TEST(RiskyForBrowser, DisagreementBetweenBytesAndLabelIsRisky) {
  EXPECT_TRUE(is_risky_for_browser("text/plain", "image/png", "a.png"));
  EXPECT_TRUE(is_risky_for_browser("image/png", "image/gif", "a.png"));
  EXPECT_TRUE(is_risky_for_browser("image/png", "text/html", "a.png"));
  EXPECT_TRUE(is_risky_for_browser("image/png", "not a type", "a.png"));
  // The extension is a label too.
  EXPECT_TRUE(is_risky_for_browser("image/png", "", "a.jpg"));
  EXPECT_TRUE(is_risky_for_browser("text/plain", "", "page.html"));
  EXPECT_TRUE(is_risky_for_browser("text/plain", "text/plain", "drawing.SVG"));
  EXPECT_TRUE(is_risky_for_browser("image/png", "image/png", "dir/x.png\xe2\x80\xae.js"));
}

TEST(WithTypeExtension, AKindNameGetsTheExtensionOfItsBytes) {
  EXPECT_EQ(with_type_extension("image", "image/png"), "image.png");
  EXPECT_EQ(with_type_extension("voice", "audio/amr; charset=binary"), "voice.amr");
  EXPECT_EQ(with_type_extension("video", "video/mp4"), "video.mp4");
  // A name with an extension, or a type with no common one, stays.
  EXPECT_EQ(with_type_extension("scan.jpeg", "image/png"), "scan.jpeg");
  EXPECT_EQ(with_type_extension("file", "application/octet-stream"), "file");
  EXPECT_EQ(with_type_extension("", "image/png"), "");
}

}  // namespace
}  // namespace gongdan
