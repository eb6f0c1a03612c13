// Who belongs where: a department's agents, an agent's departments, a contact's organization.
// (Statuses, departments, fields, forms, views and organizations themselves are declared
// resources: api/resource_routes.cpp.)
#include "api/answer_shape.hpp"
#include "api/router.hpp"
#include "api/ticket_body.hpp"
#include "api/ticket_handlers_common.hpp"

namespace gongdan::api {
namespace {

const Error kNoSuchAgent{ErrorCode::kNotFound, "no such agent", {}, 0};

using namespace shape;
using services::AgentDepartments;

const AnswerShape<AgentDepartments> kMembershipShape{
    computed<AgentDepartments>(
        "departments",
        [](const AgentDepartments& m) {
          json::array ids;
          for (auto d : m.departments) ids.emplace_back(d);
          return ids;
        },
        schema::array_of(schema::integer())),
    boolean("all_departments", &AgentDepartments::all_departments)
        .describe("Sees every department's tickets.")};

Response agent_departments(services::CatalogService& catalog, Request& r) {
  auto id = path_id(r, "id", kNoSuchAgent);
  if (!id) return error_response(id.error());
  auto found = catalog.agent_departments(r.who(), *id);
  if (!found) return error_response(found.error());
  return json_response(200, kMembershipShape.write(*found));
}

Response set_agent_departments(services::CatalogService& catalog, Request& r) {
  auto id = path_id(r, "id", kNoSuchAgent);
  if (!id) return error_response(id.error());
  auto body = parse_object(r.body, {"departments", "all_departments"});
  if (!body) return error_response(body.error());
  services::AgentDepartments m;
  auto departments = id_array(*body, "departments");
  if (!departments) return error_response(departments.error());
  m.departments = std::move(*departments);
  auto all = optional_bool(*body, "all_departments");
  if (!all) return error_response(all.error());
  m.all_departments = all->value_or(false);
  auto saved = catalog.set_agent_departments(r.who(), *id, m);
  if (!saved) return error_response(saved.error());
  return json_response(200, kMembershipShape.write(*saved));
}

Response set_contact_organization(services::CatalogService& catalog, Request& r) {
  auto id = path_id(r, "id", Error{ErrorCode::kNotFound, "no such contact", {}, 0});
  if (!id) return error_response(id.error());
  auto body = parse_object(r.body, {"organization"});
  if (!body) return error_response(body.error());
  auto org = optional_id(*body, "organization");
  if (!org) return error_response(org.error());
  if (auto done = catalog.set_contact_organization(r.who(), *id, *org); !done)
    return error_response(done.error());
  return no_content();
}

}  // namespace

void add_catalog_routes(Router& router, ApiContext& ctx) {
  auto& catalog = ctx.catalog;
  router.add("GET", "/api/v1/departments/{id}/agents", Access::kSignedIn, "settings",
             "Agents of a department", [&catalog](Request& r) {
               auto id = path_id(r, "id", {ErrorCode::kNotFound, "no such department", {}, 0});
               if (!id) return error_response(id.error());
               auto agents = catalog.department_agents(r.who(), *id);
               if (!agents) return error_response(agents.error());
               json::array items;
               for (auto a : *agents) items.emplace_back(a);
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  router.add("GET", "/api/v1/agents/{id}/departments", Access::kSignedIn, "agents",
             "An agent's departments",
             doc("getAgentDepartments").returns(200, kMembershipShape.schema()),
             [&catalog](Request& r) { return agent_departments(catalog, r); });
  router.add(
      "PUT", "/api/v1/agents/{id}/departments", Access::kSignedIn, "agents",
      "Set an agent's departments (admins)",
      doc("setAgentDepartments")
          .body(schema::object(
              {{"departments", schema::array_of(schema::integer().minimum(1)).max_items(100)},
               {"all_departments", schema::boolean()}}))
          .returns(200, kMembershipShape.schema()),
      [&catalog](Request& r) { return set_agent_departments(catalog, r); });
  router.add("PUT", "/api/v1/contacts/{id}/organization", Access::kSignedIn, "contacts",
             "Put a contact in an organization (or none)",
             [&catalog](Request& r) { return set_contact_organization(catalog, r); });
}

}  // namespace gongdan::api
