#include "domain/ticket_access.hpp"

#include <algorithm>

namespace gongdan {

bool can_see_ticket(const Viewer& v, const Ticket& t, bool viewer_follows) {
  if (v.role == Role::kCustomer) {
    if (t.requester_id == v.user_id || viewer_follows) return true;
    return v.organization_shares && v.organization_id && t.organization_id == v.organization_id;
  }
  if (v.sees_no_tickets()) return false;
  if (v.sees_all_departments()) return true;
  if (!t.department_id) return true;  // not yet routed: every agent may pick it up
  if (t.assignee_id == v.user_id) return true;
  return std::find(v.departments.begin(), v.departments.end(), *t.department_id) !=
         v.departments.end();
}

bool can_see_internal_notes(const Viewer& v) { return v.is_agent(); }

bool can_edit_ticket_fields(const Viewer& v) {
  return v.is_agent() && v.can(Permission::kEditTickets);
}

bool can_assign_tickets(const Viewer& v) {
  return v.is_agent() && v.can(Permission::kAssignTickets);
}

bool can_reply_publicly(const Viewer& v) { return !v.is_agent() || v.can(Permission::kReply); }

bool can_add_internal_note(const Viewer& v) { return v.is_agent() && v.can(Permission::kAddNotes); }

}  // namespace gongdan
