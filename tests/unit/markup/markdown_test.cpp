// Markdown rendering: what articles are written in becomes safe HTML, and the hostile seeds of
// the fuzz target (tests/fuzz/markdown/corpus) keep every promise in each build.
#include <gtest/gtest.h>

#include <filesystem>

#include "fuzz/markdown/target.hpp"
#include "markup/markdown.hpp"
#include "unit/fixture_file.hpp"

namespace gongdan::markup {
namespace {

namespace fs = std::filesystem;

TEST(Markdown, RendersTheUsualMarkup) {
  const auto html = markdown_to_html("# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n");
  EXPECT_NE(html.find("<h1>Title</h1>"), std::string::npos) << html;
  EXPECT_NE(html.find("<strong>bold</strong>"), std::string::npos) << html;
  EXPECT_NE(html.find("<code>code</code>"), std::string::npos) << html;
  EXPECT_NE(html.find("<li>two</li>"), std::string::npos) << html;
}

TEST(Markdown, RendersGithubTables) {
  const auto html = markdown_to_html("| a | b |\n|---|---|\n| 1 | 2 |\n");
  EXPECT_NE(html.find("<table>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>2</td>"), std::string::npos) << html;
}

TEST(Markdown, RawHtmlScriptsAndHandlersDoNotSurvive) {
  const auto html = markdown_to_html(
      "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<b onclick=x()>b</b>");
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("onerror"), std::string::npos) << html;
  EXPECT_EQ(html.find("onclick"), std::string::npos) << html;
}

TEST(Markdown, JavascriptLinksLoseTheirTarget) {
  const auto html = markdown_to_html("[a](javascript:alert(1)) [b](https://example.com/x)");
  EXPECT_EQ(html.find("javascript"), std::string::npos) << html;
  EXPECT_NE(html.find("href=\"https://example.com/x\""), std::string::npos) << html;
}

TEST(Markdown, KeepsTheArticlesOwnFilesAndNoOtherPathOfTheServer) {
  const auto html = markdown_to_html(
      "![diagram](/help-files/12) [manual](/help-files/13)\n\n"
      "![a](/help-files/12/../../api/v1/tickets) ![b](/help-files/12?x=1) "
      "![c](/api/v1/attachments/3) [d](/help-files/) [e](help-files/4)");
  EXPECT_NE(html.find("<img src=\"/help-files/12\" alt=\"diagram\""), std::string::npos) << html;
  EXPECT_NE(html.find("href=\"/help-files/13\""), std::string::npos) << html;
  EXPECT_EQ(html.find("/api/"), std::string::npos) << html;
  EXPECT_EQ(html.find("?x=1"), std::string::npos) << html;
  EXPECT_EQ(html.find("href=\"/help-files/\""), std::string::npos) << html;
  EXPECT_EQ(html.find("help-files/4"), std::string::npos) << html;
}

TEST(Markdown, PlainTextKeepsTheWords) {
  const auto rendered = render_markdown("# 打印机\n\n办公室的**打印机**无法连接");
  EXPECT_NE(rendered.text.find("办公室的打印机无法连接"), std::string::npos) << rendered.text;
}

TEST(Markdown, LongInputIsCut) {
  const std::string big(2000, 'a');
  EXPECT_LT(markdown_to_html(big, 100).size(), 200u);
}

TEST(MarkdownFuzzCorpus, EverySeedKeepsThePromises) {
  std::size_t count = 0;
  for (const auto& entry :
       fs::directory_iterator(fs::path(GONGDAN_FIXTURES) / ".." / "fuzz" / "markdown" / "corpus")) {
    SCOPED_TRACE(entry.path().string());
    EXPECT_EQ(fuzz::broken_markdown_promise(test_support::read_file(entry.path())), "");
    ++count;
  }
  EXPECT_GE(count, 10u);
}

}  // namespace
}  // namespace gongdan::markup
