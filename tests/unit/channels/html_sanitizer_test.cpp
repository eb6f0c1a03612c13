#include "channels/email/html_sanitizer.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "channels/email/html_document.hpp"
#include "channels/email/mime_parser.hpp"
#include "fixture_file.hpp"
#include "util/text.hpp"

namespace gongdan::email {
namespace {

bool scheme_is(std::string_view url, std::string_view scheme) {
  return text::to_lower_ascii(url.substr(0, scheme.size())) == scheme;
}

// Re-parses sanitiser output the way a browser would and checks every element and attribute,
// so a payload "survives" only if something executable is really in the tree.
void expect_safe(const std::string& html, const std::string& payload, bool remote_allowed = false) {
  static const std::set<std::string> kForbiddenTags = {
      "script", "style",   "iframe",    "frame",    "frameset", "object",  "embed", "applet",
      "svg",    "math",    "meta",      "link",     "base",     "form",    "input", "button",
      "select", "option",  "textarea",  "template", "noscript", "audio",   "video", "source",
      "xmp",    "bgsound", "plaintext", "keygen",   "marquee",  "details", "title", "noembed"};
  static const std::set<std::string> kForbiddenAttributes = {
      "id",         "name",   "class",  "background", "dynsrc", "lowsrc",    "action",
      "formaction", "srcset", "poster", "data",       "xmlns",  "autofocus", "open"};
  SCOPED_TRACE("payload: " + payload + "\noutput: " + html);
  EXPECT_EQ(text::to_lower_ascii(html).find("<script"), std::string::npos);
  HtmlDocument document(html);
  walk_html(
      document.body(),
      [&](const GumboNode* node) {
        if (!is_element(node)) return false;
        const GumboElement& element = node->v.element;
        if (node != document.body()) {
          EXPECT_EQ(element.tag_namespace, GUMBO_NAMESPACE_HTML);
          std::string tag = gumbo_normalized_tagname(element.tag);
          EXPECT_NE(element.tag, GUMBO_TAG_UNKNOWN);
          EXPECT_FALSE(kForbiddenTags.contains(tag)) << tag;
        }
        for (unsigned i = 0; i < element.attributes.length; ++i) {
          auto* attribute = static_cast<const GumboAttribute*>(element.attributes.data[i]);
          std::string name = text::to_lower_ascii(attribute->name);
          std::string value = text::to_lower_ascii(attribute->value);
          EXPECT_FALSE(name.starts_with("on")) << name;
          EXPECT_FALSE(kForbiddenAttributes.contains(name)) << name;
          if (name == "href" || name == "cite") {
            EXPECT_TRUE(scheme_is(value, "http:") || scheme_is(value, "https:") ||
                        scheme_is(value, "mailto:") || scheme_is(value, "tel:"))
                << value;
          }
          if (name == "src") {
            bool ok = scheme_is(value, "cid:") || scheme_is(value, "data:image/png") ||
                      scheme_is(value, "data:image/gif") || scheme_is(value, "data:image/jpeg");
            if (remote_allowed) ok = ok || scheme_is(value, "https:") || scheme_is(value, "http:");
            EXPECT_TRUE(ok) << value;
          }
          if (name == "style") {
            for (const char* bad : {"url", "expression", "behavior", "binding", "position", "\\",
                                    "javascript", "import"}) {
              EXPECT_EQ(value.find(bad), std::string::npos) << value;
            }
          }
          if (name == "rel") {
            EXPECT_EQ(value, "noopener noreferrer nofollow");
          }
          if (name == "target") {
            EXPECT_EQ(value, "_blank");
          }
        }
        return true;
      },
      [](const GumboNode*) {});
}

std::vector<std::string> load_payloads() {
  std::istringstream in(test_support::email_fixture("xss-payloads.txt"));
  std::vector<std::string> payloads;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.starts_with("# ")) continue;
    payloads.push_back(line);
  }
  return payloads;
}

TEST(HtmlSanitizer, XssCorpusNothingSurvives) {
  auto payloads = load_payloads();
  ASSERT_GE(payloads.size(), 40u);
  for (const auto& payload : payloads) {
    std::string once = sanitize_html(payload);
    expect_safe(once, payload);
    // Output must be stable when parsed again (no mutation XSS through re-serialisation).
    EXPECT_EQ(sanitize_html(once), once) << payload;
    // Wrapped inside ordinary mail markup as well.
    expect_safe(sanitize_html("<div><p>Hello</p>" + payload + "<p>bye</p></div>"), payload);
  }
}

TEST(HtmlSanitizer, XssCorpusWithRemoteImagesAllowed) {
  SanitizeOptions options;
  options.allow_remote_images = true;
  for (const auto& payload : load_payloads()) {
    expect_safe(sanitize_html(payload, options), payload, true);
  }
}

