// Who may see and change a ticket. Pure rules over the viewer and the ticket; the store turns
// the same rules into SQL for lists (see store/ticket_query), and a test matrix checks both.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "domain/permission.hpp"
#include "domain/ticket.hpp"
#include "domain/user.hpp"

namespace gongdan {

struct Viewer {
  std::int64_t user_id = 0;
  Role role = Role::kCustomer;
  bool all_departments = false;                 // agents granted every department
  std::vector<std::int64_t> departments;        // agents: the departments they belong to
  std::optional<std::int64_t> organization_id;  // customers
  bool organization_shares = false;  // the customer's organization shares tickets among members
  // A custom role's permissions; none: the built-in role's preset.
  std::optional<PermissionSet> custom_permissions;

  bool is_agent() const { return is_agent_role(role); }
  PermissionSet permissions() const {
    return custom_permissions ? *custom_permissions : preset_permissions(role);
  }
  bool can(Permission p) const { return permissions().has(p); }
  // Staff who may view every department's tickets (admins and supervisors by their roles), and
  // agents granted all departments.
  bool sees_all_departments() const {
    return is_agent() && (can(Permission::kViewAllTickets) || all_departments);
  }
  // Staff who see no ticket at all: a custom role without either view permission.
  bool sees_no_tickets() const {
    return is_agent() && !can(Permission::kViewTickets) && !can(Permission::kViewAllTickets);
  }
};

bool can_see_ticket(const Viewer& viewer, const Ticket& ticket, bool viewer_follows = false);
bool can_see_internal_notes(const Viewer& viewer);
// The history fields a customer may read: what they can see on the ticket anyway (subject,
// status, the conversation, merges and splits). Tags, assignment and its reasons, rules,
// automations, SLA, notifications and webhooks stay with the agents.
inline constexpr std::string_view kCustomerHistoryFields[] = {
    "subject", "status", "message", "merged_into", "merged_from", "split_to"};
// Changing fields (status, priority, …): staff with tickets.edit (admins, supervisors, agents).
bool can_edit_ticket_fields(const Viewer& viewer);
// Changing the assignee or the department: staff with tickets.assign.
bool can_assign_tickets(const Viewer& viewer);
// Customers reply on their own tickets; staff need tickets.reply (not light agents).
bool can_reply_publicly(const Viewer& viewer);
bool can_add_internal_note(const Viewer& viewer);

}  // namespace gongdan
