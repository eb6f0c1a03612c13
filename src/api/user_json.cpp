#include "api/user_json.hpp"

#include "api/answer_shape.hpp"
#include "api/router.hpp"
#include "domain/permission.hpp"

namespace gongdan::api {

namespace {

using namespace shape;

const AnswerShape<User> kUserShape{
    integer("id", &User::id),
    text("email", &User::email).describe("Unique over agents and contacts, in any case."),
    text("name", &User::name),
    computed<User>(
        "role", [](const User& u) { return role_name(u.role); }, schema::ref("Role")),
    member("locale", &User::locale, schema::ref("Locale")),
    text("time_zone", &User::time_zone),
    boolean("active", &User::active),
    instant("created_at", &User::created_at),
    integer("role_id", &User::role_id)
        .describe("The custom role held (`/api/v1/roles`); null: the built-in `role`'s "
                  "permissions.")};

}  // namespace

json::object user_json(const User& u) { return kUserShape.write(u); }

json::object me_json(const User& u, PermissionSet permissions) {
  auto o = user_json(u);
  json::array names;
  for (const auto& name : permission_names(permissions)) names.emplace_back(name);
  o["permissions"] = std::move(names);
  return o;
}

json::object contact_json(const User& u, const services::Identities& identities) {
  auto o = user_json(u);
  o["organization"] = or_null(u.organization_id);
  o["notes"] = u.notes;
  json::array emails, phones;
  for (const auto& e : identities.emails) emails.emplace_back(e);
  for (const auto& p : identities.phones) phones.emplace_back(p);
  o["emails"] = std::move(emails);
  o["phones"] = std::move(phones);
  return o;
}

}  // namespace gongdan::api

namespace gongdan::api {

using namespace schema;

schema::Schema profile_properties() {
  return object({{"name", string().max_length(kMaxNameLength)},
                 {"locale", ref("Locale")},
                 {"time_zone", string().max_length(64).describe("`UTC` or an IANA name such as "
                                                                "`Asia/Shanghai`.")}});
}

void define_user_schemas(Router& router) {
  router.define_schema("Role", enum_of({"admin", "supervisor", "agent", "light_agent", "customer"})
                                   .describe("Agents' roles, and `customer` for contacts."));
  router.define_schema("Locale", enum_of({"en", "zh-CN"}));
  auto user = kUserShape.schema();
  router.define_schema("User", user.describe("An agent or a contact."));
  std::vector<std::string_view> names;
  for (auto p : all_permissions()) names.push_back(permission_name(p));
  router.define_schema("Permission",
                       enum_of(names).describe("What a staff role may do (docs/permissions.md)."));
  router.define_schema("Me", user.extend({{"permissions", array_of(ref("Permission"))}})
                                 .require_all()
                                 .describe("The signed-in user and what their role allows."));
  router.define_schema("Contact",
                       user.extend({{"organization", nullable(integer())},
                                    {"notes", string()},
                                    {"emails", array_of(string()).describe("Other addresses.")},
                                    {"phones", array_of(string())}})
                           .require_all()
                           .describe("A customer, with their organization and other addresses."));
}

}  // namespace gongdan::api
