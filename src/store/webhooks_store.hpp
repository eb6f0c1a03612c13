// Persistence of webhook deliveries' log (the subscriptions are the declared resource
// `webhooks`, services/webhooks_service.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/webhook.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

Result<void> insert_delivery(Connection& c, const WebhookDelivery& d);
Result<std::vector<WebhookDelivery>> list_deliveries(Connection& c, std::int64_t webhook_id,
                                                     std::int64_t before_id, int limit);

}  // namespace gongdan::store
