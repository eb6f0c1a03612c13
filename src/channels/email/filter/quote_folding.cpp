#include "channels/email/filter/quote_folding.hpp"

#include <array>
#include <optional>
#include <vector>

#include "markup/html_document.hpp"
#include "util/text.hpp"

namespace gongdan::email {
namespace {

using markup::append_escaped_attribute;
using markup::append_escaped_text;
using markup::attribute_value;
using markup::children_of;
using markup::estimate_nesting;
using markup::HtmlDocument;
using markup::is_block_element;
using markup::is_element;
using markup::is_html_element;
using markup::is_text;
using markup::is_void_element;
using markup::walk_html;

constexpr std::size_t kMaxAttributionLength = 300;
constexpr std::size_t kMaxHtmlNesting = 1000;

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    pos = eol + 1;
  }
  return lines;
}

// Trims ASCII white space, full-width spaces and no-break spaces.
std::string_view trim_wide(std::string_view s) {
  bool changed = true;
  while (changed && !s.empty()) {
    changed = false;
    for (std::string_view space : {" ", "\t", "\r", "\xC2\xA0", "\xE3\x80\x80"}) {
      if (s.starts_with(space)) {
        s.remove_prefix(space.size());
        changed = true;
      }
      if (s.ends_with(space)) {
        s.remove_suffix(space.size());
        changed = true;
      }
    }
  }
  return s;
}

