// The catalog admins configure around tickets, as declared resources: statuses (custom names
// in a fixed category), departments, custom fields, ticket forms, saved views and organizations.
// Each file in this folder declares one and plugs in its own checks; the Directory caches what
// ticket commands read of them.
#pragma once

#include "domain/custom_field.hpp"
#include "domain/department.hpp"
#include "domain/resource.hpp"
#include "domain/ticket.hpp"
#include "domain/ticket_form.hpp"
#include "services/resource_service.hpp"

namespace gongdan::services {

class Directory;

const Resource<Status>& status_resource();
const Resource<Department>& department_resource();
const Resource<FieldDefinition>& field_resource();
const Resource<TicketForm>& form_resource();
const Resource<View>& view_resource();
const Resource<Organization>& organization_resource();

void add_statuses(Resources& resources, Directory& directory);
void add_departments(Resources& resources);
void add_custom_fields(Resources& resources);
void add_forms(Resources& resources, Directory& directory);
void add_views(Resources& resources, Directory& directory);
void add_organizations(Resources& resources);

// Every one of them, in the order the desk lists them.
inline void add_catalog_resources(Resources& resources, Directory& directory) {
  add_departments(resources);
  add_statuses(resources, directory);
  add_custom_fields(resources);
  add_forms(resources, directory);
  add_views(resources, directory);
  add_organizations(resources);
}

}  // namespace gongdan::services
