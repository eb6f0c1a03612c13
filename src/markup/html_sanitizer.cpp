#include "markup/html_sanitizer.hpp"

#include <array>
#include <cstring>
#include <vector>

#include "markup/html_document.hpp"
#include "markup/html_text.hpp"
#include "util/text.hpp"

namespace gongdan::markup {
namespace {

// Passes over the output before giving up on it standing still (two are enough in practice).
constexpr int kMaxRounds = 4;

enum class Policy { kKeep, kUnwrap, kDrop };

// Kept, with their allow-listed attributes.
constexpr std::array kKeptTags = {
    GUMBO_TAG_A,       GUMBO_TAG_ABBR,       GUMBO_TAG_ACRONYM,    GUMBO_TAG_ADDRESS,
    GUMBO_TAG_ARTICLE, GUMBO_TAG_ASIDE,      GUMBO_TAG_B,          GUMBO_TAG_BDI,
    GUMBO_TAG_BDO,     GUMBO_TAG_BIG,        GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_BR,
    GUMBO_TAG_CAPTION, GUMBO_TAG_CENTER,     GUMBO_TAG_CITE,       GUMBO_TAG_CODE,
    GUMBO_TAG_COL,     GUMBO_TAG_COLGROUP,   GUMBO_TAG_DD,         GUMBO_TAG_DEL,
    GUMBO_TAG_DFN,     GUMBO_TAG_DIV,        GUMBO_TAG_DL,         GUMBO_TAG_DT,
    GUMBO_TAG_EM,      GUMBO_TAG_FIGCAPTION, GUMBO_TAG_FIGURE,     GUMBO_TAG_FONT,
    GUMBO_TAG_FOOTER,  GUMBO_TAG_H1,         GUMBO_TAG_H2,         GUMBO_TAG_H3,
    GUMBO_TAG_H4,      GUMBO_TAG_H5,         GUMBO_TAG_H6,         GUMBO_TAG_HEADER,
    GUMBO_TAG_HR,      GUMBO_TAG_I,          GUMBO_TAG_IMG,        GUMBO_TAG_INS,
    GUMBO_TAG_KBD,     GUMBO_TAG_LI,         GUMBO_TAG_MARK,       GUMBO_TAG_OL,
    GUMBO_TAG_P,       GUMBO_TAG_PRE,        GUMBO_TAG_Q,          GUMBO_TAG_RP,
    GUMBO_TAG_RT,      GUMBO_TAG_RUBY,       GUMBO_TAG_S,          GUMBO_TAG_SAMP,
    GUMBO_TAG_SECTION, GUMBO_TAG_SMALL,      GUMBO_TAG_SPAN,       GUMBO_TAG_STRIKE,
    GUMBO_TAG_STRONG,  GUMBO_TAG_SUB,        GUMBO_TAG_SUP,        GUMBO_TAG_TABLE,
    GUMBO_TAG_TBODY,   GUMBO_TAG_TD,         GUMBO_TAG_TFOOT,      GUMBO_TAG_TH,
    GUMBO_TAG_THEAD,   GUMBO_TAG_TR,         GUMBO_TAG_TT,         GUMBO_TAG_U,
    GUMBO_TAG_UL,      GUMBO_TAG_VAR,        GUMBO_TAG_WBR};
// Dropped with everything inside. Code, embedded content, form controls and document metadata:
// nothing inside is text the agent needs, and much of it is how attacks arrive.
constexpr std::array kDroppedTags = {
    GUMBO_TAG_SCRIPT,   GUMBO_TAG_STYLE,     GUMBO_TAG_IFRAME,   GUMBO_TAG_FRAME,
    GUMBO_TAG_FRAMESET, GUMBO_TAG_NOFRAMES,  GUMBO_TAG_OBJECT,   GUMBO_TAG_EMBED,
    GUMBO_TAG_APPLET,   GUMBO_TAG_PARAM,     GUMBO_TAG_NOSCRIPT, GUMBO_TAG_NOEMBED,
    GUMBO_TAG_TEMPLATE, GUMBO_TAG_HEAD,      GUMBO_TAG_TITLE,    GUMBO_TAG_META,
    GUMBO_TAG_LINK,     GUMBO_TAG_BASE,      GUMBO_TAG_BASEFONT, GUMBO_TAG_BGSOUND,
    GUMBO_TAG_INPUT,    GUMBO_TAG_BUTTON,    GUMBO_TAG_SELECT,   GUMBO_TAG_OPTION,
    GUMBO_TAG_OPTGROUP, GUMBO_TAG_TEXTAREA,  GUMBO_TAG_KEYGEN,   GUMBO_TAG_DATALIST,
    GUMBO_TAG_OUTPUT,   GUMBO_TAG_CANVAS,    GUMBO_TAG_AUDIO,    GUMBO_TAG_VIDEO,
    GUMBO_TAG_SOURCE,   GUMBO_TAG_TRACK,     GUMBO_TAG_MAP,      GUMBO_TAG_AREA,
    GUMBO_TAG_XMP,      GUMBO_TAG_PLAINTEXT, GUMBO_TAG_ISINDEX,  GUMBO_TAG_MENUITEM,
    GUMBO_TAG_SVG,      GUMBO_TAG_MATH};

Policy policy_for(const GumboNode* node) {
  if (node->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return Policy::kDrop;  // svg, math
  // Every other element is unwrapped: html, body, form, label, unknown tags ...
  static const auto kPolicies = [] {
    std::array<Policy, GUMBO_TAG_LAST + 1> policies;
    policies.fill(Policy::kUnwrap);
    for (GumboTag tag : kKeptTags) policies[tag] = Policy::kKeep;
    for (GumboTag tag : kDroppedTags) policies[tag] = Policy::kDrop;
    return policies;
  }();
  const GumboTag tag = node->v.element.tag;
  return tag <= GUMBO_TAG_LAST ? kPolicies[tag] : Policy::kUnwrap;
}

constexpr std::array kPlainAttributes = {
    "abbr",     "align",   "alt",     "axis",   "bgcolor", "border",  "cellpadding", "cellspacing",
    "char",     "charoff", "clear",   "color",  "colspan", "compact", "datetime",    "dir",
    "face",     "frame",   "headers", "height", "hspace",  "lang",    "noshade",     "nowrap",
    "reversed", "rowspan", "rules",   "scope",  "size",    "span",    "start",       "summary",
    "title",    "type",    "valign",  "vspace", "width"};

constexpr std::array kStyleProperties = {"color",
                                         "background-color",
                                         "font",
                                         "font-family",
                                         "font-size",
                                         "font-style",
                                         "font-weight",
                                         "font-variant",
                                         "text-decoration",
                                         "text-decoration-line",
                                         "text-decoration-color",
                                         "text-decoration-style",
                                         "text-align",
                                         "text-indent",
                                         "text-transform",
                                         "vertical-align",
                                         "line-height",
                                         "letter-spacing",
                                         "word-spacing",
                                         "white-space",
                                         "word-break",
                                         "word-wrap",
                                         "overflow-wrap",
                                         "direction",
                                         "margin",
                                         "margin-top",
                                         "margin-right",
                                         "margin-bottom",
                                         "margin-left",
                                         "padding",
                                         "padding-top",
                                         "padding-right",
                                         "padding-bottom",
                                         "padding-left",
                                         "border",
                                         "border-top",
                                         "border-right",
                                         "border-bottom",
                                         "border-left",
                                         "border-color",
                                         "border-style",
                                         "border-width",
                                         "border-top-color",
                                         "border-right-color",
                                         "border-bottom-color",
                                         "border-left-color",
                                         "border-top-style",
                                         "border-right-style",
                                         "border-bottom-style",
                                         "border-left-style",
                                         "border-top-width",
                                         "border-right-width",
                                         "border-bottom-width",
                                         "border-left-width",
                                         "border-collapse",
                                         "border-spacing",
                                         "border-radius",
                                         "width",
                                         "min-width",
                                         "max-width",
                                         "height",
                                         "min-height",
                                         "max-height",
                                         "list-style-type",
                                         "table-layout",
                                         "caption-side",
                                         "empty-cells"};

template <std::size_t N>
bool contains(const std::array<const char*, N>& list, std::string_view name) {
  for (const char* item : list) {
    if (name == item) return true;
  }
  return false;
}

// What a browser would see as the URL: leading/trailing spaces and controls removed, and the
// tabs and newlines it ignores inside ("java\tscript:") removed too.
std::string normalise_url(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (static_cast<unsigned char>(c) > 0x20 || c == ' ') out.push_back(c);
  }
  return text::trim(out);
}

// The lower-cased scheme, or "" for a relative URL.
std::string url_scheme(std::string_view url) {
  std::size_t colon = url.find(':');
  if (colon == std::string_view::npos) return {};
  std::size_t delimiter = url.find_first_of("/?#");
  if (delimiter != std::string_view::npos && delimiter < colon) return {};
  return text::to_lower_ascii(url.substr(0, colon));
}

bool is_safe_link(const std::string& url) {
  std::string scheme = url_scheme(url);
  return scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
}

bool is_inline_image_data(const std::string& url) {
  std::string lower = text::to_lower_ascii(url.substr(0, 32));
  for (const char* prefix : {"data:image/png", "data:image/jpeg", "data:image/jpg",
                             "data:image/gif", "data:image/webp", "data:image/bmp"}) {
    std::size_t length = std::strlen(prefix);
    if (lower.starts_with(prefix) && lower.size() > length &&
        (lower[length] == ';' || lower[length] == ',')) {
      return true;
    }
  }
  return false;
}

// "/help-files/12" for the prefix "/help-files/": digits only after it, so nothing else of the
// server (no query, no "..", no other path) can be named.
bool is_local_file(const std::string& url, std::string_view prefix) {
  if (prefix.empty() || !url.starts_with(prefix) || url.size() == prefix.size() ||
      url.size() > prefix.size() + 18)
    return false;
  for (std::size_t i = prefix.size(); i < url.size(); ++i)
    if (url[i] < '0' || url[i] > '9') return false;
  return true;
}

bool is_remote(const std::string& url) {
  std::string scheme = url_scheme(url);
  return scheme == "http" || scheme == "https" || url.starts_with("//");
}

// "//host/pixel.gif" loads over the page's scheme; spell it out so every reader sees a remote URL.
std::string absolute_remote(const std::string& url) {
  return url.starts_with("//") ? "https:" + url : url;
}

bool is_safe_style_value(const std::string& property, std::string_view value) {
  std::string lower = text::to_lower_ascii(value);
  if (lower.empty() || lower.size() > 200) return false;
  for (const char* bad :
       {"url", "expression", "script", "behavior", "behaviour", "binding", "import", "image",
        "var(", "attr(", "env(", "/*", "\\", "<", ">", "{", "}", "@", "&"}) {
    if (lower.find(bad) != std::string::npos) return false;
  }
  // Parentheses only for colour functions.
  for (std::size_t open = lower.find('('); open != std::string::npos;
       open = lower.find('(', open + 1)) {
    std::string_view before = std::string_view(lower).substr(0, open);
    if (!before.ends_with("rgb") && !before.ends_with("rgba") && !before.ends_with("hsl") &&
        !before.ends_with("hsla")) {
      return false;
    }
  }
  // A negative margin can pull a message over the agent's screen.
  if (property.starts_with("margin") && lower.find('-') != std::string::npos) return false;
  return true;
}

std::string filter_style(std::string_view css) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= css.size()) {
    std::size_t end = css.find(';', pos);
    if (end == std::string_view::npos) end = css.size();
    std::string_view declaration = css.substr(pos, end - pos);
    pos = end + 1;
    std::size_t colon = declaration.find(':');
    if (colon == std::string_view::npos) continue;
    std::string property = text::to_lower_ascii(text::trim(declaration.substr(0, colon)));
    std::string value = text::trim(declaration.substr(colon + 1));
    if (!contains(kStyleProperties, property) || !is_safe_style_value(property, value)) continue;
    if (!out.empty()) out += "; ";
    out += property + ": " + value;
  }
  return out;
}

