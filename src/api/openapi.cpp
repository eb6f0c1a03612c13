// The OpenAPI 3.1 document, generated from the route table itself so that it cannot leave a
// route out (see openapi.hpp; the prose and common schemas are in openapi_text.cpp).
#include "api/openapi.hpp"

#include <algorithm>
#include <set>

#include "api/context.hpp"
#include "api/json.hpp"
#include "api/openapi_text.hpp"
#include "api/resource_routes.hpp"
#include "api/router.hpp"
#include "api/ticket_json.hpp"
#include "api/user_json.hpp"

namespace gongdan::api {
namespace {

bool is_parameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

std::string lower(std::string text) {
  for (auto& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text;
}

// "GET /api/v1/departments/{id}/agents" → "getDepartmentsByIdAgents": unique because routes are.
std::string derived_operation_id(const Route& route) {
  std::string id = lower(route.method);
  std::string_view path = route.pattern;
  if (path.starts_with("/api/v1")) path.remove_prefix(7);
  bool upper = true;
  for (std::size_t i = 0; i < path.size(); ++i) {
    char ch = path[i];
    if (ch == '{') {
      id += "By";
      upper = true;
    } else if (ch == '/' || ch == '-' || ch == '.' || ch == '_' || ch == '}') {
      upper = true;
    } else {
      id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
      upper = false;
    }
  }
  return id;
}

json::value path_parameter(const Route& route, const std::string& name) {
  for (const auto& p : route.doc.parameters)
    if (p.in == "path" && p.name == name) {
      json::object o{
          {"name", name}, {"in", "path"}, {"required", true}, {"schema", p.schema.value()}};
      if (!p.description.empty()) o["description"] = p.description;
      return o;
    }
  // Ids and ticket numbers are integers; other parameters (a department or "default") text.
  static const std::set<std::string> kIntegers{"id", "number", "other", "message"};
  auto schema = kIntegers.contains(name) ? schema::integer() : schema::string();
  return json::object{
      {"name", name}, {"in", "path"}, {"required", true}, {"schema", schema.value()}};
}

json::array parameters(const Route& route) {
  json::array out;
  for (const auto& segment : route.segments)
    if (is_parameter(segment))
      out.push_back(path_parameter(route, segment.substr(1, segment.size() - 2)));
  for (const auto& p : route.doc.parameters) {
    if (p.in == "path") continue;
    json::object o{{"name", p.name}, {"in", p.in}, {"schema", p.schema.value()}};
    if (!p.description.empty()) o["description"] = p.description;
    if (p.required) o["required"] = true;
    out.push_back(std::move(o));
  }
  return out;
}

json::object success_response(const ResponseDoc& r) {
  json::object o{
      {"description", r.description.empty() ? default_description(r.status) : r.description}};
  if (r.schema)
    o["content"] = json::object{{r.content_type, json::object{{"schema", r.schema->value()}}}};
  if (!r.headers.empty()) {
    json::object headers;
    for (const auto& name : r.headers) headers[name] = response_header(name);
    o["headers"] = std::move(headers);
  }
  return o;
}

// The errors a route can answer: those its kind implies and those its doc names.
std::set<unsigned> error_statuses(const Route& route) {
  std::set<unsigned> out(route.doc.error_statuses.begin(), route.doc.error_statuses.end());
  if (route.access != Access::kPublic) out.insert({401, 403});
  if (std::any_of(route.segments.begin(), route.segments.end(),
                  [](const auto& s) { return is_parameter(s); }))
    out.insert(404);
  const bool has_query = std::any_of(route.doc.parameters.begin(), route.doc.parameters.end(),
                                     [](const auto& p) { return p.in == "query"; });
  // A path parameter can be malformed too (an id that is not a number, bytes that are not UTF-8).
  if (!route.doc.bodies.empty() || has_query || out.contains(404)) out.insert(400);
  if (!route.doc.bodies.empty()) out.insert(413);
  return out;
}

json::array security(const Route& route) {
  const bool read = route.method == "GET" || route.method == "HEAD";
  switch (route.access) {
    case Access::kPublic:
      return json::array{};
    case Access::kSignedIn:
      if (read)
        return json::array{json::object{{"bearer", json::array{"read"}}},
                           json::object{{"session", json::array{}}}};
      return json::array{json::object{{"bearer", json::array{"write"}}},
                         json::object{{"session", json::array{}}, {"csrf", json::array{}}}};
    case Access::kMailGate:
      return json::array{json::object{{"bearer", json::array{"mail"}}},
                         json::object{{"session", json::array{}}, {"csrf", json::array{}}}};
  }
  return json::array{};
}

json::object operation(const Route& route) {
  const auto& d = route.doc;
  json::object op{
      {"operationId", d.operation_id.empty() ? derived_operation_id(route) : d.operation_id},
      {"summary", route.summary},
      {"tags", json::array{json::string(route.tag)}},
      {"security", security(route)}};
  if (!d.description.empty()) op["description"] = d.description;
  if (!d.documented) op["x-gongdan-undocumented"] = true;
  if (auto params = parameters(route); !params.empty()) op["parameters"] = std::move(params);
  if (!d.bodies.empty()) {
    json::object content;
    for (const auto& b : d.bodies)
      content[b.content_type] = json::object{{"schema", b.schema.value()}};
    op["requestBody"] =
        json::object{{"required", d.body_required}, {"content", std::move(content)}};
  }
  json::object responses;
  for (const auto& r : d.responses) {
    const auto key = std::to_string(r.status);
    auto made = success_response(r);
    // A second answer with one status is another media type of it (JSON or CSV).
    auto* had = responses.if_contains(key);
    if (had && r.schema && had->as_object().contains("content"))
      had->as_object()["content"].as_object()[r.content_type] =
          made["content"].as_object()[r.content_type];
    else
      responses[key] = std::move(made);
  }
  if (d.responses.empty())
    responses["200"] = json::object{
        {"description", "Not described yet: some JSON."},
        {"content", json::object{{"application/json", json::object{{"schema", json::object{}}}}}}};
  // An error a route describes itself (the help centre's 404 is a page, not JSON) keeps its own.
  for (auto status : error_statuses(route))
    if (!responses.contains(std::to_string(status)))
      responses[std::to_string(status)] =
          json::object{{"$ref", "#/components/responses/" + error_response_name(status)}};
  op["responses"] = std::move(responses);
  return op;
}

json::array tags(const Router& router) {
  std::set<std::string> used{"stream"};
  for (const auto& route : router.routes()) used.insert(route.tag);
  json::array out;
  for (const auto& name : used) {
    json::object tag{{"name", name}};
    if (auto text = tag_description(name); !text.empty()) tag["description"] = text;
    out.push_back(std::move(tag));
  }
  return out;
}

json::object error_responses(const Router& router) {
  std::set<unsigned> statuses;
  for (const auto& route : router.routes()) statuses.merge(error_statuses(route));
  json::object out;
  for (auto status : statuses) {
    json::object response{
        {"description", default_description(status)},
        {"content", json::object{{"application/json",
                                  json::object{{"schema", schema::ref("Error").value()}}}}}};
    if (status == 429 || status == 503)
      response["headers"] = json::object{{"Retry-After", response_header("Retry-After")}};
    out[error_response_name(status)] = std::move(response);
  }
  return out;
}

}  // namespace

json::object openapi_document(const Router& router) {
  json::object paths;
  for (const auto& route : router.routes()) {
    auto& item = paths[route.pattern];
    if (!item.is_object()) item = json::object{};
    item.as_object()[lower(route.method)] = operation(route);
  }
  paths["/api/v1/stream"] = stream_path_item();
  json::object schemas;
  for (const auto& [name, schema] : router.schemas()) schemas[name] = schema.value();
  return json::object{
      {"openapi", "3.1.0"},
      {"jsonSchemaDialect", "https://spec.openapis.org/oas/3.1/dialect/base"},
      {"info", json::object{{"title", "gongdan API"},
                            {"version", GONGDAN_VERSION},
                            {"description", api_description()},
                            {"license",
                             json::object{{"name", "Apache 2.0"}, {"identifier", "Apache-2.0"}}}}},
      {"servers", json::array{json::object{{"url", "/"}}}},
      {"tags", tags(router)},
      {"paths", std::move(paths)},
      {"components", json::object{{"schemas", std::move(schemas)},
                                  {"responses", error_responses(router)},
                                  {"securitySchemes", security_schemes()}}}};
}

void add_openapi_route(Router& router) {
  router.add("GET", "/api/v1/openapi.json", Access::kPublic, "meta", "This OpenAPI document",
             doc("getOpenApiDocument")
                 .describe("The document is built from the server's route table at start-up; "
                           "a readable rendering of it is the page `/api/docs`.")
                 .returns(200, schema::object().open(), "The OpenAPI 3.1 document."),
             [&router](Request&) {
               static const std::string document = json::serialize(openapi_document(router));
               Response r;
               r.body = document;
               return r;
             });
}

void add_all_routes(Router& router, ApiContext& ctx) {
  define_common_schemas(router);
  define_user_schemas(router);
  define_ticket_schemas(router);
  add_health_routes(router, ctx);
  add_resource_routes(router, ctx.resources);
  add_auth_routes(router, ctx);
  add_login_link_routes(router, ctx);
  add_user_routes(router, ctx);
  add_token_routes(router, ctx);
  add_second_factor_routes(router, ctx);
  add_audit_routes(router, ctx);
  add_ticket_routes(router, ctx);
  add_ticket_detail_routes(router, ctx);
  add_inbound_routes(router, ctx);
  add_chat_routes(router, ctx);
  add_catalog_routes(router, ctx);
  add_search_routes(router, ctx);
  add_attachment_routes(router, ctx);
  add_mail_routes(router, ctx);
  add_mailbox_routes(router, ctx);
  add_job_routes(router, ctx);
  add_webhook_routes(router, ctx);
  add_assignment_routes(router, ctx);
  add_macro_routes(router, ctx);
  add_notification_routes(router, ctx);
  add_report_routes(router, ctx);
  add_kb_routes(router, ctx);
  add_kb_file_routes(router, ctx);
  add_ldap_routes(router, ctx);
  add_oidc_routes(router, ctx);
  add_saml_routes(router, ctx);
  add_csat_routes(router, ctx);
  add_privacy_routes(router, ctx);
  add_help_routes(router, ctx);
  add_openapi_route(router);
  document_settings_routes(router);
}

}  // namespace gongdan::api
