// Admin settings around tickets: statuses, departments (and agents' memberships), custom
// fields, forms, saved views and organizations.
#include <charconv>

#include "api/router.hpp"
#include "api/ticket_body.hpp"
#include "api/ticket_handlers_common.hpp"

namespace gongdan::api {
namespace {

using services::Principal;

Result<std::int64_t> path_id(const Request& request, std::string_view name = "id") {
  auto text = request.param(name);
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
    return fail(ErrorCode::kNotFound, "not found");
  return id;
}

Result<std::optional<int>> optional_int(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<int>{};
  if (!it->value().is_int64() || it->value().as_int64() < -100000 ||
      it->value().as_int64() > 100000)
    return fail(ErrorCode::kInvalidArgument, "must be a whole number", std::string(key));
  return std::optional<int>(static_cast<int>(it->value().as_int64()));
}

std::optional<json::value> raw(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  return it->value();
}

json::object status_json(const Status& s) {
  return json::object{{"id", s.id},
                      {"name", s.name},
                      {"name_zh", s.name_zh},
                      {"category", category_name(s.category)},
                      {"position", s.position},
                      {"active", s.active}};
}

json::object department_json(const store::Department& d) {
  return json::object{{"id", d.id},
                      {"name", d.name},
                      {"description", d.description},
                      {"created_at", iso_time(d.created_at)}};
}

json::object field_json(const FieldDefinition& f) {
  return json::object{
      {"id", f.id},        {"key", f.key},           {"type", field_type_name(f.type)},
      {"label", f.label},  {"label_zh", f.label_zh}, {"options", field_options_json(f.options)},
      {"active", f.active}};
}

json::object form_json(const store::FormRow& f) {
  boost::system::error_code ec;
  auto fields = json::parse(f.fields, ec);
  return json::object{
      {"id", f.id},
      {"name", f.name},
      {"department", f.department_id ? json::value(*f.department_id) : json::value(nullptr)},
      {"fields", ec ? json::value(json::array{}) : fields},
      {"active", f.active}};
}

json::object view_json(const services::SavedView& v) {
  boost::system::error_code ec;
  auto filters = json::parse(v.filter_json, ec);
  return json::object{{"id", v.id},
                      {"name", v.name},
                      {"shared", !v.owner_id.has_value()},
                      {"filters", ec ? json::value(json::object{}) : filters},
                      {"sort", v.sort},
                      {"position", v.position}};
}

json::object organization_json(const store::Organization& o) {
  json::array domains;
  for (const auto& d : o.domains) domains.emplace_back(d);
  return json::object{{"id", o.id},
                      {"name", o.name},
                      {"domains", std::move(domains)},
                      {"shared_tickets", o.shared_tickets},
                      {"tier", o.tier},
                      {"notes", o.notes},
                      {"created_at", iso_time(o.created_at)}};
}

template <class T, class ToJson>
Response answer(const Result<T>& r, unsigned status, ToJson to_json) {
  if (!r) return error_response(r.error());
  return json_response(status, to_json(*r));
}

Result<services::StatusInput> status_input(const Request& request) {
  GONGDAN_ASSIGN(auto body,
                 parse_object(request.body, {"name", "name_zh", "category", "position", "active"}));
  services::StatusInput in;
  GONGDAN_ASSIGN(in.name, optional_string(body, "name", 200));
  GONGDAN_ASSIGN(in.name_zh, optional_string(body, "name_zh", 200));
  GONGDAN_ASSIGN(auto category, optional_string(body, "category", 32));
  if (category) {
    in.category = parse_category(*category);
    if (!in.category)
      return fail(ErrorCode::kInvalidArgument,
                  "must be new, open, pending, on_hold, solved or closed", "category");
  }
  GONGDAN_ASSIGN(in.position, optional_int(body, "position"));
  GONGDAN_ASSIGN(in.active, optional_bool(body, "active"));
  return in;
}

Result<services::FieldInput> field_input(const Request& request) {
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {"key", "type", "label", "label_zh",
                                                        "options", "active", "position"}));
  services::FieldInput in;
  GONGDAN_ASSIGN(in.key, optional_string(body, "key", 64));
  GONGDAN_ASSIGN(in.type, optional_string(body, "type", 32));
  GONGDAN_ASSIGN(in.label, optional_string(body, "label", 200));
  GONGDAN_ASSIGN(in.label_zh, optional_string(body, "label_zh", 200));
  in.options = raw(body, "options");
  GONGDAN_ASSIGN(in.active, optional_bool(body, "active"));
  GONGDAN_ASSIGN(in.position, optional_int(body, "position"));
  return in;
}

