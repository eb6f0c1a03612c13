// Persistence of webhook subscriptions and their delivery log.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct WebhookRow {
  std::int64_t id = 0;
  std::string url;
  std::string format = "json";  // json, wecom, dingtalk, feishu, slack
  std::vector<std::string> events;
  std::optional<std::int64_t> department_id;  // only tickets of this department
  std::string secret;
  std::string template_text;  // the message text of the IM formats
  std::string description;
  bool active = true;
  Millis created_at = 0;
  Millis updated_at = 0;
};

Result<std::vector<WebhookRow>> list_webhooks(Connection& c);
Result<std::optional<WebhookRow>> find_webhook(Connection& c, std::int64_t id);
Result<std::int64_t> insert_webhook(Connection& c, const WebhookRow& w);
Result<bool> update_webhook(Connection& c, const WebhookRow& w);
Result<bool> delete_webhook(Connection& c, std::int64_t id);

struct DeliveryRow {
  std::int64_t id = 0;
  std::int64_t webhook_id = 0;
  std::int64_t job_id = 0;
  std::string delivery;  // the X-Gongdan-Delivery id, the same on every try
  std::string event;
  int attempt = 0;
  Millis at = 0;
  std::optional<int> status_code;  // none when no HTTP answer came
  std::string error;
  std::int64_t duration_ms = 0;
};

Result<void> insert_delivery(Connection& c, const DeliveryRow& d);
Result<std::vector<DeliveryRow>> list_deliveries(Connection& c, std::int64_t webhook_id,
                                                 std::int64_t before_id, int limit);

}  // namespace gongdan::store
