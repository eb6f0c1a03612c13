#include "domain/permission.hpp"

#include <algorithm>

namespace gongdan {
namespace {

struct PermissionInfo {
  Permission permission;
  std::string_view name;
  std::string_view en;
  std::string_view zh;
};

// The order of the matrix: tickets, then people, reports, knowledge, administration.
constexpr PermissionInfo kPermissions[] = {
    {Permission::kViewTickets, "tickets.view", "View tickets of their departments",
     "查看本部门的工单"},
    {Permission::kViewAllTickets, "tickets.view_all", "View tickets of all departments",
     "查看所有部门的工单"},
    {Permission::kCreateTickets, "tickets.create", "Create tickets", "创建工单"},
    {Permission::kReply, "tickets.reply", "Reply publicly", "公开回复"},
    {Permission::kAddNotes, "tickets.note", "Add internal notes", "添加内部备注"},
    {Permission::kEditTickets, "tickets.edit", "Change ticket fields", "修改工单字段"},
    {Permission::kAssignTickets, "tickets.assign", "Assign tickets", "分配工单"},
    {Permission::kMergeTickets, "tickets.merge", "Merge and split tickets", "合并与拆分工单"},
    {Permission::kManageContacts, "contacts.manage", "Manage contacts", "管理联系人"},
    {Permission::kViewOwnReports, "reports.view", "View their own reports", "查看本人报表"},
    {Permission::kViewDepartmentReports, "reports.departments", "View their departments' reports",
     "查看本部门报表"},
    {Permission::kViewAllReports, "reports.all", "View all reports", "查看全部报表"},
    {Permission::kManageKnowledgeBase, "kb.manage", "Manage the knowledge base", "管理知识库"},
    {Permission::kManageSettings, "settings.manage", "Manage settings", "管理设置"},
    {Permission::kManageUsers, "users.manage", "Manage agents and roles", "管理客服与角色"},
    {Permission::kViewAudit, "audit.view", "View the audit log", "查看审计日志"},
    {Permission::kExportData, "data.export", "Export a contact's data", "导出联系人数据"},
    {Permission::kEraseData, "data.erase", "Erase a contact", "删除联系人数据"},
};
static_assert(std::size(kPermissions) == kPermissionCount);

const PermissionInfo* info_of(Permission p) {
  for (const auto& i : kPermissions)
    if (i.permission == p) return &i;
  return nullptr;
}

}  // namespace

std::string_view permission_name(Permission p) {
  const auto* i = info_of(p);
  return i ? i->name : "";
}

std::optional<Permission> parse_permission(std::string_view name) {
  for (const auto& i : kPermissions)
    if (i.name == name) return i.permission;
  return std::nullopt;
}

std::string_view permission_label(Permission p, bool zh) {
  const auto* i = info_of(p);
  if (!i) return "";
  return zh ? i->zh : i->en;
}

const std::vector<Permission>& all_permissions() {
  static const std::vector<Permission> all = [] {
    std::vector<Permission> out;
    for (const auto& i : kPermissions) out.push_back(i.permission);
    return out;
  }();
  return all;
}

std::vector<std::string> permission_names(PermissionSet set) {
  std::vector<std::string> out;
  for (const auto& i : kPermissions)
    if (set.has(i.permission)) out.emplace_back(i.name);
  return out;
}

Result<PermissionSet> parse_permissions(const std::vector<std::string>& names,
                                        std::string_view field) {
  PermissionSet set;
  for (const auto& name : names) {
    auto p = parse_permission(name);
    if (!p)
      return fail(ErrorCode::kInvalidArgument, "unknown permission: " + name, std::string(field));
    set.add(*p);
  }
  return set;
}

PermissionSet preset_permissions(Role role) {
  using P = Permission;
  switch (role) {
    case Role::kAdmin:
      return PermissionSet::all();
    case Role::kSupervisor:
      return {
          P::kViewTickets,    P::kViewAllTickets,        P::kCreateTickets,      P::kReply,
          P::kAddNotes,       P::kEditTickets,           P::kAssignTickets,      P::kMergeTickets,
          P::kViewOwnReports, P::kViewDepartmentReports, P::kManageKnowledgeBase};
    case Role::kAgent:
      return {P::kViewTickets,  P::kCreateTickets,  P::kReply,
              P::kAddNotes,     P::kEditTickets,    P::kAssignTickets,
              P::kMergeTickets, P::kViewOwnReports, P::kManageKnowledgeBase};
    case Role::kLightAgent:
      return {P::kViewTickets, P::kAddNotes, P::kViewOwnReports};
    case Role::kCustomer:
      return {};
  }
  return {};
}

Role base_role_of(PermissionSet set) {
  return set.has(Permission::kEditTickets) ? Role::kAgent : Role::kLightAgent;
}

}  // namespace gongdan
