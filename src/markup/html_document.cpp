#include "markup/html_document.hpp"

#include <algorithm>
#include <cctype>

#include "util/text.hpp"

namespace gongdan::markup {

namespace {

// gumbo 0.10.1 (Debian's) is built with its assertions on, and one of them fails on a CDATA
// section in MathML inside a table (<table><math><mi><![CDATA[d]]>x): abort(), the whole server
// down on one mail. CDATA means something only in SVG and MathML, which the sanitiser and the
// text extractor drop; elsewhere "<![CDATA[" opens a bogus comment, and so does "<!-CDATA[", which
// replaces it here at the same length. Found by tests/fuzz/html_sanitizer.
void defuse_cdata(std::string& source) {
  constexpr std::string_view kCdata = "<![CDATA[";
  for (auto at = source.find(kCdata); at != std::string::npos; at = source.find(kCdata, at + 1))
    source[at + 2] = '-';
}

}  // namespace

HtmlDocument::HtmlDocument(std::string_view html) : source_(html) {
  defuse_cdata(source_);
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // we never read parse errors; recording them costs memory
  output_ = gumbo_parse_with_options(&options, source_.data(), source_.size());
}

HtmlDocument::~HtmlDocument() {
  if (output_ != nullptr) gumbo_destroy_output(&kGumboDefaultOptions, output_);
}

const GumboNode* HtmlDocument::body() const {
  if (output_ == nullptr) return nullptr;
  const GumboNode* root = output_->root;
  const GumboVector* children = children_of(root);
  for (unsigned i = 0; children != nullptr && i < children->length; ++i) {
    auto* child = static_cast<const GumboNode*>(children->data[i]);
    if (is_html_element(child, GUMBO_TAG_BODY)) return child;
  }
  return root;
}

const GumboVector* children_of(const GumboNode* node) {
  if (node == nullptr) return nullptr;
  switch (node->type) {
    case GUMBO_NODE_DOCUMENT:
      return &node->v.document.children;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      return &node->v.element.children;
    default:
      return nullptr;
  }
}

bool is_element(const GumboNode* node) {
  return node != nullptr && (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE);
}

bool is_text(const GumboNode* node) {
  return node != nullptr && (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
                             node->type == GUMBO_NODE_CDATA);
}

bool is_html_element(const GumboNode* node, GumboTag tag) {
  return is_element(node) && node->v.element.tag == tag &&
         node->v.element.tag_namespace == GUMBO_NAMESPACE_HTML;
}

const char* attribute_value(const GumboNode* node, const char* name) {
  if (!is_element(node)) return nullptr;
  const GumboAttribute* attribute = gumbo_get_attribute(&node->v.element.attributes, name);
  return attribute != nullptr ? attribute->value : nullptr;
}

bool is_void_element(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_WBR:
    case GUMBO_TAG_BASEFONT:
    case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_KEYGEN:
      return true;
    default:
      return false;
  }
}

bool is_block_element(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_UL:
      return true;
    default:
      return false;
  }
}

void append_escaped_text(std::string& out, std::string_view text) {
  text::append_html_escaped(out, text);
}

void append_escaped_attribute(std::string& out, std::string_view value) {
  text::append_html_escaped(out, value);
}

std::size_t estimate_nesting(std::string_view html) {
  // A small model of the open-element stack: open tags push (unless void), end tags pop back to
  // their match when there is one and are ignored otherwise, as a browser would.
  static constexpr std::string_view kVoid[] = {
      "area", "base",  "br",     "col",   "embed", "hr",       "img",     "input",  "link",
      "meta", "param", "source", "track", "wbr",   "basefont", "bgsound", "keygen", "image"};
  std::vector<std::string> open;
  std::size_t deepest = 0;
  std::size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string_view::npos) {
    ++pos;
    bool closing = pos < html.size() && html[pos] == '/';
    if (closing) ++pos;
    std::size_t begin = pos;
    while (pos < html.size() && (std::isalnum(static_cast<unsigned char>(html[pos])) != 0)) ++pos;
    if (pos == begin) continue;
    std::string name(html.substr(begin, std::min<std::size_t>(pos - begin, 16)));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (closing) {
      // Search only near the top, keeping the scan linear.
      std::size_t limit = std::min<std::size_t>(open.size(), 64);
      for (std::size_t i = 0; i < limit; ++i) {
        if (open[open.size() - 1 - i] == name) {
          open.resize(open.size() - 1 - i);
          break;
        }
      }
      continue;
    }
    if (std::find(std::begin(kVoid), std::end(kVoid), name) != std::end(kVoid)) continue;
    open.push_back(std::move(name));
    deepest = std::max(deepest, open.size());
  }
  return deepest;
}

}  // namespace gongdan::markup
