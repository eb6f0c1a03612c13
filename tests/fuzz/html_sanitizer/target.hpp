// The HTML sanitiser and text extraction (src/markup) as the fuzzer drives them. The input is any
// bytes, taken as an HTML body; for both image policies the sanitised output is parsed again the
// way a browser would and every element, attribute, URL and style in the tree is checked, and
// sanitising the output again must change nothing (a second parse that differs is how mutation
// XSS gets through). Shared by the libFuzzer entry point and tests/unit/markup, which replays
// corpus/ and runs the same check over tests/fixtures/emails/xss-payloads.txt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "markup/html_document.hpp"
#include "markup/html_sanitizer.hpp"
#include "markup/html_text.hpp"
#include "util/text.hpp"

namespace gongdan::fuzz {

inline bool scheme_is(std::string_view url, std::string_view scheme) {
  return text::to_lower_ascii(url.substr(0, scheme.size())) == scheme;
}

// "/help-files/12" for the prefix "/help-files/": the prefix, then digits only.
inline bool is_local_file(std::string_view url, std::string_view prefix) {
  if (prefix.empty() || !url.starts_with(prefix) || url.size() == prefix.size()) return false;
  return url.substr(prefix.size()).find_first_not_of("0123456789") == std::string_view::npos;
}

// What is wrong with one attribute of sanitised output, or "".
inline std::string unsafe_attribute(const GumboAttribute& attribute, bool remote_allowed,
                                    std::string_view local_prefix = {}) {
  static const std::set<std::string> kForbiddenAttributes = {
      "id",         "name",   "class",  "background", "dynsrc", "lowsrc",    "action",
      "formaction", "srcset", "poster", "data",       "xmlns",  "autofocus", "open"};
  const std::string name = text::to_lower_ascii(attribute.name);
  const std::string value = text::to_lower_ascii(attribute.value);
  if (name.starts_with("on") || kForbiddenAttributes.contains(name)) return "attribute " + name;
  const bool local = is_local_file(value, local_prefix);
  if (name == "href" && local) return {};
  if ((name == "href" || name == "cite") &&
      !(scheme_is(value, "http:") || scheme_is(value, "https:") || scheme_is(value, "mailto:") ||
        scheme_is(value, "tel:")))
    return name + "=" + value;
  if (name == "src") {
    bool ok = scheme_is(value, "cid:") || scheme_is(value, "data:image/png") ||
              scheme_is(value, "data:image/gif") || scheme_is(value, "data:image/jpeg") ||
              scheme_is(value, "data:image/webp") || scheme_is(value, "data:image/bmp");
    if (remote_allowed) ok = ok || scheme_is(value, "https:") || scheme_is(value, "http:");
    if (!ok && !local) return "src=" + value;
  }
  if (name == "style")
    for (const char* bad :
         {"url", "expression", "behavior", "binding", "position", "\\", "javascript", "import"})
      if (value.find(bad) != std::string::npos) return "style=" + value;
  if (name == "rel" && value != "noopener noreferrer nofollow") return "rel=" + value;
  if (name == "target" && value != "_blank") return "target=" + value;
  return {};
}

// Parses sanitiser output as a browser would; "" when nothing executable or forbidden is in the
// tree, else the first thing found.
inline std::string unsafe_markup(const std::string& html, bool remote_allowed = false,
                                 std::string_view local_prefix = {}) {
  static const std::set<std::string> kForbiddenTags = {
      "script", "style",   "iframe",    "frame",    "frameset", "object",  "embed", "applet",
      "svg",    "math",    "meta",      "link",     "base",     "form",    "input", "button",
      "select", "option",  "textarea",  "template", "noscript", "audio",   "video", "source",
      "xmp",    "bgsound", "plaintext", "keygen",   "marquee",  "details", "title", "noembed"};
  if (!text::is_valid_utf8(html)) return "output that is not UTF-8";
  if (text::to_lower_ascii(html).find("<script") != std::string::npos) return "<script";
  std::string found;
  markup::HtmlDocument document(html);
  markup::walk_html(
      document.body(),
      [&](const GumboNode* node) {
        if (!found.empty() || !markup::is_element(node)) return false;
        const GumboElement& element = node->v.element;
        if (node != document.body()) {
          const std::string tag = gumbo_normalized_tagname(element.tag);
          if (element.tag_namespace != GUMBO_NAMESPACE_HTML) found = "a foreign element " + tag;
          if (element.tag == GUMBO_TAG_UNKNOWN) found = "an unknown element";
          if (kForbiddenTags.contains(tag)) found = "element " + tag;
        }
        for (unsigned i = 0; found.empty() && i < element.attributes.length; ++i)
          found = unsafe_attribute(*static_cast<const GumboAttribute*>(element.attributes.data[i]),
                                   remote_allowed, local_prefix);
        return found.empty();
      },
      [](const GumboNode*) {});
  return found;
}

// "" when sanitising `html` kept every promise, else what broke.
inline std::string broken_sanitizer_promise(std::string_view html) {
  for (const int run : {0, 1, 2}) {
    markup::SanitizeOptions options;
    options.allow_remote_images = run > 0;
    if (run == 2) options.local_files_prefix = "/help-files/";
    const std::string once = markup::sanitize_html(html, options);
    if (auto unsafe = unsafe_markup(once, run > 0, options.local_files_prefix); !unsafe.empty())
      return unsafe + " survived in: " + once;
    if (markup::sanitize_html(once, options) != once)
      return "not stable when sanitised again: " + once;
  }
  if (!text::is_valid_utf8(markup::html_to_text(html))) return "html_to_text made invalid UTF-8";
  return {};
}

inline std::string run_html_sanitizer(const std::uint8_t* data, std::size_t size) {
  return broken_sanitizer_promise(std::string_view(reinterpret_cast<const char*>(data), size));
}

}  // namespace gongdan::fuzz
