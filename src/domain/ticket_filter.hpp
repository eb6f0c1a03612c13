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

  static constexpr std::int64_t kMe = -1;
  bool uses_me() const;
  TicketFilter for_viewer(std::int64_t user_id) const;
  bool empty() const;
};

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
