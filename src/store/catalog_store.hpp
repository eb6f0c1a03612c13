// Who belongs where: agents' departments, contacts' organizations and contact identities.
// (Statuses, departments, organizations, fields, forms and views themselves are declared
// resources, stored by store/resource_store.)
#pragma once

#include <optional>
#include <vector>

#include "domain/ticket.hpp"
#include "store/database.hpp"

namespace gongdan::store {

Result<std::vector<std::int64_t>> departments_of_agent(Connection& c, std::int64_t agent_id);
Result<std::vector<std::int64_t>> agents_of_department(Connection& c, std::int64_t department_id);
Result<void> set_departments_of_agent(Connection& c, std::int64_t agent_id,
                                      const std::vector<std::int64_t>& departments);
Result<void> set_all_departments(Connection& c, std::int64_t agent_id, bool all);
Result<bool> agent_sees_all_departments(Connection& c, std::int64_t agent_id);

// The organization (its id) whose mail domains include `domain`.
Result<std::optional<std::int64_t>> find_organization_by_domain(Connection& c,
                                                                std::string_view domain);
Result<std::optional<std::int64_t>> organization_of_user(Connection& c, std::int64_t user_id);
Result<void> set_organization_of_user(Connection& c, std::int64_t user_id,
                                      std::optional<std::int64_t> organization_id);

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
