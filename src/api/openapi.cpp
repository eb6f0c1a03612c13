// The OpenAPI 3 document, generated from the route table itself so that it cannot leave a route
// out. Request and response schemas are described per tag in docs/api.md.
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"

namespace gongdan::api {
namespace {

json::object build_document(const Router& router) {
  json::object paths;
  for (const auto& route : router.routes()) {
    json::object operation{
        {"summary", route.summary},
        {"tags", json::array{json::string(route.tag)}},
        {"responses", json::object{{"default", json::object{{"description", "See docs/api.md"}}}}}};
    json::array parameters;
    for (const auto& seg : route.segments) {
      if (seg.size() > 2 && seg.front() == '{')
        parameters.push_back(json::object{{"name", seg.substr(1, seg.size() - 2)},
                                          {"in", "path"},
                                          {"required", true},
                                          {"schema", json::object{{"type", "string"}}}});
    }
    if (!parameters.empty()) operation["parameters"] = std::move(parameters);
    if (route.access == Access::kPublic) operation["security"] = json::array{};
    std::string method = route.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto& item = paths[route.pattern];
    if (!item.is_object()) item = json::object{};
    item.as_object()[method] = std::move(operation);
  }
  return json::object{
      {"openapi", "3.0.3"},
      {"info", json::object{{"title", "gongdan API"}, {"version", GONGDAN_VERSION}}},
      {"servers", json::array{json::object{{"url", "/"}}}},
      {"components",
       json::object{{"securitySchemes",
                     json::object{{"bearer", json::object{{"type", "http"}, {"scheme", "bearer"}}},
                                  {"session", json::object{{"type", "apiKey"},
                                                           {"in", "cookie"},
                                                           {"name", "gongdan_session"}}}}}}},
      {"security", json::array{json::object{{"bearer", json::array{}}},
                               json::object{{"session", json::array{}}}}},
      {"paths", std::move(paths)}};
}

}  // namespace

void add_openapi_route(Router& router) {
  router.add("GET", "/api/v1/openapi.json", Access::kPublic, "meta", "This OpenAPI document",
             [&router](Request&) {
               static const std::string document = json::serialize(build_document(router));
               Response r;
               r.body = document;
               return r;
             });
}

void add_all_routes(Router& router, ApiContext& ctx) {
  add_health_routes(router, ctx);
  add_auth_routes(router, ctx);
  add_login_link_routes(router, ctx);
  add_user_routes(router, ctx);
  add_token_routes(router, ctx);
  add_audit_routes(router, ctx);
  add_ticket_routes(router, ctx);
  add_ticket_detail_routes(router, ctx);
  add_catalog_routes(router, ctx);
  add_search_routes(router, ctx);
  add_attachment_routes(router, ctx);
  add_mail_routes(router, ctx);
  add_mailbox_routes(router, ctx);
  add_job_routes(router, ctx);
  add_webhook_routes(router, ctx);
  add_sla_routes(router, ctx);
  add_assignment_routes(router, ctx);
  add_trigger_routes(router, ctx);
  add_macro_routes(router, ctx);
  add_automation_routes(router, ctx);
  add_mail_template_routes(router, ctx);
  add_openapi_route(router);
}

}  // namespace gongdan::api
