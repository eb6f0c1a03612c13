// Persistence of what admins configure around tickets: statuses, departments and who belongs to
// them, organizations, custom fields, forms and saved views.
#pragma once

#include <optional>
#include <vector>

#include "domain/ticket.hpp"
#include "store/database.hpp"

namespace gongdan::store {

Result<std::vector<Status>> list_statuses(Connection& c);
Result<std::int64_t> insert_status(Connection& c, const Status& s);
Result<bool> update_status(Connection& c, const Status& s);

struct Department {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  Millis created_at = 0;
};
Result<std::vector<Department>> list_departments(Connection& c);
Result<std::int64_t> insert_department(Connection& c, const Department& d);
Result<bool> update_department(Connection& c, const Department& d);
Result<std::vector<std::int64_t>> departments_of_agent(Connection& c, std::int64_t agent_id);
Result<std::vector<std::int64_t>> agents_of_department(Connection& c, std::int64_t department_id);
Result<void> set_departments_of_agent(Connection& c, std::int64_t agent_id,
                                      const std::vector<std::int64_t>& departments);
Result<void> set_all_departments(Connection& c, std::int64_t agent_id, bool all);
Result<bool> agent_sees_all_departments(Connection& c, std::int64_t agent_id);

struct Organization {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> domains;
  bool shared_tickets = false;
  std::string tier;
  std::string notes;
  Millis created_at = 0;
  Millis updated_at = 0;
};
Result<std::vector<Organization>> list_organizations(Connection& c, std::int64_t after_id,
                                                     int limit);
Result<std::optional<Organization>> find_organization(Connection& c, std::int64_t id);
Result<std::optional<Organization>> find_organization_by_domain(Connection& c,
                                                                std::string_view domain);
Result<std::int64_t> insert_organization(Connection& c, const Organization& o);
Result<bool> update_organization(Connection& c, const Organization& o);
Result<std::optional<std::int64_t>> organization_of_user(Connection& c, std::int64_t user_id);
Result<void> set_organization_of_user(Connection& c, std::int64_t user_id,
                                      std::optional<std::int64_t> organization_id);

struct CustomFieldRow {
  std::int64_t id = 0;
  std::string key;
  std::string type;
  std::string label;
  std::string label_zh;
  std::string options = "[]";  // JSON
  bool active = true;
  int position = 0;
};
Result<std::vector<CustomFieldRow>> list_custom_fields(Connection& c);
Result<std::int64_t> insert_custom_field(Connection& c, const CustomFieldRow& f);
Result<bool> update_custom_field(Connection& c, const CustomFieldRow& f);

struct FormRow {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> department_id;
  std::string fields = "[]";  // JSON: [{"key": "...", "required": true}]
  bool active = true;
};
Result<std::vector<FormRow>> list_forms(Connection& c);
Result<std::int64_t> insert_form(Connection& c, const FormRow& f);
Result<bool> update_form(Connection& c, const FormRow& f);

struct SavedViewRow {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> owner_id;  // none = shared with everyone
  std::string filters;                   // JSON
  std::string sort = "-updated_at";
  int position = 0;
  Millis created_at = 0;
};
Result<std::vector<SavedViewRow>> list_saved_views(Connection& c);
Result<std::int64_t> insert_saved_view(Connection& c, const SavedViewRow& v);
Result<bool> update_saved_view(Connection& c, const SavedViewRow& v);
Result<bool> delete_saved_view(Connection& c, std::int64_t id);

// Contact identities: more emails and phones for one person.
Result<std::optional<std::int64_t>> find_user_by_identity(Connection& c, std::string_view kind,
                                                          std::string_view value);
Result<void> add_identity(Connection& c, std::int64_t user_id, std::string_view kind,
                          std::string_view value);
// Replaces the person's identities of one kind with `values`.
Result<void> replace_identities(Connection& c, std::int64_t user_id, std::string_view kind,
                                const std::vector<std::string>& values);
Result<std::vector<std::pair<std::string, std::string>>> identities_of(Connection& c,
                                                                       std::int64_t user_id);

}  // namespace gongdan::store