TEST(HtmlSanitizer, GbkXssFixtureIsNeutralised) {
  auto parsed = parse_message(test_support::email_fixture("constructed-html-xss-payloads-gbk.eml"));
  ASSERT_TRUE(parsed);
  std::string safe = sanitize_html(parsed->html_body);
  expect_safe(safe, "constructed-html-xss-payloads-gbk.eml");
  EXPECT_NE(safe.find("请查看附件中的发票信息"), std::string::npos);
  // The tracking pixel sits after the <math> mXSS payload, which swallows it: either way it must
  // not load.
  EXPECT_EQ(safe.find("src=\"http"), std::string::npos);
  EXPECT_EQ(safe.find("evil.example/\""), std::string::npos);  // <base>, meta refresh gone
  EXPECT_EQ(safe.find("password"), std::string::npos);
}

TEST(HtmlSanitizer, KeepsOrdinaryFormatting) {
  EXPECT_EQ(sanitize_html("<p><b>Bold</b> <i>it</i> <u>u</u></p>"),
            "<p><b>Bold</b> <i>it</i> <u>u</u></p>");
  EXPECT_EQ(sanitize_html("<table border=\"1\"><tr><td colspan=\"2\">x</td></tr></table>"),
            "<table border=\"1\"><tbody><tr><td colspan=\"2\">x</td></tr></tbody></table>");
  EXPECT_EQ(sanitize_html("<ul><li>一</li><li>二</li></ul>"), "<ul><li>一</li><li>二</li></ul>");
  EXPECT_EQ(sanitize_html("<font color=\"red\" face=\"微软雅黑\">红</font>"),
            "<font color=\"red\" face=\"微软雅黑\">红</font>");
}

TEST(HtmlSanitizer, LinksGetRelAndTarget) {
  EXPECT_EQ(sanitize_html("<a href=\"https://example.com/?a=1&amp;b=2\" target=_self>x</a>"),
            "<a href=\"https://example.com/?a=1&amp;b=2\" rel=\"noopener noreferrer nofollow\" "
            "target=\"_blank\">x</a>");
  EXPECT_EQ(sanitize_html("<a href=\"mailto:a@b.cn\">m</a>"),
            "<a href=\"mailto:a@b.cn\" rel=\"noopener noreferrer nofollow\" "
            "target=\"_blank\">m</a>");
  EXPECT_EQ(sanitize_html("<a href=\"/relative\">r</a>"), "<a>r</a>");
}

TEST(HtmlSanitizer, StyleKeepsHarmlessPropertiesOnly) {
  EXPECT_EQ(sanitize_html("<span style=\"color: #f00; position: absolute; font-weight: bold; "
                          "background-color: rgb(1, 2, 3); background: url(x)\">s</span>"),
            "<span style=\"color: #f00; font-weight: bold; background-color: rgb(1, 2, "
            "3)\">s</span>");
  EXPECT_EQ(sanitize_html("<p style=\"margin-top:-9999px;text-align:center\">c</p>"),
            "<p style=\"text-align: center\">c</p>");
}

TEST(HtmlSanitizer, ImagesCidDataAndRemote) {
  EXPECT_EQ(sanitize_html("<img src=\"cid:logo001@example.cn\" alt=\"logo\">"),
            "<img src=\"cid:logo001@example.cn\" alt=\"logo\">");
  EXPECT_EQ(sanitize_html("<img src=\"data:image/png;base64,iVBORw0KGgo=\">"),
            "<img src=\"data:image/png;base64,iVBORw0KGgo=\">");
  EXPECT_EQ(sanitize_html("<img src=\"https://cdn.example/a.png\">"),
            "<img data-src-blocked=\"https://cdn.example/a.png\">");
  SanitizeOptions allow;
  allow.allow_remote_images = true;
  EXPECT_EQ(sanitize_html("<img src=\"https://cdn.example/a.png\">", allow),
            "<img src=\"https://cdn.example/a.png\">");
}

TEST(HtmlSanitizer, DropsCodeWithContentButKeepsFormText) {
  EXPECT_EQ(sanitize_html("<p>a</p><script>evil()</script><style>p{}</style><p>b</p>"),
            "<p>a</p><p>b</p>");
  EXPECT_EQ(sanitize_html("<form action=\"https://x\">Name <input name=q></form>"), "Name ");
  EXPECT_EQ(sanitize_html("<custom-tag>kept text</custom-tag>"), "kept text");
  EXPECT_EQ(sanitize_html("1 &lt; 2 &amp; 3 > 2"), "1 &lt; 2 &amp; 3 &gt; 2");
}

TEST(HtmlSanitizer, DeepNestingFallsBackToText) {
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "deep";
  std::string safe = sanitize_html(html);
  EXPECT_EQ(safe, "<p>deep</p>");
}

TEST(HtmlSanitizer, InvalidUtf8NeverPassesThrough) {
  std::string safe = sanitize_html("<p>\xFF\xFE ok</p>");
  EXPECT_TRUE(text::is_valid_utf8(safe));
}

}  // namespace
}  // namespace gongdan::email
