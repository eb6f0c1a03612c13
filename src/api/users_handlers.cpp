// /api/v1/agents and /api/v1/contacts: the same handlers, told which kind of person they serve.
// Reads are open to staff in part (the users service decides what each role sees); writes are
// for users.manage (agents) and contacts.manage (contacts).

#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/ticket_body.hpp"
#include "api/user_json.hpp"
#include "util/text.hpp"

namespace gongdan::api {
namespace {

Result<std::int64_t> id_param(const Request& request) { return path_id(request, "id", "user"); }

Result<std::optional<Role>> role_field(const json::object& body, UserKind kind) {
  GONGDAN_ASSIGN(auto name, optional_string(body, "role", 32));
  if (!name) return std::optional<Role>{};
  if (kind == UserKind::kCustomers)
    return fail(ErrorCode::kInvalidArgument, "contacts always have the customer role", "role");
  auto role = parse_role(*name);
  if (!role || *role == Role::kCustomer)
    return fail(ErrorCode::kInvalidArgument, "role must be admin, supervisor, agent or light_agent",
                "role");
  return std::optional<Role>(*role);
}

// A custom role (GET /api/v1/roles) for an agent; contacts hold none.
Result<void> refuse_contact_role(const json::object& body, UserKind kind) {
  if (kind == UserKind::kCustomers && body.contains("role_id"))
    return fail(ErrorCode::kInvalidArgument, "contacts hold no custom role", "role_id");
  return {};
}

Result<User> create(ApiContext& ctx, Request& request, UserKind kind) {
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {"email", "name", "role", "role_id",
                                                        "locale", "time_zone", "password", "notes",
                                                        "organization", "emails", "phones"}));
  services::NewUser user;
  GONGDAN_ASSIGN(user.email, required_string(body, "email", 254));
  GONGDAN_ASSIGN(auto name, optional_string(body, "name", kMaxNameLength));
  user.name = name.value_or("");
  GONGDAN_ASSIGN(auto role, role_field(body, kind));
  user.role = kind == UserKind::kCustomers ? Role::kCustomer : role.value_or(Role::kAgent);
  GONGDAN_TRY(refuse_contact_role(body, kind));
  GONGDAN_ASSIGN(user.role_id, optional_id(body, "role_id"));
  GONGDAN_ASSIGN(auto locale, optional_string(body, "locale", 16));
  user.locale = locale.value_or("en");
  GONGDAN_ASSIGN(auto zone, optional_string(body, "time_zone", 64));
  user.time_zone = zone.value_or("UTC");
  GONGDAN_ASSIGN(user.password, optional_string(body, "password", kMaxPasswordLength + 1));
  GONGDAN_ASSIGN(auto notes, optional_string(body, "notes", 10000));
  user.notes = notes.value_or("");
  GONGDAN_ASSIGN(user.organization_id, optional_id(body, "organization"));
  GONGDAN_ASSIGN(auto emails, optional_string_list(body, "emails"));
  if (emails) user.emails = *emails;
  GONGDAN_ASSIGN(auto phones, optional_string_list(body, "phones"));
  if (phones) user.phones = *phones;
  return ctx.users.create(request.who(), kind, std::move(user));
}

Result<User> update(ApiContext& ctx, Request& request, UserKind kind) {
  GONGDAN_ASSIGN(auto id, id_param(request));
  GONGDAN_ASSIGN(auto body,
                 parse_object(request.body,
                              {"email", "name", "role", "role_id", "locale", "time_zone", "active",
                               "password", "notes", "organization", "emails", "phones"}));
  services::UserChanges changes;
  GONGDAN_ASSIGN(changes.email, optional_string(body, "email", 254));
  GONGDAN_ASSIGN(changes.name, optional_string(body, "name", kMaxNameLength));
  GONGDAN_ASSIGN(changes.role, role_field(body, kind));
  GONGDAN_TRY(refuse_contact_role(body, kind));
  GONGDAN_ASSIGN(changes.role_id, optional_nullable_id(body, "role_id"));
  GONGDAN_ASSIGN(changes.locale, optional_string(body, "locale", 16));
  GONGDAN_ASSIGN(changes.time_zone, optional_string(body, "time_zone", 64));
  GONGDAN_ASSIGN(changes.active, optional_bool(body, "active"));
  GONGDAN_ASSIGN(changes.password, optional_string(body, "password", kMaxPasswordLength + 1));
  GONGDAN_ASSIGN(changes.notes, optional_string(body, "notes", 10000));
  GONGDAN_ASSIGN(changes.organization_id, optional_nullable_id(body, "organization"));
  GONGDAN_ASSIGN(changes.emails, optional_string_list(body, "emails"));
  GONGDAN_ASSIGN(changes.phones, optional_string_list(body, "phones"));
  return ctx.users.update(request.who(), kind, id, changes);
}