void append_attribute(std::string& out, std::string_view name, std::string_view value) {
  out.push_back(' ');
  out += name;
  out += "=\"";
  append_escaped_attribute(out, value);
  out.push_back('"');
}

void append_start_tag(std::string& out, const GumboNode* node, const SanitizeOptions& options) {
  const GumboElement& element = node->v.element;
  out.push_back('<');
  out += gumbo_normalized_tagname(element.tag);
  bool kept_href = false;
  for (unsigned i = 0; i < element.attributes.length; ++i) {
    auto* attribute = static_cast<const GumboAttribute*>(element.attributes.data[i]);
    if (attribute->attr_namespace != GUMBO_ATTR_NAMESPACE_NONE) continue;
    std::string name = text::to_lower_ascii(attribute->name);
    std::string_view value = attribute->value;
    if (contains(kPlainAttributes, name)) {
      if (value.size() <= 1000) append_attribute(out, name, text::strip_controls(value));
    } else if (name == "style") {
      std::string style = filter_style(value);
      if (!style.empty()) append_attribute(out, "style", style);
    } else if (name == "href" && element.tag == GUMBO_TAG_A) {
      std::string url = normalise_url(value);
      if (is_safe_link(url) || is_local_file(url, options.local_files_prefix)) {
        append_attribute(out, "href", url);
        kept_href = true;
      }
    } else if (name == "cite" &&
               (element.tag == GUMBO_TAG_BLOCKQUOTE || element.tag == GUMBO_TAG_Q ||
                element.tag == GUMBO_TAG_DEL || element.tag == GUMBO_TAG_INS)) {
      std::string url = normalise_url(value);
      if (is_safe_link(url)) append_attribute(out, "cite", url);
    } else if (name == "src" && element.tag == GUMBO_TAG_IMG) {
      std::string url = normalise_url(value);
      if (url_scheme(url) == "cid" || is_inline_image_data(url) ||
          is_local_file(url, options.local_files_prefix)) {
        append_attribute(out, "src", url);
      } else if (is_remote(url)) {
        // Remote images are how senders learn a message was opened: keep the address aside.
        append_attribute(out, options.allow_remote_images ? "src" : "data-src-blocked",
                         absolute_remote(url));
      }
    } else if (name == "data-src-blocked" && element.tag == GUMBO_TAG_IMG) {
      // Our own marker, kept so that sanitising twice gives the same result.
      std::string url = normalise_url(value);
      if (is_remote(url)) append_attribute(out, "data-src-blocked", absolute_remote(url));
    }
  }
  if (kept_href) {
    append_attribute(out, "rel", "noopener noreferrer nofollow");
    append_attribute(out, "target", "_blank");
  }
  out.push_back('>');
}

