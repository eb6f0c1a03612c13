#include "services/catalog_service.hpp"

#include <algorithm>

#include "services/audit.hpp"
#include "store/catalog_store.hpp"
#include "store/resource_store.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
Result<std::shared_ptr<const Catalog>> CatalogService::catalog(const Principal&) {
  return directory_.catalog();
}

Result<std::vector<std::int64_t>> CatalogService::department_agents(const Principal& who,
                                                                    std::int64_t id) {
  if (!who.is_agent()) return fail(ErrorCode::kPermissionDenied, "agents only");
  GONGDAN_ASSIGN(auto out, store::read_value(db_, [&](store::Connection& c) {
                   return store::agents_of_department(c, id);
                 }));
  return out;
}

Result<AgentDepartments> CatalogService::agent_departments(const Principal& who,
                                                           std::int64_t agent_id) {
  if (!who.can(Permission::kManageUsers) && who.user.id != agent_id)
    return fail(ErrorCode::kPermissionDenied, "only admins may read others' departments");
  AgentDepartments out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto user, store::find_user(c, agent_id));
    if (!user || !is_agent_role(user->role)) return fail(ErrorCode::kNotFound, "no such agent");
    GONGDAN_ASSIGN(out.departments, store::departments_of_agent(c, agent_id));
    GONGDAN_ASSIGN(out.all_departments, store::agent_sees_all_departments(c, agent_id));
    return {};
  }));
  return out;
}

Result<AgentDepartments> CatalogService::set_agent_departments(const Principal& who,
                                                               std::int64_t agent_id,
                                                               const AgentDepartments& in) {
  GONGDAN_TRY(require(who, Permission::kManageUsers, "change an agent's departments"));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  for (auto d : in.departments)
    if (!catalog->department(d))
      return fail(ErrorCode::kInvalidArgument, "no such department: " + std::to_string(d),
                  "departments");
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto user, store::find_user(c, agent_id));
    if (!user || !is_agent_role(user->role)) return fail(ErrorCode::kNotFound, "no such agent");
    GONGDAN_TRY(store::set_departments_of_agent(c, agent_id, in.departments));
    GONGDAN_TRY(store::set_all_departments(c, agent_id, in.all_departments));
    return record_audit(c, clock_.now_ms(), actor_id(who), "agent.departments",
                        "user:" + std::to_string(agent_id), who.ip);
  }));
  directory_.invalidate_viewers();
  return in;
}

Result<void> CatalogService::set_contact_organization(const Principal& who, std::int64_t contact_id,
                                                      std::optional<std::int64_t> organization_id) {
  GONGDAN_TRY(require(who, Permission::kManageContacts, "change a contact's organization"));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto user, store::find_user(c, contact_id));
    if (!user || user->role != Role::kCustomer)
      return fail(ErrorCode::kNotFound, "no such contact");
    if (organization_id) {
      GONGDAN_ASSIGN(bool org, store::item_exists(c, "organizations", *organization_id));
      if (!org) return fail(ErrorCode::kInvalidArgument, "no such organization", "organization");
    }
    GONGDAN_TRY(store::set_organization_of_user(c, contact_id, organization_id));
    return record_audit(c, clock_.now_ms(), actor_id(who), "contact.organization",
                        "user:" + std::to_string(contact_id), who.ip);
  }));
  directory_.invalidate_viewers();
  return {};
}

}  // namespace gongdan::services
