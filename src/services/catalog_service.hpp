// Who belongs where in the catalog: agents' departments and contacts' organizations (admins
// change them; audited; cached viewers are dropped). The catalog's items themselves (statuses,
// departments, fields, forms, views, organizations) are declared resources
// (services/catalog/).
#pragma once

#include <boost/json.hpp>

#include "services/directory.hpp"
#include "services/principal.hpp"

namespace gongdan::services {

struct AgentDepartments {
  std::vector<std::int64_t> departments;
  bool all_departments = false;
};

class CatalogService {
 public:
  CatalogService(store::Database& db, const Clock& clock, Directory& directory)
      : db_(db), clock_(clock), directory_(directory) {}

  Result<std::shared_ptr<const Catalog>> catalog(const Principal& who);

  Result<std::vector<std::int64_t>> department_agents(const Principal& who, std::int64_t id);
  Result<AgentDepartments> agent_departments(const Principal& who, std::int64_t agent_id);
  Result<AgentDepartments> set_agent_departments(const Principal& who, std::int64_t agent_id,
                                                 const AgentDepartments& in);

  Result<void> set_contact_organization(const Principal& who, std::int64_t contact_id,
                                        std::optional<std::int64_t> organization_id);

 private:
  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
};

}  // namespace gongdan::services