Result<services::FormInput> form_input(const Request& request) {
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {"name", "department", "fields", "active"}));
  services::FormInput in;
  GONGDAN_ASSIGN(in.name, optional_string(body, "name", 200));
  GONGDAN_ASSIGN(in.department_id, optional_nullable_id(body, "department"));
  in.fields = raw(body, "fields");
  GONGDAN_ASSIGN(in.active, optional_bool(body, "active"));
  return in;
}

Result<services::ViewInput> view_input(const Request& request) {
  GONGDAN_ASSIGN(auto body,
                 parse_object(request.body, {"name", "filters", "sort", "shared", "position"}));
  services::ViewInput in;
  GONGDAN_ASSIGN(in.name, optional_string(body, "name", 200));
  if (auto filters = raw(body, "filters")) {
    if (!filters->is_object())
      return fail(ErrorCode::kInvalidArgument, "must be an object", "filters");
    in.filters_json = json::serialize(*filters);
  }
  GONGDAN_ASSIGN(in.sort, optional_string(body, "sort", 32));
  GONGDAN_ASSIGN(in.shared, optional_bool(body, "shared"));
  GONGDAN_ASSIGN(in.position, optional_int(body, "position"));
  return in;
}

Result<services::OrganizationInput> organization_input(const Request& request) {
  GONGDAN_ASSIGN(auto body, parse_object(request.body,
                                         {"name", "domains", "shared_tickets", "tier", "notes"}));
  services::OrganizationInput in;
  GONGDAN_ASSIGN(in.name, optional_string(body, "name", 200));
  GONGDAN_ASSIGN(in.domains, optional_string_list(body, "domains"));
  GONGDAN_ASSIGN(in.shared_tickets, optional_bool(body, "shared_tickets"));
  GONGDAN_ASSIGN(in.tier, optional_string(body, "tier", 64));
  GONGDAN_ASSIGN(in.notes, optional_string(body, "notes", 10000));
  return in;
}

// Runs `parse` on the request, then `act` with the parsed input; errors at either step answer.
template <class Parse, class Act, class ToJson>
Response run(const Request& request, Parse parse, Act act, unsigned status, ToJson to_json) {
  auto input = parse(request);
  if (!input) return error_response(input.error());
  return answer(act(*input), status, to_json);
}

template <class Parse, class Act, class ToJson>
Response run_with_id(const Request& request, Parse parse, Act act, ToJson to_json) {
  auto id = path_id(request);
  if (!id) return error_response(id.error());
  auto input = parse(request);
  if (!input) return error_response(input.error());
  return answer(act(*id, *input), 200, to_json);
}

