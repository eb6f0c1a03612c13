#include "domain/ticket.hpp"

#include <algorithm>
#include <array>

#include "util/enum_names.hpp"
#include "util/text.hpp"

namespace gongdan {
namespace {

constexpr Named<StatusCategory> kCategories[] = {
    {StatusCategory::kNew, "new"},         {StatusCategory::kOpen, "open"},
    {StatusCategory::kPending, "pending"}, {StatusCategory::kOnHold, "on_hold"},
    {StatusCategory::kSolved, "solved"},   {StatusCategory::kClosed, "closed"}};
constexpr Named<Priority> kPriorities[] = {{Priority::kLow, "low"},
                                           {Priority::kNormal, "normal"},
                                           {Priority::kHigh, "high"},
                                           {Priority::kUrgent, "urgent"}};
constexpr Named<TicketType> kTypes[] = {{TicketType::kQuestion, "question"},
                                        {TicketType::kIncident, "incident"},
                                        {TicketType::kProblem, "problem"},
                                        {TicketType::kTask, "task"}};
constexpr Named<LinkKind> kLinkKinds[] = {{LinkKind::kRelated, "related"},
                                          {LinkKind::kParent, "parent"},
                                          {LinkKind::kChild, "child"},
                                          {LinkKind::kDuplicateOf, "duplicate_of"}};

}  // namespace

std::string_view category_name(StatusCategory c) { return name_in(kCategories, c, "open"); }
std::optional<StatusCategory> parse_category(std::string_view name) {
  return value_in(kCategories, name);
}

std::string_view priority_name(Priority p) { return name_in(kPriorities, p, "normal"); }
std::optional<Priority> parse_priority(std::string_view name) {
  return value_in(kPriorities, name);
}

std::string_view type_name(TicketType t) { return name_in(kTypes, t, "question"); }
std::optional<TicketType> parse_type(std::string_view name) { return value_in(kTypes, name); }

bool is_known_channel(std::string_view channel) {
  static constexpr std::array<std::string_view, 9> all{
      "api", "web", "email", "portal", "web_form", "chat", "phone", "im", "social"};
  return std::find(all.begin(), all.end(), channel) != all.end();
}

std::string_view link_kind_name(LinkKind k) { return name_in(kLinkKinds, k, "related"); }
std::optional<LinkKind> parse_link_kind(std::string_view name) {
  return value_in(kLinkKinds, name);
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
