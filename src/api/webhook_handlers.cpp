// A webhook's delivery log (the subscriptions themselves are the declared resource `webhooks`).
#include "api/answer_shape.hpp"
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"

namespace gongdan::api {
namespace {

using namespace shape;

const AnswerShape<WebhookDelivery> kDeliveryShape{
    integer("id", &WebhookDelivery::id),
    integer("job_id", &WebhookDelivery::job_id),
    text("delivery", &WebhookDelivery::delivery),
    text("event", &WebhookDelivery::event),
    integer("attempt", &WebhookDelivery::attempt),
    instant("at", &WebhookDelivery::at),
    integer("status_code", &WebhookDelivery::status_code),
    text("error", &WebhookDelivery::error),
    integer("duration_ms", &WebhookDelivery::duration_ms)};

Result<Response> deliveries(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "id", "webhook"));
  GONGDAN_ASSIGN(auto page, page_request(request));
  GONGDAN_ASSIGN(auto rows, ctx.webhooks.deliveries(request.who(), id, page.after, page.limit + 1));
  return json_response(200, page_answer(rows, page.limit, kDeliveryShape));
}

}  // namespace

void add_webhook_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/webhooks/{id}/deliveries", Access::kSignedIn, "webhooks",
             "Delivery attempts of a webhook, newest first, with response codes",
             doc("listWebhookDeliveries")
                 .describe("Every try, newest first.")
                 .paged()
                 .returns(200, schema::page_of(kDeliveryShape.schema())),
             [&ctx](Request& r) { return answer(deliveries(ctx, r)); });
}

}  // namespace gongdan::api
