#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "store/migrations.hpp"

namespace gongdan::api {

void add_health_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/healthz", Access::kPublic, "health", "The process is up", [](Request&) {
    return json_response(200, json::object{{"status", "ok"}});
  });
  router.add(
      "GET", "/readyz", Access::kPublic, "health", "The database is reachable and migrated",
      [&ctx](Request&) {
        auto version = store::schema_version(ctx.db);
        if (!version)
          return json_response(
              503, json::object{{"status", "unavailable"}, {"reason", version.error().message}});
        if (*version < store::latest_schema_version())
          return json_response(503,
                               json::object{{"status", "migrating"}, {"schema_version", *version}});
        return json_response(200, json::object{{"status", "ready"}, {"schema_version", *version}});
      });
  router.add("GET", "/metrics", Access::kPublic, "health", "Prometheus metrics", [&ctx](Request&) {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = ctx.metrics_text();
    return r;
  });
}

}  // namespace gongdan::api
