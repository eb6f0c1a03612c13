// Allow-list HTML sanitiser (gumbo parser), run on the server before any screen shows a message:
// on mail bodies at intake and on every HTML body the API accepts.
//
// Contract: pure; never fails. The input is parsed as a browser would (HTML5 rules), then only
// allow-listed HTML elements and attributes are written back out, and that output is parsed and
// written again until it stands still (a few passes; escaped text if it never does), so what
// comes out is what was checked: a well-formed HTML5 fragment (the content of <body>) with all
// text escaped, which a browser parses into exactly the tree the allow-list walked, and which
// sanitises to itself.
//  - Dropped with their content: script, style, iframe, object, embed, applet, form controls,
//    meta, link, base, template, noscript, title, svg and MathML subtrees, audio/video/canvas.
//  - Dropped but content kept: form, unknown elements and every other non-listed element.
//  - Attributes: a small allow-list; never on* handlers, id, name or class.
//  - URLs: links keep http, https, mailto and tel only (after removing the white space and
//    control characters browsers ignore, and with entities already decoded); images keep cid:
//    references and data:image/{png,jpeg,gif,webp,bmp}; remote images lose their src unless
//    allow_remote_images, keeping the address in data-src-blocked for a "load images" button.
//    Relative URLs are dropped (they would point at the help desk itself), except, when
//    local_files_prefix is set, a root-relative path of that prefix followed by digits only
//    (an article's own files, "/help-files/12"), kept in an image's src and a link's href.
//  - Links get rel="noopener noreferrer nofollow" and target="_blank".
//  - style keeps harmless properties only (colours, fonts, text alignment and decoration,
//    spacing, borders, sizes); no url(), expression(), escapes, comments or positioning.
// Documents nested deeper than max_nesting, or longer than max_input_bytes, are reduced to
// escaped text or cut, so a hostile body costs bounded time and memory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gongdan::markup {

struct SanitizeOptions {
  bool allow_remote_images = false;
  std::string_view local_files_prefix{};  // e.g. "/help-files/": see above
  std::size_t max_input_bytes = 8u * 1024 * 1024;
  std::size_t max_nesting = 512;
};

std::string sanitize_html(std::string_view html, const SanitizeOptions& options = {});

}  // namespace gongdan::markup
