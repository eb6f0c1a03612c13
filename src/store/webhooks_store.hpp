// Persistence of webhook deliveries' log (the subscriptions are the declared resource
// `webhooks`, services/webhooks_service.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

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
