#include "domain/template.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include <fmt/format.h>

#include "util/text.hpp"

namespace gongdan {

namespace {

constexpr std::array<std::string_view, 27> kKnownPlaceholders = {
    "ticket.number",
    "ticket.subject",
    "ticket.status",
    "ticket.priority",
    "ticket.type",
    "ticket.department",
    "ticket.tags",
    "ticket.url",
    "ticket.channel",
    "ticket.created_at",
    "ticket.language",
    "requester.name",
    "requester.email",
    "requester.language",
    "assignee.name",
    "assignee.email",
    "organization.name",
    "organization.tier",
    "message.body",
    "message.author_name",
    "message.subject",
    "sla.policy",
    "sla.first_response_due_at",
    "sla.resolution_due_at",
    "sla.next_response_due_at",
    "portal.url",
    "brand.name",
};

constexpr std::string_view kTemplateCustomFieldPrefix = "custom_fields.";
constexpr std::string_view kArticlePrefix = "kb.article.";

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

struct Placeholder {
  std::size_t begin = 0;  // the "{{"
  std::size_t end = 0;    // just after the "}}"
  std::string_view name;  // empty when malformed
};

// Finds the next "{{" at or after `from`; a malformed one has an empty name and ends after "{{"
// (so it is copied literally), an unclosed one ends at the end of the text.
std::optional<Placeholder> next_placeholder(std::string_view text, std::size_t from) {
  const auto open = text.find("{{", from);
  if (open == std::string_view::npos) return std::nullopt;
  const auto close = text.find("}}", open + 2);
  if (close == std::string_view::npos) return Placeholder{open, text.size(), {}};
  std::string_view inner = text.substr(open + 2, close - open - 2);
  while (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
  while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
  if (inner.empty() || !std::ranges::all_of(inner, is_name_char)) {
    return Placeholder{open, open + 2, {}};
  }
  return Placeholder{open, close + 2, inner};
}

const FactValue* lookup(const FactMap& facts, std::string_view name) {
  if (const auto* value = find_fact(facts, name)) return value;
  constexpr std::string_view kTicket = "ticket.";
  if (name.starts_with(kTicket)) return find_fact(facts, name.substr(kTicket.size()));
  return nullptr;
}

void append_json_escaped(std::string& out, std::string_view value) {
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '<':
        out += "\\u003c";  // so "</script>" cannot close an HTML script block holding the JSON
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else if (value.substr(i, 3) == "\xE2\x80\xA8" || value.substr(i, 3) == "\xE2\x80\xA9") {
          // U+2028 / U+2029 end a line in JavaScript string literals.
          out += value[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += c;
        }
    }
  }
}

}  // namespace

std::string escape_for(std::string_view value, EscapeContext context) {
  std::string out;
  out.reserve(value.size());
  switch (context) {
    case EscapeContext::kPlainText:
      out.append(value);
      break;
    case EscapeContext::kHtml:
      text::append_html_escaped(out, value);
      break;
    case EscapeContext::kJson:
      append_json_escaped(out, value);
      break;
    case EscapeContext::kUrl:
      for (char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
          out += c;
        } else {
          out += fmt::format("%{:02X}", static_cast<unsigned>(u));
        }
      }
      break;
  }
  return out;
}

std::string render_template(std::string_view text, const FactMap& facts, EscapeContext context) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (auto placeholder = next_placeholder(text, pos)) {
    out.append(text.substr(pos, placeholder->begin - pos));
    if (placeholder->name.empty()) {
      out.append(text.substr(placeholder->begin, placeholder->end - placeholder->begin));
    } else if (const auto* value = lookup(facts, placeholder->name)) {
      out += escape_for(fact_to_string(*value), context);
    }
    pos = placeholder->end;
  }
  out.append(text.substr(pos));
  return out;
}

std::optional<std::int64_t> linked_article(std::string_view name) {
  if (!name.starts_with(kArticlePrefix)) return std::nullopt;
  auto rest = name.substr(kArticlePrefix.size());
  for (std::string_view part : {std::string_view(".url"), std::string_view(".title")})
    if (rest.ends_with(part)) {
      rest.remove_suffix(part.size());
      break;
    }
  // 1 to 15 digits, no leading zero: one spelling per article, and no overflow.
  if (rest.empty() || rest.size() > 15 || rest.front() == '0' ||
      !std::ranges::all_of(rest, [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::int64_t id = 0;
  for (char c : rest) id = id * 10 + (c - '0');
  return id;
}

std::vector<std::int64_t> linked_articles(std::string_view text) {
  std::vector<std::int64_t> out;
  std::size_t pos = 0;
  while (auto placeholder = next_placeholder(text, pos)) {
    if (auto id = linked_article(placeholder->name); id && std::ranges::find(out, *id) == out.end())
      out.push_back(*id);
    pos = placeholder->end;
  }
  return out;
}

bool is_known_placeholder(std::string_view name) {
  if (name.size() > kTemplateCustomFieldPrefix.size() &&
      name.starts_with(kTemplateCustomFieldPrefix))
    return true;
  if (linked_article(name)) return true;
  return std::ranges::find(kKnownPlaceholders, name) != kKnownPlaceholders.end();
}

std::vector<TemplateIssue> validate_template(std::string_view text) {
  std::vector<TemplateIssue> issues;
  std::size_t pos = 0;
  while (auto placeholder = next_placeholder(text, pos)) {
    if (placeholder->end == text.size() && placeholder->name.empty() &&
        text.find("}}", placeholder->begin) == std::string_view::npos) {
      issues.push_back({placeholder->begin, {}, "\"{{\" is never closed with \"}}\""});
    } else if (placeholder->name.empty()) {
      issues.push_back({placeholder->begin,
                        {},
                        "a placeholder is a name of letters, digits, \".\", \"_\" or \"-\" "
                        "between \"{{\" and \"}}\""});
    } else if (!is_known_placeholder(placeholder->name)) {
      issues.push_back(
          {placeholder->begin, std::string(placeholder->name),
           fmt::format("unknown placeholder \"{}\"; it would render empty", placeholder->name)});
    }
    pos = placeholder->end;
  }
  return issues;
}

}  // namespace gongdan
