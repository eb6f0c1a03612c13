#include "store/webhooks_store.hpp"

namespace gongdan::store {

Result<void> insert_delivery(Connection& c, const WebhookDelivery& d) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO webhook_deliveries (webhook_id, job_id, delivery, "
                               "event, attempt, at, status_code, error, duration_ms) SELECT ?, ?, "
                               "?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM webhooks WHERE "
                               "id = ?)"));
  return q
      .bind(d.webhook_id, d.job_id, d.delivery, d.event, d.attempt, d.at, d.status_code, d.error,
            d.duration_ms, d.webhook_id)
      .run();
}

Result<std::vector<WebhookDelivery>> list_deliveries(Connection& c, std::int64_t webhook_id,
                                                     std::int64_t before_id, int limit) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, webhook_id, job_id, delivery, event, attempt, at, "
                               "status_code, error, duration_ms FROM webhook_deliveries WHERE "
                               "webhook_id = ? AND id < ? ORDER BY id DESC LIMIT ?"));
  q.bind(webhook_id, before_id > 0 ? before_id : INT64_MAX, limit);
  std::vector<WebhookDelivery> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    WebhookDelivery d;
    d.id = q.integer(0);
    d.webhook_id = q.integer(1);
    d.job_id = q.integer(2);
    d.delivery = q.text(3);
    d.event = q.text(4);
    d.attempt = static_cast<int>(q.integer(5));
    d.at = q.integer(6);
    if (!q.is_null(7)) d.status_code = static_cast<int>(q.integer(7));
    d.error = q.text(8);
    d.duration_ms = q.integer(9);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace gongdan::store
