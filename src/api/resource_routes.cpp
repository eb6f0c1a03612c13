// The routes of every declared resource (domain/resource.hpp), derived from its declaration:
// list, one item, add, change (PATCH, or PUT of the whole item) and remove, as its operations
// say; and GET /api/v1/resources, the declarations themselves, from which the desk builds its
// admin forms. Who may do what is the service's decision (the declaration's audiences).
#include "api/resource_routes.hpp"

#include "api/json.hpp"
#include "api/resource_json.hpp"
#include "api/route_doc.hpp"

namespace gongdan::api {
namespace {

using services::ResourceApi;

// "mail_template" → "MailTemplate", for schema names and operationIds.
std::string pascal(std::string_view snake) {
  std::string out;
  bool upper = true;
  for (char ch : snake) {
    if (ch == '_' || ch == '-') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
    upper = false;
  }
  return out;
}

// The item's schema and the bodies', named after the resource, for the routes' docs.
void define_schemas(Router& router, const ResourceInfo& info) {
  const auto name = pascal(info.noun);
  router.define_schema(name, schema::Schema(item_schema(info)));
  router.define_schema(name + "New", schema::Schema(body_schema(info, true)));
  router.define_schema(name + "Change", schema::Schema(body_schema(info, false)));
}

RouteDoc list_doc(const ResourceInfo& info) {
  auto item = schema::ref(pascal(info.noun));
  auto d = doc("list" + pascal(info.name));
  if (info.paged)
    d.paged().returns(200, schema::page_of(item));
  else
    d.returns(200, schema::items_of(item));
  return d;
}

// An answer that shows a secret (a generated one, once) is never cached.
Response answer(const ResourceInfo& info, const Result<json::object>& r, unsigned status) {
  if (!r) return error_response(r.error());
  auto out = json_response(status, *r);
  for (const auto& f : info.fields)
    if (f.kind == FieldKind::kSecret && r->contains(f.key))
      out.set_header("Cache-Control", "no-store");
  return out;
}

Response list(ResourceApi& api, Request& r) {
  const auto& info = api.info();
  PageRequest page;
  if (info.paged) {
    auto asked = page_request(r);
    if (!asked) return error_response(asked.error());
    page = *asked;
  }
  auto found = api.list(r.who(), page.after, info.paged ? page.limit : 0);
  if (!found) return error_response(found.error());
  json::array items;
  for (auto& item : found->items) items.push_back(std::move(item));
  json::object out{{"items", std::move(items)}};
  if (info.paged)
    out["next_cursor"] =
        found->next_after ? json::value(json::string(encode_cursor(*found->next_after))) : nullptr;
  return json_response(200, out);
}

template <class Act>
Response with_id(ResourceApi& api, Request& r, Act act) {
  const auto& info = api.info();
  // Keyed settings may name their defaults (id 0) by name: /mail/settings/default.
  if (!info.keyed.defaults.empty() && r.param(info.item_param()) == info.keyed.defaults)
    return act(std::int64_t{0});
  auto id = path_id(r, info.item_param(), api.not_found());
  if (!id) return error_response(id.error());
  return act(*id);
}

// The path's id: a positive integer, or the name of a keyed resource's defaults.
schema::Schema id_schema(const ResourceInfo& info) {
  if (info.keyed.defaults.empty()) return schema::integer().minimum(1);
  return schema::any_of(
      {schema::integer().minimum(1), schema::const_of(json::string(info.keyed.defaults))});
}

std::string id_text(const ResourceInfo& info) {
  if (!info.is_keyed()) return "The " + std::string(info.noun) + "'s id";
  std::string out = "Whose settings: an id of " + std::string(info.keyed.by);
  if (!info.keyed.defaults.empty())
    out += ", or `" + std::string(info.keyed.defaults) + "` for the defaults";
  return out;
}

template <class Act>
Response with_body(Request& r, Act act) {
  auto body = parse_json(r.body);
  if (!body) return error_response(body.error());
  return act(*body);
}

Response remove(ResourceApi& api, Request& r) {
  return with_id(api, r, [&](std::int64_t id) {
    auto done = api.remove(r.who(), id);
    return done ? no_content() : error_response(done.error());
  });
}

Response update(ResourceApi& api, Request& r) {
  return with_id(api, r, [&](std::int64_t id) {
    return with_body(r, [&](const json::value& body) {
      return answer(api.info(), api.update(r.who(), id, body), 200);
    });
  });
}

// The routes of one item: read, change, remove.
void add_item_routes(Router& router, ResourceApi& api) {
  const auto& info = api.info();
  const std::string item = info.item_route(), tag(info.tag);
  const std::string noun(info.noun), name = pascal(info.noun);
  const auto id_doc = [&](RouteDoc d) {
    return d.path(std::string(info.item_param()), id_schema(info), id_text(info));
  };
  if (info.ops.get)
    router.add("GET", item, Access::kSignedIn, tag, "One " + noun,
               id_doc(doc("get" + name).returns(200, schema::ref(name))), [&api](Request& r) {
                 return with_id(api, r, [&](std::int64_t id) {
                   return answer(api.info(), api.get(r.who(), id), 200);
                 });
               });
  // Keyed settings are always PUT: the item is stored whether or not it was before.
  const bool put = info.ops.put || info.is_keyed();
  const std::string verb = info.is_keyed() ? "set" : info.ops.put ? "replace" : "update";
  if (info.ops.update)
    router.add(put ? "PUT" : "PATCH", item, Access::kSignedIn, tag, "Change a " + noun,
               id_doc(doc(verb + name)
                          .body(schema::ref(name + (info.ops.put ? "New" : "Change")))
                          .returns(200, schema::ref(name))
                          .errors({409})),
               [&api](Request& r) { return update(api, r); });
  if (info.ops.remove)
    router.add("DELETE", item, Access::kSignedIn, tag, "Remove a " + noun,
               id_doc(doc("delete" + name).returns_nothing().errors({409})),
               [&api](Request& r) { return remove(api, r); });
}

void add_one(Router& router, ResourceApi& api) {
  const auto& info = api.info();
  define_schemas(router, info);
  const std::string path(info.path), tag(info.tag);
  const std::string title(info.title.en), noun(info.noun), name = pascal(info.noun);
  if (info.ops.list)
    router.add("GET", path, Access::kSignedIn, tag, title, list_doc(info),
               [&api](Request& r) { return list(api, r); });
  if (info.ops.create)
    router.add("POST", path, Access::kSignedIn, tag, "Add a " + noun,
               doc("create" + name)
                   .body(schema::ref(name + "New"))
                   .returns(201, schema::ref(name))
                   .errors({409}),
               [&api](Request& r) {
                 return with_body(r, [&](const json::value& body) {
                   return answer(api.info(), api.create(r.who(), body), 201);
                 });
               });
  add_item_routes(router, api);
}

// What GET /api/v1/resources answers (api/resource_json.cpp writes it).
void define_declaration_schemas(Router& router) {
  using namespace schema;
  router.define_schema("Words", object({{"en", string()}, {"zh-CN", string()}}).require_all());
  router.define_schema(
      "ResourceField",
      object({{"key", string()},
              {"kind", enum_of({"id", "text", "long_text", "integer", "boolean", "choice",
                                "reference", "json", "text_list", "secret", "time"})},
              {"label", ref("Words")},
              {"help", ref("Words")},
              {"group", string().describe("In bodies and answers, a member of this object")},
              {"required", boolean()},
              {"create_only", boolean()},
              {"read_only", boolean()},
              {"nullable", boolean()},
              {"min_length", integer()},
              {"max_length", integer()},
              {"minimum", integer()},
              {"maximum", integer()},
              {"choices", array_of(string())},
              {"references", string().describe("The name of the resource whose id it holds")},
              {"schema", any().describe("A JSON field's JSON Schema")},
              {"example", string().describe("A JSON field's example, as JSON text")},
              {"shown_as", string().describe("A secret's answer member: whether one is set")},
              {"generated",
               boolean().describe("A secret the server makes when none is given; a change "
                                  "with rotate_<key> makes a new one")},
              {"default", any().describe("A new item's value")}})
          .require({"key", "kind", "label", "required", "create_only", "read_only", "nullable"}));
  router.define_schema(
      "ResourceDeclaration",
      object(
          {{"name", string()},
           {"noun", string()},
           {"title", ref("Words")},
           {"path", string()},
           {"read", enum_of({"signed_in", "agents", "writing_agents", "user_managers", "admins"})},
           {"write", enum_of({"signed_in", "agents", "writing_agents", "user_managers", "admins"})},
           {"personal", boolean()},
           {"paged", boolean()},
           {"body_field", nullable(string())},
           {"item_path", string().describe("One item's path; the name in braces is its id")},
           {"keyed",
            nullable(object({{"by", string().describe("The resource whose items own them")},
                             {"defaults", nullable(string()).describe(
                                              "The id's name for the settings every item "
                                              "without its own falls back on")}})
                         .require_all())
                .describe("Settings kept per item of another resource, one each: never "
                          "created or removed, an item never saved reads as the defaults")},
           {"operations", object({{"list", boolean()},
                                  {"get", boolean()},
                                  {"create", boolean()},
                                  {"update", nullable(enum_of({"PATCH", "PUT"}))},
                                  {"remove", boolean()}})
                              .require_all()},
           {"fields", array_of(ref("ResourceField"))}})
          .require({"name", "noun", "title", "path", "read", "write", "personal", "paged",
                    "body_field", "operations", "fields"}));
}

}  // namespace

void add_resource_routes(Router& router, services::Resources& resources) {
  define_declaration_schemas(router);
  for (const auto& service : resources.all()) add_one(router, *service);
  router.add("GET", "/api/v1/resources", Access::kSignedIn, "meta",
             "The declarations of the resources admins configure (for forms)",
             doc("listResources")
                 .describe("Each resource's fields (kind, limits, labels in both languages, "
                           "references to other resources) and defaults, from which the desk "
                           "builds its settings forms. Agents only.")
                 .returns(200, schema::items_of(schema::ref("ResourceDeclaration"))),
             [&resources](Request& r) {
               if (!r.who().is_agent())
                 return error_response(Error{ErrorCode::kPermissionDenied, "agents only", {}, 0});
               json::array items;
               for (const auto& service : resources.all())
                 items.push_back(resource_json(service->info(), service->defaults()));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
}

}  // namespace gongdan::api