void add_settings(Router& router, ApiContext& ctx, services::CatalogService& catalog) {
  router.add("GET", "/api/v1/statuses", Access::kSignedIn, "settings", "Ticket statuses",
             [&ctx](Request&) {
               auto c = ctx.directory.catalog();
               if (!c) return error_response(c.error());
               json::array items;
               for (const auto& s : (*c)->statuses) items.push_back(status_json(s));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  router.add("POST", "/api/v1/statuses", Access::kSignedIn, "settings", "Add a status (admins)",
             [&catalog](Request& r) {
               return run(
                   r, status_input, [&](auto& in) { return catalog.create_status(r.who(), in); },
                   201, status_json);
             });
  router.add("PATCH", "/api/v1/statuses/{id}", Access::kSignedIn, "settings", "Change a status",
             [&catalog](Request& r) {
               return run_with_id(
                   r, status_input,
                   [&](auto id, auto& in) { return catalog.update_status(r.who(), id, in); },
                   status_json);
             });
  router.add("GET", "/api/v1/departments", Access::kSignedIn, "settings", "Departments",
             [&ctx](Request& r) {
               if (!r.who().is_agent())
                 return error_response({ErrorCode::kPermissionDenied, "agents only", {}});
               auto c = ctx.directory.catalog();
               if (!c) return error_response(c.error());
               json::array items;
               for (const auto& d : (*c)->departments) items.push_back(department_json(d));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  auto department_input = [](const Request& r)
      -> Result<std::pair<std::optional<std::string>, std::optional<std::string>>> {
    GONGDAN_ASSIGN(auto body, parse_object(r.body, {"name", "description"}));
    GONGDAN_ASSIGN(auto name, optional_string(body, "name", 200));
    GONGDAN_ASSIGN(auto description, optional_string(body, "description", 10000));
    return std::pair{name, description};
  };
  router.add("POST", "/api/v1/departments", Access::kSignedIn, "settings", "Add a department",
             [&catalog, department_input](Request& r) {
               return run(
                   r, department_input,
                   [&](auto& in) {
                     return catalog.create_department(r.who(), in.first.value_or(""),
                                                      in.second.value_or(""));
                   },
                   201, department_json);
             });
  router.add("PATCH", "/api/v1/departments/{id}", Access::kSignedIn, "settings",
             "Change a department", [&catalog, department_input](Request& r) {
               return run_with_id(
                   r, department_input,
                   [&](auto id, auto& in) {
                     return catalog.update_department(r.who(), id, in.first, in.second);
                   },
                   department_json);
             });
  router.add("GET", "/api/v1/departments/{id}/agents", Access::kSignedIn, "settings",
             "Agents of a department", [&catalog](Request& r) {
               auto id = path_id(r);
               if (!id) return error_response(id.error());
               auto agents = catalog.department_agents(r.who(), *id);
               if (!agents) return error_response(agents.error());
               json::array items;
               for (auto a : *agents) items.emplace_back(a);
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  auto membership_json = [](const services::AgentDepartments& m) {
    json::array ids;
    for (auto d : m.departments) ids.emplace_back(d);
    return json::object{{"departments", std::move(ids)}, {"all_departments", m.all_departments}};
  };
  router.add("GET", "/api/v1/agents/{id}/departments", Access::kSignedIn, "agents",
             "An agent's departments", [&catalog, membership_json](Request& r) {
               auto id = path_id(r);
               if (!id) return error_response(id.error());
               return answer(catalog.agent_departments(r.who(), *id), 200, membership_json);
             });
  router.add(
      "PUT", "/api/v1/agents/{id}/departments", Access::kSignedIn, "agents",
      "Set an agent's departments (admins)", [&catalog, membership_json](Request& r) {
        auto parse = [](const Request& req) -> Result<services::AgentDepartments> {
          GONGDAN_ASSIGN(auto body, parse_object(req.body, {"departments", "all_departments"}));
          services::AgentDepartments m;
          GONGDAN_ASSIGN(m.departments, id_array(body, "departments"));
          GONGDAN_ASSIGN(auto all, optional_bool(body, "all_departments"));
          m.all_departments = all.value_or(false);
          return m;
        };
        return run_with_id(
            r, parse,
            [&](auto id, auto& in) { return catalog.set_agent_departments(r.who(), id, in); },
            membership_json);
      });
}

void add_fields_forms_views(Router& router, ApiContext& ctx, services::CatalogService& catalog) {
  router.add("GET", "/api/v1/custom-fields", Access::kSignedIn, "settings", "Custom fields",
             [&ctx](Request&) {
               auto c = ctx.directory.catalog();
               if (!c) return error_response(c.error());
               json::array items;
               for (const auto& f : (*c)->fields) items.push_back(field_json(f));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  router.add("POST", "/api/v1/custom-fields", Access::kSignedIn, "settings", "Add a custom field",
             [&catalog](Request& r) {
               return run(
                   r, field_input, [&](auto& in) { return catalog.create_field(r.who(), in); }, 201,
                   field_json);
             });
  router.add("PATCH", "/api/v1/custom-fields/{id}", Access::kSignedIn, "settings",
             "Change a custom field", [&catalog](Request& r) {
               return run_with_id(
                   r, field_input,
                   [&](auto id, auto& in) { return catalog.update_field(r.who(), id, in); },
                   field_json);
             });
  router.add("GET", "/api/v1/forms", Access::kSignedIn, "settings", "Ticket forms",
             [&ctx](Request&) {
               auto c = ctx.directory.catalog();
               if (!c) return error_response(c.error());
               json::array items;
               for (const auto& f : (*c)->forms) items.push_back(form_json(f));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  router.add("POST", "/api/v1/forms", Access::kSignedIn, "settings", "Add a form",
             [&catalog](Request& r) {
               return run(
                   r, form_input, [&](auto& in) { return catalog.create_form(r.who(), in); }, 201,
                   form_json);
             });
  router.add("PATCH", "/api/v1/forms/{id}", Access::kSignedIn, "settings", "Change a form",
             [&catalog](Request& r) {
               return run_with_id(
                   r, form_input,
                   [&](auto id, auto& in) { return catalog.update_form(r.who(), id, in); },
                   form_json);
             });
  router.add("POST", "/api/v1/views", Access::kSignedIn, "views",
             "Save a view (personal; shared when an admin says so)", [&catalog](Request& r) {
               return run(
                   r, view_input, [&](auto& in) { return catalog.create_view(r.who(), in); }, 201,
                   view_json);
             });
  router.add("PATCH", "/api/v1/views/{id}", Access::kSignedIn, "views", "Change a saved view",
             [&catalog](Request& r) {
               return run_with_id(
                   r, view_input,
                   [&](auto id, auto& in) { return catalog.update_view(r.who(), id, in); },
                   view_json);
             });
  router.add("DELETE", "/api/v1/views/{id}", Access::kSignedIn, "views", "Delete a saved view",
             [&catalog](Request& r) {
               auto id = path_id(r);
               if (!id) return error_response(id.error());
               if (auto done = catalog.delete_view(r.who(), *id); !done)
                 return error_response(done.error());
               return no_content();
             });
}

void add_organizations(Router& router, services::CatalogService& catalog) {
  router.add(
      "GET", "/api/v1/organizations", Access::kSignedIn, "organizations", "Organizations",
      [&catalog](Request& r) {
        auto page = page_request(r);
        if (!page) return error_response(page.error());
        auto orgs = catalog.organizations(r.who(), page->after, page->limit + 1);
        if (!orgs) return error_response(orgs.error());
        json::value next = nullptr;
        if (static_cast<int>(orgs->size()) > page->limit) {
          orgs->resize(page->limit);
          next = json::string(encode_cursor(orgs->back().id));
        }
        json::array items;
        for (const auto& o : *orgs) items.push_back(organization_json(o));
        return json_response(200, json::object{{"items", std::move(items)}, {"next_cursor", next}});
      });
  router.add("GET", "/api/v1/organizations/{id}", Access::kSignedIn, "organizations",
             "An organization", [&catalog](Request& r) {
               auto id = path_id(r);
               if (!id) return error_response(id.error());
               return answer(catalog.organization(r.who(), *id), 200, organization_json);
             });
  router.add("POST", "/api/v1/organizations", Access::kSignedIn, "organizations",
             "Add an organization", [&catalog](Request& r) {
               return run(
                   r, organization_input,
                   [&](auto& in) { return catalog.create_organization(r.who(), in); }, 201,
                   organization_json);
             });
  router.add("PATCH", "/api/v1/organizations/{id}", Access::kSignedIn, "organizations",
             "Change an organization", [&catalog](Request& r) {
               return run_with_id(
                   r, organization_input,
                   [&](auto id, auto& in) { return catalog.update_organization(r.who(), id, in); },
                   organization_json);
             });
  router.add("PUT", "/api/v1/contacts/{id}/organization", Access::kSignedIn, "contacts",
             "Put a contact in an organization (or none)", [&catalog](Request& r) {
               auto id = path_id(r);
               if (!id) return error_response(id.error());
               auto body = parse_object(r.body, {"organization"});
               if (!body) return error_response(body.error());
               auto org = optional_id(*body, "organization");
               if (!org) return error_response(org.error());
               if (auto done = catalog.set_contact_organization(r.who(), *id, *org); !done)
                 return error_response(done.error());
               return no_content();
             });
}

}  // namespace

void add_catalog_routes(Router& router, ApiContext& ctx) {
  add_settings(router, ctx, ctx.catalog);
  add_fields_forms_views(router, ctx, ctx.catalog);
  add_organizations(router, ctx.catalog);
}

}  // namespace gongdan::api
