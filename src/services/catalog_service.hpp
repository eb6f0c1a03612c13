// What admins configure around tickets: statuses (custom names in a fixed category),
// departments and who works in them, organizations, custom fields, forms per department, and
// saved views. Reads are open to agents (and statuses/fields to everyone signed in, since the
// portal shows them); every change is admin-only, audited, and refreshes the cached catalog.
#pragma once

#include <boost/json.hpp>

#include "services/directory.hpp"
#include "services/principal.hpp"
#include "store/catalog_store.hpp"

namespace gongdan::services {

struct StatusInput {
  std::optional<std::string> name, name_zh;
  std::optional<StatusCategory> category;
  std::optional<int> position;
  std::optional<bool> active;
};

struct FieldInput {
  std::optional<std::string> key, type, label, label_zh;
  std::optional<boost::json::value> options;
  std::optional<bool> active;
  std::optional<int> position;
};

struct FormInput {
  std::optional<std::string> name;
  std::optional<std::optional<std::int64_t>> department_id;
  std::optional<boost::json::value> fields;  // [{"key": "...", "required": bool}]
  std::optional<bool> active;
};

struct ViewInput {
  std::optional<std::string> name;
  std::optional<std::string> filters_json;
  std::optional<std::string> sort;
  std::optional<bool> shared;
  std::optional<int> position;
};

struct OrganizationInput {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> domains;
  std::optional<bool> shared_tickets;
  std::optional<std::string> tier, notes;
};

struct AgentDepartments {
  std::vector<std::int64_t> departments;
  bool all_departments = false;
};

class CatalogService {
 public:
  CatalogService(store::Database& db, const Clock& clock, Directory& directory)
      : db_(db), clock_(clock), directory_(directory) {}

  Result<std::shared_ptr<const Catalog>> catalog(const Principal& who);

  Result<Status> create_status(const Principal& who, const StatusInput& in);
  Result<Status> update_status(const Principal& who, std::int64_t id, const StatusInput& in);

  Result<store::Department> create_department(const Principal& who, std::string name,
                                              std::string description);
  Result<store::Department> update_department(const Principal& who, std::int64_t id,
                                              std::optional<std::string> name,
                                              std::optional<std::string> description);
  Result<std::vector<std::int64_t>> department_agents(const Principal& who, std::int64_t id);
  Result<AgentDepartments> agent_departments(const Principal& who, std::int64_t agent_id);
  Result<AgentDepartments> set_agent_departments(const Principal& who, std::int64_t agent_id,
                                                 const AgentDepartments& in);

  Result<FieldDefinition> create_field(const Principal& who, const FieldInput& in);
  Result<FieldDefinition> update_field(const Principal& who, std::int64_t id, const FieldInput& in);

  Result<store::FormRow> create_form(const Principal& who, const FormInput& in);
  Result<store::FormRow> update_form(const Principal& who, std::int64_t id, const FormInput& in);

  Result<SavedView> create_view(const Principal& who, const ViewInput& in);
  Result<SavedView> update_view(const Principal& who, std::int64_t id, const ViewInput& in);
  Result<void> delete_view(const Principal& who, std::int64_t id);

  Result<std::vector<store::Organization>> organizations(const Principal& who,
                                                         std::int64_t after_id, int limit);
  Result<store::Organization> organization(const Principal& who, std::int64_t id);
  Result<store::Organization> create_organization(const Principal& who,
                                                  const OrganizationInput& in);
  Result<store::Organization> update_organization(const Principal& who, std::int64_t id,
                                                  const OrganizationInput& in);
  Result<void> set_contact_organization(const Principal& who, std::int64_t contact_id,
                                        std::optional<std::int64_t> organization_id);

 private:
  Result<void> recount_view(store::Connection& c, const SavedView& view);
  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
};

}  // namespace gongdan::services
