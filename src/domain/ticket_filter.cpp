#include "domain/ticket_filter.hpp"

#include <algorithm>

#include "util/enum_names.hpp"

namespace gongdan {
namespace {

template <class T>
bool in_or_empty(const std::vector<T>& list, const T& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

constexpr Named<SlaState> kSlaStates[] = {{SlaState::kNone, "none"},
                                          {SlaState::kPaused, "paused"},
                                          {SlaState::kBreached, "breached"},
                                          {SlaState::kWarning, "warning"},
                                          {SlaState::kOk, "ok"}};

}  // namespace

std::string_view sla_state_name(SlaState s) { return name_in(kSlaStates, s, "none"); }

std::optional<SlaState> parse_sla_state(std::string_view name) {
  return value_in(kSlaStates, name);
}

SlaState sla_state_of(const Ticket& t, Millis now) {
  if (!t.sla_policy_id) return SlaState::kNone;
  if (t.category == StatusCategory::kPending || t.category == StatusCategory::kOnHold)
    return SlaState::kPaused;
  std::optional<Millis> soonest;
  for (const auto& due : {t.first_response_due_at, t.next_response_due_at, t.resolution_due_at})
    if (due && (!soonest || *due < *soonest)) soonest = due;
  if (!soonest) return SlaState::kNone;
  if (*soonest < now) return SlaState::kBreached;
  return *soonest - now <= kSlaWarningMs ? SlaState::kWarning : SlaState::kOk;
}

bool valid_custom_field_key(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  for (char c : key)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-'))
      return false;
  return true;
}

bool TicketFilter::uses_me() const {
  return std::find(assignees.begin(), assignees.end(), kMe) != assignees.end();
}

TicketFilter TicketFilter::for_viewer(std::int64_t user_id) const {
  TicketFilter copy = *this;
  for (auto& a : copy.assignees)
    if (a == kMe) a = user_id;
  return copy;
}

bool TicketFilter::empty() const {
  return status_ids.empty() && categories.empty() && departments.empty() && assignees.empty() &&
         !requester_id && !organization_id && !tag && priorities.empty() && types.empty() &&
         !channel && !created_from && !created_to && !updated_from && !updated_to && !external_id &&
         sla_states.empty() && custom_fields.empty();
}

bool matches(const TicketFilter& f, const Ticket& t) {
  if (!in_or_empty(f.status_ids, t.status_id)) return false;
  if (!in_or_empty(f.categories, t.category)) return false;
  if (!in_or_empty(f.departments, t.department_id.value_or(0))) return false;
  if (!in_or_empty(f.assignees, t.assignee_id.value_or(0))) return false;
  if (f.requester_id && *f.requester_id != t.requester_id) return false;
  if (f.organization_id && t.organization_id != f.organization_id) return false;
  if (f.tag && std::find(t.tags.begin(), t.tags.end(), *f.tag) == t.tags.end()) return false;
  if (!in_or_empty(f.priorities, t.priority)) return false;
  if (!in_or_empty(f.types, t.type)) return false;
  if (f.channel && *f.channel != t.channel) return false;
  if (f.created_from && t.created_at < *f.created_from) return false;
  if (f.created_to && t.created_at >= *f.created_to) return false;
  if (f.updated_from && t.updated_at < *f.updated_from) return false;
  if (f.updated_to && t.updated_at >= *f.updated_to) return false;
  return true;
}

std::string category_key(StatusCategory c) { return "c:" + std::string(category_name(c)); }
std::string department_key(std::int64_t d, StatusCategory c) {
  return "d:" + std::to_string(d) + ":" + std::string(category_name(c));
}
std::string assignee_key(std::int64_t a, StatusCategory c) {
  return "a:" + std::to_string(a) + ":" + std::string(category_name(c));
}
std::string unassigned_key(std::int64_t d, StatusCategory c) {
  return "u:" + std::to_string(d) + ":" + std::string(category_name(c));
}
std::string status_key(std::int64_t s) { return "s:" + std::to_string(s); }
std::string saved_view_key(std::int64_t v) { return "v:" + std::to_string(v); }

std::vector<std::string> count_keys(const Ticket& t) {
  const auto dept = t.department_id.value_or(0);
  std::vector<std::string> keys{category_key(t.category), department_key(dept, t.category),
                                assignee_key(t.assignee_id.value_or(0), t.category),
                                status_key(t.status_id)};
  if (!t.assignee_id) keys.push_back(unassigned_key(dept, t.category));
  return keys;
}

}  // namespace gongdan