std::string without_spaces(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' || s[i] == '\t') continue;
    if (s.substr(i).starts_with("\xC2\xA0")) {
      ++i;
      continue;
    }
    if (s.substr(i).starts_with("\xE3\x80\x80")) {
      i += 2;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

bool is_separator(std::string_view line) {
  std::string compact = text::to_lower_ascii(without_spaces(line));
  std::size_t lead = compact.find_first_not_of("-_=*");
  if (lead == std::string::npos || lead < 2) return false;
  std::size_t trail = compact.find_last_not_of("-_=*");
  if (compact.size() - trail - 1 < 2) return false;
  std::string core = compact.substr(lead, trail - lead + 1);
  for (const char* marker : {"originalmessage", "原始邮件", "邮件原件", "原始郵件", "原郵件",
                             "原邮件", "回复的原邮件", "originalmail"}) {
    if (core == marker) return true;
  }
  return false;
}

bool is_underscore_rule(std::string_view line) {
  std::string_view t = trim_wide(line);
  return t.size() >= 20 && t.find_first_not_of('_') == std::string_view::npos;
}

bool ends_with_any(std::string_view s, std::initializer_list<std::string_view> suffixes) {
  for (auto suffix : suffixes) {
    if (s.ends_with(suffix)) return true;
  }
  return false;
}

bool is_wrote_ending(std::string_view line) {
  return ends_with_any(line, {"wrote:", "a écrit :", "a écrit:", "schrieb:", "escribió:", "写道：",
                              "写道:", "寫道：", "寫道:", "wrote："});
}

bool is_attribution_start(std::string_view line) {
  return line.starts_with("On ") || line.starts_with("Le ") || line.starts_with("Am ") ||
         line.starts_with("El ") || line.starts_with("在") || line.find(" 于") != std::string::npos;
}

// "On Mon, 18 Mar 2024 at 09:15, Zhang Wei <z@example.cn> wrote:", possibly split after the
// address, and the Chinese "在 2026年3月18日 09:15，张伟 写道：" / "张伟 于2026年3月18日 写道：".
bool is_attribution(const std::vector<std::string_view>& lines, std::size_t i) {
  std::string_view line = trim_wide(lines[i]);
  if (line.size() > kMaxAttributionLength || line.empty()) return false;
  if (is_wrote_ending(line)) {
    // Chinese clients write the attribution without an "On": accept it when it names a date.
    return is_attribution_start(line) || line.find("年") != std::string_view::npos ||
           line.find_first_of("0123456789") != std::string_view::npos;
  }
  if (!is_attribution_start(line) || i + 1 >= lines.size()) return false;
  std::string_view next = trim_wide(lines[i + 1]);
  return next.size() < kMaxAttributionLength && is_wrote_ending(next);
}

bool starts_with_label(std::string_view line, std::initializer_list<std::string_view> labels) {
  std::string_view t = trim_wide(line);
  while (t.starts_with('*')) t.remove_prefix(1);  // Gmail's bold "*From:*" in text
  for (auto label : labels) {
    if (t.size() < label.size() + 1) continue;
    if (text::to_lower_ascii(t.substr(0, label.size())) != label) continue;
    std::string_view rest = trim_wide(t.substr(label.size()));
    while (rest.starts_with('*')) rest.remove_prefix(1);
    if (rest.starts_with(":") || rest.starts_with("：")) return true;
  }
  return false;
}

bool is_from_label(std::string_view line) {
  return starts_with_label(line, {"from", "发件人", "寄件者", "寄件人", "von", "de"});
}

bool is_header_label(std::string_view line) {
  return starts_with_label(
      line, {"sent", "date",     "to",   "subject", "cc",       "发送时间", "时间",
             "日期", "收件人",   "主题", "抄送",    "寄件日期", "收件者",   "主旨",
             "副本", "gesendet", "an",   "betreff", "envoyé",   "à",        "objet"});
}

// Outlook's reply header: "From:" followed closely by at least two of Sent/To/Subject/Cc.
bool is_header_block(const std::vector<std::string_view>& lines, std::size_t i) {
  if (!is_from_label(lines[i])) return false;
  int labels = 0;
  for (std::size_t j = i + 1; j < lines.size() && j <= i + 8; ++j) {
    if (is_header_label(lines[j])) ++labels;
  }
  return labels >= 2;
}

bool is_quoted_line(std::string_view line) { return trim_wide(line).starts_with('>'); }

bool is_blank(std::string_view line) { return trim_wide(line).empty(); }

bool is_signature_marker(std::string_view line) {
  if (line == "-- " || line == "--" || line == "-- \r") return true;
  std::string_view t = trim_wide(line);
  for (std::string_view mobile :
       {"Sent from my ", "Sent from Mail for", "Get Outlook for", "发自我的", "从我的 ",
        "从我的iPhone", "发自网易邮箱", "来自网易邮箱", "发自手机", "来自我的华为", "发自我的小米",
        "Sent from Yahoo"}) {
    if (t.starts_with(mobile) && t.size() < 80) return true;
  }
  return false;
}

// The first line of the quoted history, if any.
std::optional<std::size_t> find_quote_start(const std::vector<std::string_view>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (is_separator(lines[i]) || is_attribution(lines, i)) return i;
    if (is_header_block(lines, i)) {
      // Outlook puts a rule of underscores just above the header.
      std::size_t start = i;
      while (start > 0 && is_blank(lines[start - 1])) --start;
      if (start > 0 && is_underscore_rule(lines[start - 1])) return start - 1;
      return i;
    }
    if (is_quoted_line(lines[i])) {
      // Only a quote that runs to the end is history; quotes with answers between them are
      // the context of an inline reply and stay visible.
      bool to_end = true;
      for (std::size_t j = i + 1; j < lines.size(); ++j) {
        if (!is_quoted_line(lines[j]) && !is_blank(lines[j])) {
          to_end = false;
          break;
        }
      }
      if (to_end) return i;
    }
  }
  return std::nullopt;
}

std::string join(const std::vector<std::string_view>& lines, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end; ++i) {
    out += lines[i];
    if (i + 1 < end) out.push_back('\n');
  }
  return out;
}

std::string trim_blank_lines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  std::size_t first = 0;
  while (first < s.size() && (s[first] == '\n' || s[first] == '\r')) ++first;
  return s.substr(first);
}

// ---- HTML ----

