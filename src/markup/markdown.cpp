#include "markup/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <mutex>

#include "markup/html_sanitizer.hpp"
#include "markup/html_text.hpp"

namespace gongdan::markup {
namespace {

// Registration fills a process-wide list: once, before any parser runs.
void register_extensions() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

struct ParserFree {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeFree {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

// No "tagfilter": raw HTML never reaches the output in safe mode anyway.
constexpr const char* kExtensions[] = {"table", "strikethrough", "autolink", "tasklist"};

}  // namespace

std::string markdown_to_html(std::string_view markdown, std::size_t max_input_bytes) {
  register_extensions();
  if (markdown.size() > max_input_bytes) markdown = markdown.substr(0, max_input_bytes);
  // CMARK_OPT_DEFAULT is the safe mode since 0.29 (CMARK_OPT_UNSAFE turns it off); SAFE is
  // named as well so an older library behaves the same.
  const int options = CMARK_OPT_DEFAULT | CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8;
  std::unique_ptr<cmark_parser, ParserFree> parser(cmark_parser_new(options));
  for (const char* name : kExtensions)
    if (auto* extension = cmark_find_syntax_extension(name))
      cmark_parser_attach_syntax_extension(parser.get(), extension);
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeFree> document(cmark_parser_finish(parser.get()));
  if (!document) return {};
  char* html =
      cmark_render_html(document.get(), options, cmark_parser_get_syntax_extensions(parser.get()));
  if (!html) return {};
  std::string rendered(html);
  cmark_get_default_mem_allocator()->free(html);
  SanitizeOptions sanitize;
  sanitize.allow_remote_images = true;
  // An article's own uploaded files (KbFile): /help-files/<id>, which the help centre serves
  // with the article's visibility.
  sanitize.local_files_prefix = "/help-files/";
  return sanitize_html(rendered, sanitize);
}

RenderedMarkdown render_markdown(std::string_view markdown) {
  RenderedMarkdown out;
  out.html = markdown_to_html(markdown);
  out.text = html_to_text(out.html);
  return out;
}

}  // namespace gongdan::markup
