#include "domain/template.hpp"

#include <gtest/gtest.h>

namespace gongdan {
namespace {

FactMap facts() {
  return FactMap{
      {"ticket.number", std::int64_t{1024}},
      {"status", std::string("open")},
      {"requester.name", std::string("<b>O'Brien & \"Li\"</b>")},
      {"ticket.subject", std::string("打印机 \"坏了\"\nline2\\")},
      {"tags", FactList{"vip", "hardware"}},
      {"custom_fields.urgent", true},
  };
}

TEST(Template, RendersPlaceholders) {
  EXPECT_EQ(render_template("#{{ticket.number}} is {{ ticket.status }}, tags {{tags}}; "
                            "{{custom_fields.urgent}}",
                            facts(), EscapeContext::kPlainText),
            "#1024 is open, tags vip, hardware; true");
}

TEST(Template, UnknownPlaceholdersRenderEmptyAndMalformedOnesStay) {
  EXPECT_EQ(render_template("[{{nope.nothing}}]", facts(), EscapeContext::kHtml), "[]");
  EXPECT_EQ(
      render_template("{{ ticket number }} {{ticket.number}}", facts(), EscapeContext::kPlainText),
      "{{ ticket number }} 1024");
  EXPECT_EQ(render_template("tail {{ticket.number", facts(), EscapeContext::kPlainText),
            "tail {{ticket.number");
}

TEST(Template, EscapesValuesForHtml) {
  EXPECT_EQ(render_template("<p>Dear {{requester.name}}</p>", facts(), EscapeContext::kHtml),
            "<p>Dear &lt;b&gt;O&#39;Brien &amp; &quot;Li&quot;&lt;/b&gt;</p>");
}

TEST(Template, EscapesValuesForJson) {
  EXPECT_EQ(
      render_template(R"({"subject": "{{ticket.subject}}", "who": "{{requester.name}}"})", facts(),
                      EscapeContext::kJson),
      R"({"subject": "打印机 \"坏了\"\nline2\\", "who": "\u003cb>O'Brien & \"Li\"\u003c/b>"})");
  EXPECT_EQ(escape_for("\x01\xE2\x80\xA8", EscapeContext::kJson), "\\u0001\\u2028");
}

TEST(Template, EscapesValuesForUrls) {
  EXPECT_EQ(render_template("https://x/search?q={{ticket.subject}}", facts(), EscapeContext::kUrl),
            "https://x/search?q=%E6%89%93%E5%8D%B0%E6%9C%BA%20%22%E5%9D%8F%E4%BA%86%22%0Aline2%5C");
  EXPECT_EQ(escape_for("a-b_c.d~e&f=g", EscapeContext::kUrl), "a-b_c.d~e%26f%3Dg");
}

TEST(Template, PlainTextIsUnchanged) {
  EXPECT_EQ(render_template("{{requester.name}}", facts(), EscapeContext::kPlainText),
            "<b>O'Brien & \"Li\"</b>");
}

TEST(Template, ValidateReportsUnknownAndMalformedPlaceholders) {
  EXPECT_TRUE(validate_template("Hi {{requester.name}}, #{{ ticket.number }} "
                                "{{custom_fields.plan}}")
                  .empty());
  const auto issues =
      validate_template("{{requester.nam}} {{ ticket number }} ok {{ticket.subject");
  ASSERT_EQ(issues.size(), 3u);
  EXPECT_EQ(issues[0].placeholder, "requester.nam");
  EXPECT_EQ(issues[0].offset, 0u);
  EXPECT_NE(issues[0].message.find("unknown placeholder"), std::string::npos);
  EXPECT_NE(issues[1].message.find("a placeholder is a name"), std::string::npos);
  EXPECT_EQ(issues[1].offset, 18u);
  EXPECT_NE(issues[2].message.find("never closed"), std::string::npos);
  EXPECT_FALSE(is_known_placeholder("custom_fields."));
}

TEST(Template, ArticleLinksAreKnownPlaceholdersAndListedOnce) {
  EXPECT_TRUE(is_known_placeholder("kb.article.12"));
  EXPECT_TRUE(is_known_placeholder("kb.article.12.url"));
  EXPECT_TRUE(is_known_placeholder("kb.article.12.title"));
  for (auto bad : {"kb.article.", "kb.article.x", "kb.article.012", "kb.article.12.body",
                   "kb.article.-1", "kb.article.1234567890123456", "kb.article.12.url.url"})
    EXPECT_FALSE(is_known_placeholder(bad)) << bad;
  EXPECT_EQ(linked_article("kb.article.12.title"), 12);
  EXPECT_EQ(linked_article("ticket.number"), std::nullopt);
  EXPECT_TRUE(validate_template("See {{ kb.article.7 }} or {{kb.article.7.url}}").empty());
  EXPECT_EQ(linked_articles("{{kb.article.7}} {{kb.article.3.url}} {{kb.article.7.title}} "
                            "{{kb.article.x}} {{ticket.number}}"),
            (std::vector<std::int64_t>{7, 3}));
  // Rendered from the facts like any other placeholder (services/kb_links.cpp fills them).
  FactMap f{{"kb.article.7", std::string("Reset a password: https://desk/help/en/articles/7")}};
  EXPECT_EQ(render_template("See {{kb.article.7}}.", f, EscapeContext::kPlainText),
            "See Reset a password: https://desk/help/en/articles/7.");
}

}  // namespace
}  // namespace gongdan
