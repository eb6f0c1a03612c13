#include "markup/html_text.hpp"

#include "markup/html_document.hpp"
#include "util/text.hpp"

namespace gongdan::markup {
namespace {

constexpr std::size_t kMaxNesting = 2000;

bool is_hidden_content(const GumboNode* node) {
  if (node->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return true;  // svg, math
  switch (node->v.element.tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
      return true;
    default:
      return false;
  }
}

class TextBuilder {
 public:
  void text(std::string_view s, bool preformatted) {
    for (char c : s) {
      bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
      if (preformatted) {
        if (c == '\r') continue;
        out_.push_back(c);
        continue;
      }
      if (space) {
        if (!out_.empty() && out_.back() != ' ' && out_.back() != '\n') out_.push_back(' ');
      } else {
        out_.push_back(c);
      }
    }
  }
  void line_break() {
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    out_.push_back('\n');
  }
  void block_boundary() {
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    if (!out_.empty() && out_.back() != '\n') out_.push_back('\n');
  }
  std::string finish() {
    // At most one blank line in a row.
    std::string collapsed;
    collapsed.reserve(out_.size());
    int newlines = 0;
    for (char c : out_) {
      newlines = c == '\n' ? newlines + 1 : 0;
      if (newlines <= 2) collapsed.push_back(c);
    }
    return text::trim(collapsed);
  }

 private:
  std::string out_;
};

}  // namespace

std::string html_to_text(std::string_view html) {
  if (estimate_nesting(html) > kMaxNesting) {
    // Too deep to build a tree safely: drop the tags by hand.
    std::string out;
    bool in_tag = false;
    for (char c : html) {
      if (c == '<') in_tag = true;
      if (!in_tag) out.push_back(c);
      if (c == '>') in_tag = false;
    }
    return text::trim(out);
  }
  HtmlDocument document(html);
  TextBuilder builder;
  int pre_depth = 0;
  walk_html(
      document.body(),
      [&](const GumboNode* node) {
        if (is_text(node)) {
          builder.text(node->v.text.text, pre_depth > 0);
          return false;
        }
        switch (node->type) {
          case GUMBO_NODE_ELEMENT:
          case GUMBO_NODE_TEMPLATE:
            if (is_hidden_content(node)) return false;
            if (node->v.element.tag == GUMBO_TAG_BR) {
              builder.line_break();
              return false;
            }
            if (node->v.element.tag == GUMBO_TAG_PRE) ++pre_depth;
            if (is_block_element(node->v.element.tag)) builder.block_boundary();
            if (node->v.element.tag == GUMBO_TAG_TD || node->v.element.tag == GUMBO_TAG_TH) {
              builder.text(" ", false);
            }
            return true;
          default:
            return node->type == GUMBO_NODE_DOCUMENT;
        }
      },
      [&](const GumboNode* node) {
        if (!is_element(node)) return;
        if (node->v.element.tag == GUMBO_TAG_PRE) --pre_depth;
        if (is_block_element(node->v.element.tag)) builder.block_boundary();
      });
  return builder.finish();
}

}  // namespace gongdan::markup