bool has_class(const GumboNode* node, std::string_view wanted) {
  const char* classes = attribute_value(node, "class");
  if (classes == nullptr) return false;
  std::string_view list = classes;
  std::size_t pos = 0;
  while (pos < list.size()) {
    std::size_t end = list.find_first_of(" \t\n", pos);
    if (end == std::string_view::npos) end = list.size();
    if (list.substr(pos, end - pos) == wanted) return true;
    pos = end + 1;
  }
  return false;
}

bool has_marker_attribute(const GumboNode* node) {
  for (const char* cls : {"gmail_quote", "gmail_quote_container", "yahoo_quoted", "moz-cite-prefix",
                          "protonmail_quote", "zmail_extra"}) {
    if (has_class(node, cls)) return true;
  }
  if (const char* id = attribute_value(node, "id")) {
    std::string_view v = id;
    for (const char* marker : {"divRplyFwdMsg", "x_divRplyFwdMsg", "appendonsend", "stopSpelling",
                               "isReplyContent", "origbody", "QQMailQuote"}) {
      if (v == marker) return true;
    }
  }
  if (is_html_element(node, GUMBO_TAG_BLOCKQUOTE)) {
    const char* type = attribute_value(node, "type");
    if (type != nullptr && text::to_lower_ascii(type) == "cite") return true;
  }
  if (const char* style = attribute_value(node, "style")) {
    std::string compact = text::to_lower_ascii(without_spaces(style));
    // Outlook desktop draws a thin rule above the quoted header.
    if (compact.find("border-top:solid#e1e1e1") != std::string::npos ||
        compact.find("border-top:solid#b5c4df") != std::string::npos) {
      return true;
    }
  }
  return false;
}

// The first few lines of an element's text, for the text markers.
std::string leading_text(const GumboNode* element) {
  constexpr std::size_t kEnough = 600;
  std::string out;
  std::size_t visited = 0;
  walk_html(
      element,
      [&](const GumboNode* node) {
        if (out.size() > kEnough || ++visited > 400) return false;
        if (node->type == GUMBO_NODE_TEXT) {
          out += node->v.text.text;
          return false;
        }
        if (!is_element(node)) return false;
        if (node->v.element.tag == GUMBO_TAG_SCRIPT || node->v.element.tag == GUMBO_TAG_STYLE) {
          return false;
        }
        if (node->v.element.tag == GUMBO_TAG_BR || is_block_element(node->v.element.tag)) {
          out.push_back('\n');
        }
        return true;
      },
      [&](const GumboNode* node) {
        if (is_element(node) && is_block_element(node->v.element.tag)) out.push_back('\n');
      });
  return out;
}

bool starts_with_text_marker(const GumboNode* node) {
  std::string leading = leading_text(node);
  std::vector<std::string_view> all = split_lines(leading);
  std::vector<std::string_view> lines;
  for (auto line : all) {
    if (!is_blank(line)) lines.push_back(line);
  }
  if (lines.empty()) return false;
  return is_separator(lines[0]) || is_attribution(lines, 0) || is_header_block(lines, 0) ||
         is_underscore_rule(lines[0]);
}

