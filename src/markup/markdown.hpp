// Markdown as articles are written (GitHub-flavoured: tables, strikethrough, autolinks, task
// lists), rendered with cmark-gfm in its safe mode (raw HTML omitted, javascript:, vbscript:,
// file: and non-image data: links emptied) and then through the allow-list sanitiser, so even a
// flaw in one of the two leaves nothing executable.
//
// Contract: pure, never fails, thread-safe. Input that is not UTF-8 is repaired by cmark
// (invalid bytes become U+FFFD). Input longer than max_input_bytes is cut there first, so a
// hostile body costs bounded time. Remote images keep their src (an article's author is an agent;
// the help centre's CSP decides what loads).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gongdan::markup {

struct RenderedMarkdown {
  std::string html;  // safe HTML5 fragment
  std::string text;  // its plain text, for search and snippets
};

inline constexpr std::size_t kMarkdownMaxInputBytes = 1024 * 1024;

std::string markdown_to_html(std::string_view markdown,
                             std::size_t max_input_bytes = kMarkdownMaxInputBytes);
RenderedMarkdown render_markdown(std::string_view markdown);

}  // namespace gongdan::markup
