// A parsed HTML document (gumbo) with the few helpers the sanitiser, the text extractor and
// mail's quote folding (channels/email/filter) share: iterative traversal, escaping and a nesting
// estimate.
//
// Contract: HtmlDocument owns its copy of the source and the
// gumbo tree; nodes are valid while it lives. Traversal never recurses, so a deep tree costs heap,
// not stack. Not thread-safe per object; separate objects may be used on separate threads.
#pragma once

#include <gumbo.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gongdan::markup {

class HtmlDocument {
 public:
  explicit HtmlDocument(std::string_view html);
  HtmlDocument(const HtmlDocument&) = delete;
  HtmlDocument& operator=(const HtmlDocument&) = delete;
  ~HtmlDocument();

  // The <body> element (gumbo always makes one), or the root when there is none.
  const GumboNode* body() const;

 private:
  std::string source_;
  GumboOutput* output_ = nullptr;
};

const GumboVector* children_of(const GumboNode* node);
bool is_element(const GumboNode* node);
// Text a reader sees: a text, whitespace or CDATA node.
bool is_text(const GumboNode* node);
bool is_html_element(const GumboNode* node, GumboTag tag);
// The value of attribute `name`, or nullptr.
const char* attribute_value(const GumboNode* node, const char* name);
bool is_void_element(GumboTag tag);
// Block-level elements that start a new line when flattened to text.
bool is_block_element(GumboTag tag);

void append_escaped_text(std::string& out, std::string_view text);
void append_escaped_attribute(std::string& out, std::string_view value);

// An upper estimate of element nesting depth, from a tag scan that needs no tree. Used to refuse
// documents whose tree would be too deep to build and free safely.
std::size_t estimate_nesting(std::string_view html);

// Pre-order walk without recursion. `enter(node)` returns true to visit the node's children, in
// which case `leave(node)` is called after them.
template <class Enter, class Leave>
void walk_html(const GumboNode* root, Enter&& enter, Leave&& leave) {
  struct Item {
    const GumboNode* node;
    unsigned next;
  };
  std::vector<Item> stack;
  if (enter(root)) stack.push_back({root, 0});
  while (!stack.empty()) {
    const GumboNode* node = stack.back().node;
    const GumboVector* children = children_of(node);
    if (children != nullptr && stack.back().next < children->length) {
      auto* child = static_cast<const GumboNode*>(children->data[stack.back().next++]);
      if (enter(child)) stack.push_back({child, 0});
      continue;
    }
    leave(node);
    stack.pop_back();
  }
}

}  // namespace gongdan::markup