bool is_candidate_block(const GumboNode* node) {
  if (!is_element(node) || node->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return false;
  switch (node->v.element.tag) {
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_P:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_FONT:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_PRE:
      return true;
    default:
      return false;
  }
}

bool has_visible_content(const GumboNode* node) {
  if (node->type == GUMBO_NODE_TEXT) return !trim_wide(text::trim(node->v.text.text)).empty();
  return is_html_element(node, GUMBO_TAG_IMG);
}

const GumboNode* find_cut(const GumboNode* body) {
  const GumboNode* cut = nullptr;
  bool content_before = false;
  walk_html(
      body,
      [&](const GumboNode* node) {
        if (cut != nullptr) return false;
        if (has_visible_content(node)) content_before = true;
        if (!is_element(node)) return false;
        if (node->v.element.tag == GUMBO_TAG_SCRIPT || node->v.element.tag == GUMBO_TAG_STYLE ||
            node->v.element.tag == GUMBO_TAG_HEAD) {
          return false;
        }
        if (node != body && content_before &&
            (has_marker_attribute(node) ||
             (is_candidate_block(node) && starts_with_text_marker(node)))) {
          cut = node;
          return false;
        }
        return true;
      },
      [](const GumboNode*) {});
  return cut;
}

void append_start(std::string& out, const GumboNode* node) {
  out.push_back('<');
  out += gumbo_normalized_tagname(node->v.element.tag);
  const GumboVector& attributes = node->v.element.attributes;
  for (unsigned i = 0; i < attributes.length; ++i) {
    auto* attribute = static_cast<const GumboAttribute*>(attributes.data[i]);
    out.push_back(' ');
    out += attribute->name;
    out += "=\"";
    append_escaped_attribute(out, attribute->value);
    out.push_back('"');
  }
  out.push_back('>');
}

bool writes_tags(const GumboNode* node) {
  return is_element(node) && node->v.element.tag != GUMBO_TAG_UNKNOWN &&
         node->v.element.tag != GUMBO_TAG_HTML && node->v.element.tag != GUMBO_TAG_BODY;
}

// Serialises `root`'s subtree, skipping everything from `stop` on (in document order) when given.
void serialise(std::string& out, const GumboNode* root, const GumboNode* stop, bool include_root) {
  bool stopped = false;
  walk_html(
      root,
      [&](const GumboNode* node) {
        if (stopped || node == stop) {
          stopped = true;
          return false;
        }
        if (is_text(node)) {
          append_escaped_text(out, node->v.text.text);
          return false;
        }
        if (!is_element(node)) return false;
        if ((node != root || include_root) && writes_tags(node)) {
          append_start(out, node);
          if (is_void_element(node->v.element.tag)) return false;
        }
        return true;
      },
      [&](const GumboNode* node) {
        if ((node != root || include_root) && writes_tags(node)) {
          out += "</";
          out += gumbo_normalized_tagname(node->v.element.tag);
          out.push_back('>');
        }
      });
}

}  // namespace

FoldedText fold_quotes(std::string_view input) {
  std::vector<std::string_view> lines = split_lines(input);
  std::size_t quote_start = find_quote_start(lines).value_or(lines.size());
  std::size_t signature_start = quote_start;
  for (std::size_t i = 0; i < quote_start; ++i) {
    if (is_signature_marker(lines[i])) {
      signature_start = i;
      break;
    }
  }
  FoldedText folded;
  folded.body = trim_blank_lines(join(lines, 0, signature_start));
  if (text::trim(folded.body).empty()) {
    folded.body = std::string(input);  // nothing new: fold nothing rather than hide everything
    return folded;
  }
  folded.signature = trim_blank_lines(join(lines, signature_start, quote_start));
  folded.quoted = trim_blank_lines(join(lines, quote_start, lines.size()));
  return folded;
}

FoldedHtml fold_quotes_html(std::string_view html) {
  FoldedHtml folded;
  if (estimate_nesting(html) > kMaxHtmlNesting) {
    folded.body = std::string(html);
    return folded;
  }
  HtmlDocument document(html);
  const GumboNode* body = document.body();
  const GumboNode* cut = find_cut(body);
  if (cut == nullptr) {
    folded.body = std::string(html);
    return folded;
  }
  serialise(folded.body, body, cut, false);
  // The quoted half: the cut element, then everything after it at each level up to <body>.
  serialise(folded.quoted, cut, nullptr, true);
  for (const GumboNode* node = cut; node != nullptr && node != body; node = node->parent) {
    const GumboVector* siblings = children_of(node->parent);
    if (siblings == nullptr) break;
    for (unsigned i = node->index_within_parent + 1; i < siblings->length; ++i) {
      serialise(folded.quoted, static_cast<const GumboNode*>(siblings->data[i]), nullptr, true);
    }
  }
  return folded;
}

}  // namespace gongdan::email