std::string escaped_text_only(std::string_view html) {
  std::string out = "<p>";
  // Without control characters, as in the allow-list's output: a parser turns some into U+FFFD.
  std::string plain = text::strip_controls(html_to_text(html), true);
  for (char c : plain) {
    if (c == '\n') {
      out += "<br>";
    } else {
      append_escaped_text(out, std::string_view(&c, 1));
    }
  }
  return out + "</p>";
}

// One pass: parse as a browser would and write back only what the allow-list keeps.
std::string sanitize_once(const std::string& valid, const SanitizeOptions& options) {
  HtmlDocument document(valid);
  std::string out;
  out.reserve(valid.size());
  std::vector<bool> emitted;  // per entered element: whether we wrote its start tag
  walk_html(
      document.body(),
      [&](const GumboNode* node) {
        if (is_text(node)) {
          append_escaped_text(out, text::strip_controls(node->v.text.text, true));
          return false;
        }
        switch (node->type) {
          case GUMBO_NODE_ELEMENT:
          case GUMBO_NODE_TEMPLATE: {
            Policy policy = policy_for(node);
            if (policy == Policy::kDrop) return false;
            bool keep = policy == Policy::kKeep;
            if (keep) append_start_tag(out, node, options);
            if (keep && is_void_element(node->v.element.tag)) return false;
            emitted.push_back(keep);
            return true;
          }
          case GUMBO_NODE_DOCUMENT:
            emitted.push_back(false);
            return true;
          default:
            return false;  // comments
        }
      },
      [&](const GumboNode* node) {
        bool keep = emitted.back();
        emitted.pop_back();
        if (keep) {
          out += "</";
          out += gumbo_normalized_tagname(node->v.element.tag);
          out.push_back('>');
        }
      });
  return out;
}

}  // namespace

