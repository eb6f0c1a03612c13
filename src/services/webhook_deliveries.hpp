// The services' side of webhook delivery, for the webhook job (jobs/webhook_job): what one
// delivery needs of its subscription, and the log of every try that admins read at
// GET /api/v1/webhooks/{id}/deliveries. The HTTP post itself is the channel's
// (channels/webhooks/webhook_sender), which never touches the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "services/store_fwd.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan::services {

// A subscription as a delivery sees it.
struct WebhookEndpoint {
  std::int64_t id = 0;
  std::string url;
  std::string format = "json";  // json, wecom, dingtalk, feishu or slack
  std::string secret;
  std::string template_text;  // the IM formats' text; empty: the default
};

// One try of one delivery.
struct WebhookAttempt {
  std::int64_t webhook_id = 0;
  std::int64_t job_id = 0;
  std::string delivery;  // the X-Gongdan-Delivery id, the same on every try
  std::string event;
  int attempt = 0;
  std::optional<int> status_code;  // none when no HTTP answer came
  std::string error;
  std::int64_t duration_ms = 0;
};

class WebhookDeliveries {
 public:
  WebhookDeliveries(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The subscription, when it still exists and is active (else there is nothing to deliver).
  Result<std::optional<WebhookEndpoint>> endpoint(std::int64_t webhook_id);
  // Adds the try to the delivery log, stamped now.
  Result<void> record(const WebhookAttempt& attempt);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace gongdan::services
