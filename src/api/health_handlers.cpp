#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"

namespace gongdan::api {

void add_health_routes(Router& router, ApiContext& ctx) {
  using namespace schema;
  router.add("GET", "/healthz", Access::kPublic, "health", "The process is up",
             doc("getHealth").returns(200, object({{"status", const_of("ok")}}).require_all()),
             [](Request&) {
               return json_response(200, json::object{{"status", "ok"}});
             });
  router.add(
      "GET", "/readyz", Access::kPublic, "health", "The database is reachable and migrated",
      doc("getReadiness")
          .returns(
              200,
              object({{"status", const_of("ready")}, {"schema_version", integer()}}).require_all())
          .returns(503,
                   object({{"status", enum_of({"unavailable", "migrating"})},
                           {"reason", string()},
                           {"schema_version", integer()}})
                       .require({"status"}),
                   "The database is unreachable, or migrations have not all run."),
      [&ctx](Request&) {
        using State = services::Readiness::State;
        const auto ready = ctx.health.readiness();
        if (ready.state == State::kUnavailable)
          return json_response(503,
                               json::object{{"status", "unavailable"}, {"reason", ready.reason}});
        return json_response(
            ready.state == State::kReady ? 200 : 503,
            json::object{{"status", ready.state == State::kReady ? "ready" : "migrating"},
                         {"schema_version", ready.schema_version}});
      });
  router.add("GET", "/metrics", Access::kPublic, "health", "Prometheus metrics",
             doc("getMetrics")
                 .describe("`gongdan_http_requests_total{route,method,status}`, request "
                           "durations by route, write batch sizes, reader pool and job queue "
                           "gauges.")
                 .returns(200, string(), "The Prometheus text format.", "text/plain"),
             [&ctx](Request&) {
               Response r;
               r.content_type = "text/plain; version=0.0.4; charset=utf-8";
               r.body = ctx.metrics_text();
               return r;
             });
}

}  // namespace gongdan::api
