#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "domain/network_address.hpp"
#include "util/crypto.hpp"

namespace gongdan::api {
namespace {

// Metrics name routes, counts and queue depths: not for the public. With metrics_token set the
// scraper sends it; without, only a client on this machine that came through no proxy (a proxy
// on this machine adds X-Forwarded-For) is answered.
std::optional<Response> refuse_metrics(const ApiContext& ctx, const Request& request) {
  if (!ctx.metrics_token.empty()) {
    const auto given = request.header("authorization");
    const std::string expected = "Bearer " + ctx.metrics_token;
    if (given && crypto::equal_constant_time(*given, expected)) return std::nullopt;
    auto r = error_response(
        {ErrorCode::kUnauthenticated, "send the metrics_token as a Bearer token", {}});
    r.set_header("WWW-Authenticate", "Bearer");
    return r;
  }
  const bool loopback = classify_address(request.ip) == AddressClass::kLoopback;
  if (loopback && !request.header("x-forwarded-for")) return std::nullopt;
  return error_response(
      {ErrorCode::kNotFound, "metrics are served to this machine only, or with metrics_token", {}});
}

}  // namespace

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
                           "gauges. With `metrics_token` configured, for `Authorization: "
                           "Bearer <metrics_token>` only (401); without it, only for clients on "
                           "this machine that came through no proxy (404 for others).")
                 .returns(200, string(), "The Prometheus text format.", "text/plain")
                 .errors({401, 404}),
             [&ctx](Request& request) {
               if (auto refused = refuse_metrics(ctx, request)) return std::move(*refused);
               Response r;
               r.content_type = "text/plain; version=0.0.4; charset=utf-8";
               r.body = ctx.metrics_text();
               return r;
             });
}

}  // namespace gongdan::api
