#include "domain/ticket.hpp"

#include <algorithm>
#include <array>

#include "util/text.hpp"

namespace gongdan {
namespace {

template <class E, std::size_t N>
std::optional<E> parse_by_name(std::string_view name, const std::array<E, N>& all,
                               std::string_view (*to_name)(E)) {
  for (E e : all)
    if (to_name(e) == name) return e;
  return std::nullopt;
}

}  // namespace

std::string_view category_name(StatusCategory c) {
  switch (c) {
    case StatusCategory::kNew:
      return "new";
    case StatusCategory::kOpen:
      return "open";
    case StatusCategory::kPending:
      return "pending";
    case StatusCategory::kOnHold:
      return "on_hold";
    case StatusCategory::kSolved:
      return "solved";
    case StatusCategory::kClosed:
      return "closed";
  }
  return "open";
}

std::optional<StatusCategory> parse_category(std::string_view name) {
  static constexpr std::array all{StatusCategory::kNew,     StatusCategory::kOpen,
                                  StatusCategory::kPending, StatusCategory::kOnHold,
                                  StatusCategory::kSolved,  StatusCategory::kClosed};
  return parse_by_name(name, all, category_name);
}

std::string_view priority_name(Priority p) {
  switch (p) {
    case Priority::kLow:
      return "low";
    case Priority::kNormal:
      return "normal";
    case Priority::kHigh:
      return "high";
    case Priority::kUrgent:
      return "urgent";
  }
  return "normal";
}

std::optional<Priority> parse_priority(std::string_view name) {
  static constexpr std::array all{Priority::kLow, Priority::kNormal, Priority::kHigh,
                                  Priority::kUrgent};
  return parse_by_name(name, all, priority_name);
}

std::string_view type_name(TicketType t) {
  switch (t) {
    case TicketType::kQuestion:
      return "question";
    case TicketType::kIncident:
      return "incident";
    case TicketType::kProblem:
      return "problem";
    case TicketType::kTask:
      return "task";
  }
  return "question";
}

std::optional<TicketType> parse_type(std::string_view name) {
  static constexpr std::array all{TicketType::kQuestion, TicketType::kIncident,
                                  TicketType::kProblem, TicketType::kTask};
  return parse_by_name(name, all, type_name);
}

bool is_known_channel(std::string_view channel) {
  static constexpr std::array<std::string_view, 9> all{
      "api", "web", "email", "portal", "web_form", "chat", "phone", "im", "social"};
  return std::find(all.begin(), all.end(), channel) != all.end();
}

std::string_view link_kind_name(LinkKind k) {
  switch (k) {
    case LinkKind::kRelated:
      return "related";
    case LinkKind::kParent:
      return "parent";
    case LinkKind::kChild:
      return "child";
    case LinkKind::kDuplicateOf:
      return "duplicate_of";
  }
  return "related";
}

std::optional<LinkKind> parse_link_kind(std::string_view name) {
  static constexpr std::array all{LinkKind::kRelated, LinkKind::kParent, LinkKind::kChild,
                                  LinkKind::kDuplicateOf};
  return parse_by_name(name, all, link_kind_name);
}

LinkKind reverse_link(LinkKind k) {
  if (k == LinkKind::kParent) return LinkKind::kChild;
  if (k == LinkKind::kChild) return LinkKind::kParent;
  return LinkKind::kRelated;  // the original of a duplicate sees it as related
}

Result<std::string> normalize_tag(std::string_view raw) {
  std::string tag = text::to_lower_ascii(text::trim(raw));
  if (tag.empty() || tag.size() > kMaxTagLength || !text::is_valid_utf8(tag))
    return fail(ErrorCode::kInvalidArgument, "a tag must be 1 to 64 characters", "tags");
  for (unsigned char c : tag) {
    bool ok = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == ':' || c == '.';
    if (!ok)
      return fail(ErrorCode::kInvalidArgument,
                  "tags may hold letters, digits, '-', '_', ':' and '.', not '" +
                      std::string(1, static_cast<char>(c)) + "'",
                  "tags");
  }
  return tag;
}

Result<std::vector<std::string>> normalize_tags(const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  for (const auto& t : tags) {
    GONGDAN_ASSIGN(auto tag, normalize_tag(t));
    out.push_back(std::move(tag));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.size() > kMaxTags)
    return fail(ErrorCode::kInvalidArgument, "at most 50 tags per ticket", "tags");
  return out;
}

Result<std::string> validate_subject(std::string_view raw) {
  std::string subject = text::strip_controls(text::trim(raw));
  if (subject.empty()) return fail(ErrorCode::kInvalidArgument, "is required", "subject");
  if (subject.size() > kMaxSubjectLength)
    return fail(ErrorCode::kInvalidArgument, "is longer than 500 bytes", "subject");
  if (!text::is_valid_utf8(subject))
    return fail(ErrorCode::kInvalidArgument, "is not valid UTF-8", "subject");
  return subject;
}

}  // namespace gongdan
