// A ticket filter: what a list request, a saved view or a search query asks for. Matching is
// pure, so a saved view's count can be kept up to date by checking each changed ticket against
// it before and after the change, instead of counting on every request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/ticket.hpp"
#include "util/result.hpp"

namespace gongdan {

// Where a ticket's SLA stands, as the desk's badge shows it: no policy (or no target left),
// paused (pending or on hold), breached (a target overdue), warning (the soonest target within
// kSlaWarningMs), ok.
enum class SlaState { kNone, kPaused, kBreached, kWarning, kOk };
inline constexpr Millis kSlaWarningMs = 3600 * 1000;
std::string_view sla_state_name(SlaState s);
std::optional<SlaState> parse_sla_state(std::string_view name);
SlaState sla_state_of(const Ticket& t, Millis now);

// A custom field's value the ticket must hold: equal to it, or (a multi-select) among its
// values. The key is a custom field's key; the value is the text the desk shows for it
// (`x100`, `true`, `42`, `2026-01-31`).
struct CustomFieldMatch {
  std::string key;
  std::string value;
  bool operator==(const CustomFieldMatch&) const = default;
};

// A custom field's key as a filter takes it: letters, digits, `_` and `-`, at most 64.
bool valid_custom_field_key(std::string_view key);

struct TicketFilter {
  std::vector<std::int64_t> status_ids;
  std::vector<StatusCategory> categories;
  // Departments; the value 0 stands for "no department".
  std::vector<std::int64_t> departments;
  // Assignees; 0 stands for "unassigned". kMe is replaced by the viewer before use.
  std::vector<std::int64_t> assignees;
  std::optional<std::int64_t> requester_id;
  std::optional<std::int64_t> organization_id;
  std::optional<std::string> tag;
  std::vector<Priority> priorities;
  std::vector<TicketType> types;
  std::optional<std::string> channel;
  std::optional<Millis> created_from, created_to, updated_from, updated_to;
  // The id the ticket had in the help desk it was imported from (docs/import.md). Lists and
  // searches only: it is no field of a Ticket, so matches() cannot check it and saved views
  // never hold it.
  std::optional<std::string> external_id;
  // Any of these SLA states, judged at sla_now (which the list sets to the clock's time).
  std::vector<SlaState> sla_states;
  Millis sla_now = 0;
  // All of these custom field values.
  std::vector<CustomFieldMatch> custom_fields;

  static constexpr std::int64_t kMe = -1;
  bool uses_me() const;
  TicketFilter for_viewer(std::int64_t user_id) const;
  bool empty() const;
  // SLA states change with time alone, and custom field values live in the ticket's JSON: a
  // saved view that uses them is counted by a query when asked, not kept by counters.
  bool counted_by_query() const { return !sla_states.empty() || !custom_fields.empty(); }
};

// Ignores sla_states and custom_fields (see counted_by_query).
bool matches(const TicketFilter& filter, const Ticket& ticket);

// The per-dimension counter keys a ticket contributes to (category, department, assignee,
// status, unassigned-by-department). Stored counts are sums of these.
std::vector<std::string> count_keys(const Ticket& ticket);
std::string category_key(StatusCategory c);
std::string department_key(std::int64_t department, StatusCategory c);
std::string assignee_key(std::int64_t assignee, StatusCategory c);
std::string unassigned_key(std::int64_t department, StatusCategory c);
std::string status_key(std::int64_t status_id);
std::string saved_view_key(std::int64_t view_id);

}  // namespace gongdan
