#include "store/webhooks_store.hpp"

#include "util/text.hpp"

namespace gongdan::store {
namespace {

constexpr std::string_view kWebhookColumns =
    "id, url, format, events, department_id, secret, template, description, active, created_at, "
    "updated_at";

std::string join_events(const std::vector<std::string>& events) {
  std::string out;
  for (const auto& e : events) out += (out.empty() ? "" : " ") + e;
  return out;
}

Result<std::vector<WebhookRow>> read_webhooks(Query& q) {
  std::vector<WebhookRow> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    WebhookRow w;
    w.id = q.integer(0);
    w.url = q.text(1);
    w.format = q.text(2);
    const std::string events = q.text(3);
    for (auto e : text::split(events, ' '))
      if (!e.empty()) w.events.emplace_back(e);
    w.department_id = q.optional_integer(4);
    w.secret = q.text(5);
    w.template_text = q.text(6);
    w.description = q.text(7);
    w.active = q.integer(8) != 0;
    w.created_at = q.integer(9);
    w.updated_at = q.integer(10);
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

Result<std::vector<WebhookRow>> list_webhooks(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c, std::string("SELECT ") + std::string(kWebhookColumns) +
                                      " FROM webhooks ORDER BY id"));
  return read_webhooks(q);
}

Result<std::optional<WebhookRow>> find_webhook(Connection& c, std::int64_t id) {
  GONGDAN_ASSIGN(auto q, query(c, std::string("SELECT ") + std::string(kWebhookColumns) +
                                      " FROM webhooks WHERE id = ?"));
  q.bind(id);
  GONGDAN_ASSIGN(auto rows, read_webhooks(q));
  if (rows.empty()) return std::optional<WebhookRow>{};
  return std::optional<WebhookRow>(std::move(rows.front()));
}

Result<std::int64_t> insert_webhook(Connection& c, const WebhookRow& w) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO webhooks (url, format, events, department_id, secret, "
                               "template, description, active, created_at, updated_at) VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  GONGDAN_ASSIGN(bool row,
                 q.bind(w.url, w.format, join_events(w.events), w.department_id, w.secret,
                        w.template_text, w.description, w.active, w.created_at, w.updated_at)
                     .next());
  if (!row) return fail(ErrorCode::kInternal, "insert returned no id");
  return q.integer(0);
}

Result<bool> update_webhook(Connection& c, const WebhookRow& w) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE webhooks SET url = ?, format = ?, events = ?, "
                               "department_id = ?, secret = ?, template = ?, description = ?, "
                               "active = ?, updated_at = ? WHERE id = ?"));
  GONGDAN_TRY(q.bind(w.url, w.format, join_events(w.events), w.department_id, w.secret,
                     w.template_text, w.description, w.active, w.updated_at, w.id)
                  .run());
  return c.changes() > 0;
}

Result<bool> delete_webhook(Connection& c, std::int64_t id) {
  GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM webhooks WHERE id = ?"));
  GONGDAN_TRY(q.bind(id).run());
  return c.changes() > 0;
}

Result<void> insert_delivery(Connection& c, const DeliveryRow& d) {
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

Result<std::vector<DeliveryRow>> list_deliveries(Connection& c, std::int64_t webhook_id,
                                                 std::int64_t before_id, int limit) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, webhook_id, job_id, delivery, event, attempt, at, "
                               "status_code, error, duration_ms FROM webhook_deliveries WHERE "
                               "webhook_id = ? AND id < ? ORDER BY id DESC LIMIT ?"));
  q.bind(webhook_id, before_id > 0 ? before_id : INT64_MAX, limit);
  std::vector<DeliveryRow> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    DeliveryRow d;
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