json::object person_json(ApiContext& ctx, const User& u) {
  if (u.role != Role::kCustomer) return user_json(u);
  auto identities = ctx.users.identities(u.id);
  return contact_json(u, identities ? *identities : services::Identities{});
}

Response list(ApiContext& ctx, Request& request, UserKind kind) {
  auto page = page_request(request);
  if (!page) return error_response(page.error());
  // Contacts only: ?organization=ID lists that organization's members.
  std::optional<std::int64_t> organization;
  if (auto given = request.query_value("organization"); given && kind == UserKind::kCustomers) {
    auto id = text::parse_id(*given).value_or(0);
    if (id <= 0)
      return error_response(
          {ErrorCode::kInvalidArgument, "organization must be an organization id", "organization"});
    organization = id;
  }
  auto users = ctx.users.list(request.who(), kind, page->after, page->limit, organization);
  if (!users) return error_response(users.error());
  json::array items;
  for (const auto& u : users->items) items.push_back(person_json(ctx, u));
  json::value next = nullptr;
  if (users->next_after) next = json::string(encode_cursor(*users->next_after));
  return json_response(200, json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

Response answer(ApiContext& ctx, const Result<User>& user, unsigned status) {
  if (!user) return error_response(user.error());
  return json_response(status, person_json(ctx, *user));
}

using namespace schema;

// The fields both create and change take; agents have a role, contacts their organization,
// notes and other addresses.
Schema person_body(UserKind kind) {
  auto body = profile_properties().extend({{"email", string().max_length(254)},
                                           {"password", string()
                                                            .max_length(kMaxPasswordLength)
                                                            .describe("Without one the person "
                                                                      "cannot sign in until one "
                                                                      "is set.")}});
  if (kind == UserKind::kAgents)
    return body.extend(
        {{"role", enum_of({"admin", "supervisor", "agent", "light_agent"})
                      .describe("A built-in role; it replaces any custom role.")},
         {"role_id", nullable(integer().minimum(1))
                         .describe("A custom role (`/api/v1/roles`), or null for none; the "
                                   "`role` shown then is the built-in role its holders count as "
                                   "(`agent` when it may change tickets, else `light_agent`).")}});
  return body.extend({{"notes", string().max_length(10000)},
                      {"organization", nullable(integer().minimum(1))},
                      {"emails", array_of(string())},
                      {"phones", array_of(string())}});
}

void add_for(Router& router, ApiContext& ctx, const std::string& base, UserKind kind,
             const std::string& noun) {
  const bool agents = kind == UserKind::kAgents;
  const std::string one = agents ? "Agent" : "Contact";
  const auto person = ref(agents ? "User" : "Contact");
  auto list_doc = doc("list" + one + "s").paged().returns(200, page_of(person));
  if (!agents) list_doc.query("organization", integer(), "Only this organization's members.");
  // Who reads what is the users service's rule (UsersService::get); the summaries say it.
  const std::string readers = agents ? " (admins: everyone; other staff: the active agents a "
                                       "ticket may be assigned to)"
                                     : " (staff)";
  list_doc.describe(agents ? "Supervisors, agents and light agents read the colleagues they may "
                             "assign a ticket to: active admins, supervisors and agents."
                           : "Every staff role may look contacts up; only admins change them.");
  router.add("GET", base, Access::kSignedIn, noun, "List " + noun + readers, list_doc,
             [&ctx, kind](Request& r) { return list(ctx, r, kind); });
  router.add("POST", base, Access::kSignedIn, noun, "Create one of the " + noun + " (admins)",
             doc("create" + one)
                 .body(person_body(kind).require({"email"}))
                 .returns(201, person)
                 .errors({409}),
             [&ctx, kind](Request& r) { return answer(ctx, create(ctx, r, kind), 201); });
  router.add("GET", base + "/{id}", Access::kSignedIn, noun, "Read one of the " + noun + readers,
             doc("get" + one).returns(200, person), [&ctx, kind](Request& r) {
               auto id = id_param(r);
               if (!id) return error_response(id.error());
               return answer(ctx, ctx.users.get(r.who(), kind, *id), 200);
             });
  router.add("PATCH", base + "/{id}", Access::kSignedIn, noun,
             "Change one of the " + noun + " (admins)",
             doc("update" + one)
                 .describe("`\"active\": false` deactivates: the person cannot sign in, and "
                           "their sessions and tokens stop working at once.")
                 .body(person_body(kind).extend({{"active", boolean()}}))
                 .returns(200, person)
                 .errors({409}),
             [&ctx, kind](Request& r) { return answer(ctx, update(ctx, r, kind), 200); });
}

}  // namespace

void add_user_routes(Router& router, ApiContext& ctx) {
  add_for(router, ctx, "/api/v1/agents", UserKind::kAgents, "agents");
  add_for(router, ctx, "/api/v1/contacts", UserKind::kCustomers, "contacts");
}

}  // namespace gongdan::api
