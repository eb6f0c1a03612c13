// The ticket model: pure values and the rules that need no storage. A ticket's visible number is
// allocated by the store; `id` is internal and never shown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan {

enum class StatusCategory { kNew, kOpen, kPending, kOnHold, kSolved, kClosed };
enum class Priority { kLow = 0, kNormal = 1, kHigh = 2, kUrgent = 3 };
enum class TicketType { kQuestion, kIncident, kProblem, kTask };

std::string_view category_name(StatusCategory c);
std::optional<StatusCategory> parse_category(std::string_view name);
std::string_view priority_name(Priority p);
std::optional<Priority> parse_priority(std::string_view name);
std::string_view type_name(TicketType t);
std::optional<TicketType> parse_type(std::string_view name);

// Channels a ticket or message can arrive by.
bool is_known_channel(std::string_view channel);

// Unsolved work: new, open, pending, on hold.
inline bool is_unsolved(StatusCategory c) {
  return c != StatusCategory::kSolved && c != StatusCategory::kClosed;
}

struct Status {
  std::int64_t id = 0;
  std::string name;
  std::string name_zh;
  StatusCategory category = StatusCategory::kOpen;
  int position = 0;
  bool active = true;
};

struct Ticket {
  std::int64_t id = 0;
  std::int64_t number = 0;
  std::string subject;
  std::int64_t status_id = 0;
  StatusCategory category = StatusCategory::kNew;
  Priority priority = Priority::kNormal;
  TicketType type = TicketType::kQuestion;
  std::optional<std::int64_t> department_id;
  std::optional<std::int64_t> assignee_id;
  std::int64_t requester_id = 0;
  std::optional<std::int64_t> organization_id;
  std::string channel = "api";
  std::vector<std::string> tags;     // normalised, sorted, unique
  std::string custom_fields = "{}";  // a JSON object, validated against the field definitions
  std::optional<std::int64_t> merged_into;  // the number of the ticket this one was merged into
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::optional<Millis> first_response_at;
  std::optional<Millis> solved_at;
  std::optional<Millis> first_response_due_at;
  std::optional<Millis> next_response_due_at;
  std::optional<Millis> resolution_due_at;
  std::optional<std::int64_t> sla_policy_id;  // the SLA policy chosen for the ticket
  // What the requester wrote in, detected from the subject and their first message ("zh-CN",
  // "en", "ja", …; models/language_detector); empty while unknown.
  std::string language;
};

struct Message {
  std::int64_t id = 0;
  std::int64_t ticket_id = 0;
  std::optional<std::int64_t> author_id;
  bool internal = false;
  std::string body;  // plain text
  std::string html;  // sanitised HTML, may be empty
  std::string channel = "api";
  Millis created_at = 0;
};

// One recorded change: the history and the audit trail of a ticket.
struct TicketEvent {
  std::int64_t id = 0;
  std::int64_t ticket_id = 0;
  Millis at = 0;
  std::optional<std::int64_t> actor_id;
  std::string via;  // "api", "web", "email", "rule:12", "merge" …
  std::string field;
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
};

enum class LinkKind { kRelated, kParent, kChild, kDuplicateOf };
std::string_view link_kind_name(LinkKind k);
std::optional<LinkKind> parse_link_kind(std::string_view name);
// The kind seen from the other ticket (parent ↔ child).
LinkKind reverse_link(LinkKind k);

inline constexpr std::size_t kMaxSubjectLength = 500;
inline constexpr std::size_t kMaxBodyLength = 512 * 1024;
inline constexpr std::size_t kMaxTags = 50;
inline constexpr std::size_t kMaxTagLength = 64;

// Lower-cases, trims and checks one tag: letters, digits, CJK, '-', '_', ':' and '.'.
Result<std::string> normalize_tag(std::string_view tag);
Result<std::vector<std::string>> normalize_tags(const std::vector<std::string>& tags);
Result<std::string> validate_subject(std::string_view subject);

}  // namespace gongdan
