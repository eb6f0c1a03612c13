#include "services/staff_roles.hpp"

#include <fmt/format.h>

#include "services/credential_cache.hpp"
#include "store/roles_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {

const Resource<StaffRole>& staff_role_resource() {
  static const Resource<StaffRole> r = declare<StaffRole>(
      resource_info("roles", "custom_role", {"Roles", "角色"}, "agents")
          .order_by("name")
          .read_by(Audience::kUserManagers)
          .written_by(Audience::kUserManagers)
          .ops({.remove = true})
          .invalidates(Invalidates::kViewers),
      {field_of(&StaffRole::id, id_field()),
       field_of(&StaffRole::name,
                unique_name_field(100).help({"The role's name (in English, or its only name).",
                                             "角色名称（英文名，或唯一的名称）。"})),
       field_of(&StaffRole::name_zh,
                text_field("name_zh", {"Chinese name", "中文名称"},
                           {"Shown in the Chinese desk; empty: the name above.",
                            "中文界面显示的名称；留空：使用上面的名称。"})
                    .max(100)),
       field_of(&StaffRole::permissions,
                list_field("permissions", {"Permissions", "权限"},
                           {"Permission names, e.g. tickets.view tickets.note reports.view "
                            "(docs/permissions.md).",
                            "权限名称，例如 tickets.view tickets.note reports.view"
                            "（docs/permissions.md）。"})
                    .separator(' ')),
       field_of(&StaffRole::created_at, time_field("created_at")),
       field_of(&StaffRole::updated_at, time_field("updated_at"))});
  return r;
}

namespace {

// The names checked (an unknown one is a 400 that names it) and put in the matrix's order.
Result<void> check_role(StaffRole& role) {
  GONGDAN_ASSIGN(auto set, parse_permissions(role.permissions));
  role.permissions = permission_names(set);
  return {};
}

}  // namespace

void add_staff_roles(Resources& resources, CredentialCache& credentials) {
  Hooks<StaffRole> hooks;
  hooks.check = item_check<StaffRole>(check_role);
  hooks.removing = [](store::Connection& c, const StaffRole& role) -> Result<void> {
    GONGDAN_ASSIGN(auto holders, store::role_holders(c, role.id));
    if (holders.empty()) return {};
    std::string ids;
    for (std::size_t i = 0; i < holders.size() && i < 10; ++i)
      ids += (i ? ", " : "") + std::to_string(holders[i]);
    return fail(ErrorCode::kConflict,
                fmt::format("the role \"{}\" is held by {} staff member(s) (user {}{}); give them "
                            "another role first",
                            role.name, holders.size(), ids, holders.size() > 10 ? ", …" : ""));
  };
  // Its holders count as the built-in role the new permissions make them, and their cached
  // credentials go on every node, so the next request carries the new permissions.
  hooks.written = [&credentials](store::Connection& c, const StaffRole& role,
                                 Change change) -> Result<void> {
    if (change == Change::kRemove) return {};
    GONGDAN_ASSIGN(auto set, parse_permissions(role.permissions));
    GONGDAN_TRY(store::set_holders_base_role(c, role.id, base_role_of(set)));
    GONGDAN_ASSIGN(auto holders, store::role_holders(c, role.id));
    c.after_commit([&credentials, holders = std::move(holders)] {
      for (auto id : holders) credentials.evict(CredentialTarget::user(id));
    });
    return {};
  };
  resources.add(staff_role_resource(), std::move(hooks));
}

PermissionSet stored_permissions(std::string_view names) {
  PermissionSet set;
  for (auto name : text::split(names, ' '))
    if (auto p = parse_permission(text::trim(name))) set.add(*p);
  return set;
}

Result<std::optional<PermissionSet>> custom_permissions(store::Connection& c, const User& user) {
  if (!user.role_id || !is_agent_role(user.role)) return std::optional<PermissionSet>{};
  GONGDAN_ASSIGN(auto names, store::role_permissions(c, *user.role_id));
  return std::optional<PermissionSet>(names ? stored_permissions(*names) : PermissionSet{});
}

}  // namespace gongdan::services
