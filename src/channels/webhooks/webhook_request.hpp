// The HTTP request of one webhook delivery, built from the subscription and the event: signed
// JSON for "json" subscriptions, or the message format of a chat bot (WeCom, DingTalk, Feishu,
// Slack incoming webhooks) with the text from the subscription's template. Pure apart from
// the signature, so the formats are unit-tested.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "services/webhook_deliveries.hpp"
#include "util/clock.hpp"

namespace gongdan::channels {

struct WebhookRequest {
  std::string url;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// `delivery` is the id a receiver uses to drop repeats (the same on every try); `at` is when the
// event happened (ISO 8601); `now` is the send time, which is what the signature covers.
WebhookRequest build_webhook_request(const services::WebhookEndpoint& hook, std::string_view event,
                                     const boost::json::object& data, std::string_view delivery,
                                     std::string_view at, Millis now);

// The one-line text the chat formats send, from the subscription's template.
std::string webhook_text(const services::WebhookEndpoint& hook, std::string_view event,
                         const boost::json::object& data);

}  // namespace gongdan::channels
