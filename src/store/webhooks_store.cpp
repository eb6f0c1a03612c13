#include "store/webhooks_store.hpp"

#include "store/column_table.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kDeliveries(
    "webhook_deliveries", column("id", &WebhookDelivery::id),
    column("webhook_id", &WebhookDelivery::webhook_id), column("job_id", &WebhookDelivery::job_id),
    column("delivery", &WebhookDelivery::delivery), column("event", &WebhookDelivery::event),
    column("attempt", &WebhookDelivery::attempt), column("at", &WebhookDelivery::at),
    column("status_code", &WebhookDelivery::status_code), column("error", &WebhookDelivery::error),
    column("duration_ms", &WebhookDelivery::duration_ms));

}  // namespace

Result<void> insert_delivery(Connection& c, const WebhookDelivery& d) {
  return run(c,
             "INSERT INTO webhook_deliveries (webhook_id, job_id, delivery, event, attempt, at, "
             "status_code, error, duration_ms) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS "
             "(SELECT 1 FROM webhooks WHERE id = ?)",
             d.webhook_id, d.job_id, d.delivery, d.event, d.attempt, d.at, d.status_code, d.error,
             d.duration_ms, d.webhook_id);
}

Result<std::vector<WebhookDelivery>> list_deliveries(Connection& c, std::int64_t webhook_id,
                                                     std::int64_t before_id, int limit) {
  static const std::string sql =
      kDeliveries.select("WHERE webhook_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  q.bind(webhook_id, before_id > 0 ? before_id : INT64_MAX, limit);
  return read_rows(q, kDeliveries);
}

}  // namespace gongdan::store