std::string sanitize_html(std::string_view html, const SanitizeOptions& options) {
  std::string_view input = html.substr(0, std::min(html.size(), options.max_input_bytes));
  // Do not cut a UTF-8 sequence in half.
  while (input.size() < html.size() && !input.empty() &&
         (static_cast<unsigned char>(html[input.size()]) & 0xC0) == 0x80) {
    input.remove_suffix(1);
  }
  std::string valid = text::is_valid_utf8(input) ? std::string(input) : std::string();
  if (valid.empty() && !input.empty()) {
    // Callers pass decoded UTF-8; anything else is reduced to what survives strict checks.
    for (unsigned char c : input) valid.push_back(c < 0x80 ? static_cast<char>(c) : '?');
  }
  // Written-back markup can parse into another tree: an unknown element that a table pushed into a
  // <p> is unwrapped, and the <p> it held lands inside the outer one, which a parser closes. So
  // the output is parsed and written again until it stands still: then the tree a browser builds
  // from it is the tree that was checked. Each round's nesting is checked too: the <tbody> a
  // parser adds to every table makes the output deeper than the input.
  std::string out = valid;
  for (int round = 0; round <= kMaxRounds; ++round) {
    if (estimate_nesting(out) > options.max_nesting) break;
    std::string again = sanitize_once(out, options);
    if (again == out) return out;
    out = std::move(again);
  }
  return escaped_text_only(valid);
}

}  // namespace gongdan::markup
