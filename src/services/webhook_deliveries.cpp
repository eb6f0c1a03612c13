#include "services/webhook_deliveries.hpp"

#include "services/resource_load.hpp"
#include "services/webhooks_service.hpp"
#include "store/webhooks_store.hpp"

namespace gongdan::services {

Result<std::optional<WebhookEndpoint>> WebhookDeliveries::endpoint(std::int64_t webhook_id) {
  std::optional<Webhook> hook;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(hook, load_one(c, webhook_resource(), webhook_id));
    return {};
  }));
  if (!hook || !hook->active) return std::optional<WebhookEndpoint>{};
  return std::optional<WebhookEndpoint>(
      WebhookEndpoint{hook->id, hook->url, hook->format, hook->secret, hook->template_text});
}

Result<void> WebhookDeliveries::record(const WebhookAttempt& attempt) {
  WebhookDelivery row;
  row.webhook_id = attempt.webhook_id;
  row.job_id = attempt.job_id;
  row.delivery = attempt.delivery;
  row.event = attempt.event;
  row.attempt = attempt.attempt;
  row.at = clock_.now_ms();
  row.status_code = attempt.status_code;
  row.error = attempt.error;
  row.duration_ms = attempt.duration_ms;
  return db_.write([&](store::Connection& c) { return store::insert_delivery(c, row); });
}

}  // namespace gongdan::services
