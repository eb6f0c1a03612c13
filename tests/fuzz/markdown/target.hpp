// Markdown rendering (src/markup/markdown) as the fuzzer drives it. The input is any bytes, taken
// as an article body: the rendered HTML is parsed again as a browser would and held to the
// sanitiser's checks (no script, no handler, no javascript: link, no foreign element), and it
// must sanitise to itself. Shared by the libFuzzer entry point and tests/unit/markup, which
// replays corpus/ (a hostile seed corpus: scripts, event handlers, javascript: links, raw HTML).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "../html_sanitizer/target.hpp"
#include "markup/markdown.hpp"

namespace gongdan::fuzz {

// "" when rendering `markdown` kept every promise, else what broke.
inline std::string broken_markdown_promise(std::string_view markdown) {
  const auto rendered = markup::render_markdown(markdown);
  // The article's own files, /help-files/<digits>, are the only root-relative addresses kept.
  if (auto unsafe = unsafe_markup(rendered.html, true, "/help-files/"); !unsafe.empty())
    return unsafe + " survived in: " + rendered.html;
  markup::SanitizeOptions options;
  options.allow_remote_images = true;
  options.local_files_prefix = "/help-files/";
  if (markup::sanitize_html(rendered.html, options) != rendered.html)
    return "not stable when sanitised again: " + rendered.html;
  if (!text::is_valid_utf8(rendered.text)) return "the text is not UTF-8";
  return {};
}

inline std::string run_markdown(const std::uint8_t* data, std::size_t size) {
  return broken_markdown_promise(std::string_view(reinterpret_cast<const char*>(data), size));
}

}  // namespace gongdan::fuzz
