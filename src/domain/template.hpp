// Message templates with placeholders: "Ticket #{{ticket.number}} for {{ requester.name }}".
//
// Contract:
// - A placeholder is "{{", optional spaces, a name of letters, digits and "._-", optional
//   spaces, "}}". Its value comes from the fact map (fact.hpp): the name itself, or for
//   "ticket.<x>" also the plain "<x>" ("ticket.status" reads "status"). Lists render joined with
//   ", ", integers in decimal, booleans as true/false.
// - Only the substituted values are escaped, for the context the result goes into; the template
//   text is the administrator's and is kept as written.
// - Rendering never fails: a placeholder with no value renders empty, and text that is not a
//   well-formed placeholder is kept literally. validate_template reports both, so the admin API
//   can refuse or warn before a template is saved.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/fact.hpp"

namespace gongdan {

enum class EscapeContext {
  kHtml,       // & < > " ' become entities
  kPlainText,  // unchanged
  kJson,       // the inside of a JSON string: quotes, backslashes, control characters
  kUrl,        // percent-encoded, all but A-Z a-z 0-9 - . _ ~
};

std::string escape_for(std::string_view value, EscapeContext context);

std::string render_template(std::string_view text, const FactMap& facts, EscapeContext context);

// Whether templates may use the placeholder: ticket.*, requester.*, assignee.*, organization.*,
// message.*, sla.* names from a fixed list, any custom_fields.<key>, and a knowledge-base
// article's link (kb.article.<id>, .url, .title).
bool is_known_placeholder(std::string_view name);

// The article a placeholder links to: "kb.article.12" (its title and address, "Title: URL"),
// "kb.article.12.url", "kb.article.12.title". The facts hold them under those names, in the
// language of the ticket they are rendered for (services/kb_links.hpp fills them).
std::optional<std::int64_t> linked_article(std::string_view name);
// The articles a template links to, each once, in the order they first appear.
std::vector<std::int64_t> linked_articles(std::string_view text);

struct TemplateIssue {
  std::size_t offset = 0;   // byte offset of the "{{" in the template
  std::string placeholder;  // the name, when there is one
  std::string message;
};

// Unknown placeholders and malformed ones ("{{ ticket number }}", an unclosed "{{").
std::vector<TemplateIssue> validate_template(std::string_view text);

}  // namespace gongdan
