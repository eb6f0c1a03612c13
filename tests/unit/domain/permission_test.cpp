#include "domain/permission.hpp"

#include <gtest/gtest.h>

#include "domain/ticket_access.hpp"

namespace gongdan {
namespace {

TEST(Permission, NamesRoundTripInTheMatrixOrder) {
  ASSERT_EQ(all_permissions().size(), static_cast<std::size_t>(kPermissionCount));
  for (auto p : all_permissions()) {
    EXPECT_EQ(parse_permission(permission_name(p)), p) << permission_name(p);
    EXPECT_FALSE(permission_label(p, false).empty());
    EXPECT_FALSE(permission_label(p, true).empty());
  }
  EXPECT_EQ(permission_names(PermissionSet{Permission::kViewAudit, Permission::kViewTickets}),
            (std::vector<std::string>{"tickets.view", "audit.view"}));
}

TEST(Permission, AnUnknownNameIsRefusedByName) {
  auto set = parse_permissions({"tickets.view", "tickets.fly"});
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(set.error().message.find("tickets.fly"), std::string::npos);
  EXPECT_EQ(set.error().field, "permissions");
  EXPECT_TRUE(parse_permissions({})->empty());
}

// The presets are what the roles could do before roles were composed.
TEST(Permission, PresetsKeepTheBuiltInRoles) {
  EXPECT_EQ(preset_permissions(Role::kAdmin), PermissionSet::all());
  EXPECT_TRUE(preset_permissions(Role::kCustomer).empty());
  const auto light = preset_permissions(Role::kLightAgent);
  EXPECT_TRUE(light.has(Permission::kAddNotes));
  EXPECT_FALSE(light.has(Permission::kReply));
  EXPECT_FALSE(light.has(Permission::kEditTickets));
  EXPECT_FALSE(light.has(Permission::kManageKnowledgeBase));
  const auto agent = preset_permissions(Role::kAgent);
  EXPECT_TRUE(agent.has(Permission::kReply) && agent.has(Permission::kManageKnowledgeBase));
  EXPECT_FALSE(agent.has(Permission::kViewAllTickets) || agent.has(Permission::kManageSettings));
  const auto supervisor = preset_permissions(Role::kSupervisor);
  EXPECT_TRUE(supervisor.has(Permission::kViewAllTickets));
  EXPECT_TRUE(supervisor.has(Permission::kViewDepartmentReports));
  EXPECT_FALSE(supervisor.has(Permission::kViewAllReports) ||
               supervisor.has(Permission::kManageUsers));
  EXPECT_EQ(base_role_of(agent), Role::kAgent);
  EXPECT_EQ(base_role_of(light), Role::kLightAgent);
}

TEST(Permission, TicketRulesFollowTheViewersPermissions) {
  Ticket home;
  home.department_id = 1;
  Ticket away;
  away.department_id = 2;
  Viewer notes{.user_id = 9, .role = Role::kLightAgent, .departments = {1}};
  notes.custom_permissions =
      PermissionSet{Permission::kViewTickets, Permission::kAddNotes, Permission::kAssignTickets};
  EXPECT_TRUE(can_see_ticket(notes, home));
  EXPECT_FALSE(can_see_ticket(notes, away));
  EXPECT_TRUE(can_add_internal_note(notes));
  EXPECT_FALSE(can_reply_publicly(notes));
  EXPECT_FALSE(can_edit_ticket_fields(notes));
  EXPECT_TRUE(can_assign_tickets(notes));

  Viewer reports = notes;
  reports.custom_permissions = PermissionSet{Permission::kViewAllTickets};
  EXPECT_TRUE(can_see_ticket(reports, away));
  EXPECT_FALSE(can_add_internal_note(reports));

  Viewer nothing = notes;
  nothing.custom_permissions = PermissionSet{Permission::kManageKnowledgeBase};
  Ticket unrouted;
  EXPECT_FALSE(can_see_ticket(nothing, unrouted));
  EXPECT_TRUE(nothing.sees_no_tickets());

  // Built-in roles without a custom set: as before.
  Viewer light{.user_id = 3, .role = Role::kLightAgent, .departments = {1}};
  EXPECT_TRUE(can_see_ticket(light, unrouted));
  EXPECT_FALSE(can_reply_publicly(light));
  Viewer customer{.user_id = 4, .role = Role::kCustomer};
  EXPECT_TRUE(can_reply_publicly(customer));
  EXPECT_FALSE(can_add_internal_note(customer));
}

}  // namespace
}  // namespace gongdan
