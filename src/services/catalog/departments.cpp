// Departments: groups of agents that tickets belong to (their names are unique, whatever the
// case). Who works in which is set per agent (CatalogService::set_agent_departments).
#include "services/catalog/catalog_resources.hpp"

namespace gongdan::services {

const Resource<Department>& department_resource() {
  static const Resource<Department> r = declare<Department>(
      resource_info("departments", "department", {"Departments", "部门"}, "settings")
          .order_by("name")
          .invalidates(Invalidates::kSettings),
      {field_of(&Department::id, id_field()), field_of(&Department::name, unique_name_field(100)),
       field_of(&Department::description,
                long_text_field("description", {"Description", "说明"}).max(10000)),
       field_of(&Department::created_at, time_field("created_at"))});
  return r;
}

void add_departments(Resources& resources) { resources.add(department_resource()); }

}  // namespace gongdan::services
