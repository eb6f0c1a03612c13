// Departments: groups of agents that tickets belong to (their names are unique, whatever the
// case). Who works in which is set per agent (CatalogService::set_agent_departments).
#include "services/catalog/catalog_resources.hpp"

namespace gongdan::services {

const Resource<Department>& department_resource() {
  static const Resource<Department> r = declare<Department>(
      {.name = "departments",
       .noun = "department",
       .title = {"Departments", "部门"},
       .path = "/api/v1/departments",
       .tag = "settings",
       .table = "departments",
       .order_by = "name",
       .read = Audience::kAgents,
       .invalidates = Invalidates::kSettings},
      {field_of(&Department::id, {.key = "id", .kind = FieldKind::kId}),
       field_of(&Department::name, {.key = "name",
                                    .label = {"Name", "名称"},
                                    .required = true,
                                    .min = 1,
                                    .max = 100,
                                    .unique = true,
                                    .fold_case = true}),
       field_of(&Department::description, {.key = "description",
                                           .kind = FieldKind::kLongText,
                                           .label = {"Description", "说明"},
                                           .max = 10000}),
       field_of(&Department::created_at, {.key = "created_at", .kind = FieldKind::kTime})});
  return r;
}

void add_departments(Resources& resources) { resources.add(department_resource()); }

}  // namespace gongdan::services
