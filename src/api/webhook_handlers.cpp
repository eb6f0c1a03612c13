// A webhook's delivery log (the subscriptions themselves are the declared resource `webhooks`).
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"

namespace gongdan::api {
namespace {

json::object delivery_json(const WebhookDelivery& d) {
  return json::object{{"id", d.id},
                      {"job_id", d.job_id},
                      {"delivery", d.delivery},
                      {"event", d.event},
                      {"attempt", d.attempt},
                      {"at", iso_time(d.at)},
                      {"status_code", or_null(d.status_code)},
                      {"error", d.error},
                      {"duration_ms", d.duration_ms}};
}

Result<Response> deliveries(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "id", "webhook"));
  GONGDAN_ASSIGN(auto page, page_request(request));
  GONGDAN_ASSIGN(auto rows, ctx.webhooks.deliveries(request.who(), id, page.after, page.limit + 1));
  return json_response(200, page_answer(rows, page.limit, delivery_json));
}

}  // namespace

void add_webhook_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/webhooks/{id}/deliveries", Access::kSignedIn, "webhooks",
             "Delivery attempts of a webhook, newest first, with response codes",
             [&ctx](Request& r) { return answer(deliveries(ctx, r)); });
}

}  // namespace gongdan::api
